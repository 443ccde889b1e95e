"""文体比赛 pages: the list, a new competition (with its activity), the competition page (entries,
divisions, rounds, the ranking and the prizes), a round's page (matches and scores), and the
results sheet and certificates.

Everyone who sees the activities reads them; the organisers (activities.manage) run them. Views
parse, call one service or selector and render; a refused POST re-renders the page with 422.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.activities.models import Registration
from jiaogong.competitions import exporting, forms, selectors, services
from jiaogong.competitions.models import Round
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.members.models import Member

app_name = "competitions"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VIEW, MANAGE, SECTION = "activities.view", "activities.manage", "activities"


def _members(org):
    return (
        Member.objects.filter(org=org, status__in=[Member.Status.ACTIVE, Member.Status.RETIRED])
        .select_related("union_group")
        .order_by("name_pinyin")
    )


def _registered(comp) -> list[int]:
    return list(
        Registration.objects.filter(activity=comp.activity, status=Registration.Status.CONFIRMED).values_list(
            "member_id", flat=True
        )
    )


# ---- list and create ----------------------------------------------------------------------------


@login_required
@org_view(VIEW, SECTION)
def home(request, org):
    return render(
        request,
        "competitions/home.html",
        {
            "org": org,
            "page_title": "文体比赛",
            "tab": "competitions",
            "competitions": selectors.competitions_of(org),
            "can_manage": can(request.user, org, MANAGE),
        },
    )


@login_required
@org_view(MANAGE, SECTION)
def create(request, org):
    form = forms.CompetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comp = services.create_competition(actor=request.user, org=org, **form.service_kwargs())
        except DomainError as e:
            for field, message in (e.fields or {None: e.message}).items():
                form.add_service_error(field, message)
        else:
            messages.success(request, f"已创建“{comp.title}”，并已列入活动和行事历。下一步：登记参赛名单。")
            return redirect("competitions:detail", org.pk, comp.pk)
    return render(
        request,
        "competitions/create.html",
        {"org": org, "page_title": "新建比赛", "tab": "competitions", "form": form},
        status=422 if form.errors else 200,
    )


# ---- the competition page -----------------------------------------------------------------------


def _detail(request, org, comp, *, status=200, **bound):
    view = selectors.overview(comp)
    manage = can(request.user, org, MANAGE)
    context = {
        "org": org,
        "page_title": comp.title,
        "tab": "competitions",
        "comp": comp,
        "view": view,
        "can_manage": manage,
        "awarded": any(s.award for s in view.ranking),
        "tiers": list(comp.tiers.all()),
        "rule_text": services.prize_rule_text(
            org, len(view.entries) if comp.is_team else view.participants, "队" if comp.is_team else "人"
        ),
        "by_division": [(d, [e for e in view.entries if e.division_id == d.pk]) for d in view.divisions],
        "unassigned": [e for e in view.entries if e.division_id is None],
    }
    if manage:
        members = _members(org)
        context.update(
            entry_form=bound.get("entry_form")
            or forms.EntryForm(competition=comp, members=members, registered=_registered(comp)),
            draw_form=bound.get("draw_form") or forms.DrawForm(),
            round_form=bound.get("round_form") or forms.RoundForm(),
            prize_form=bound.get("prize_form") or forms.PrizeForm(tiers=context["tiers"]),
            registrations=len(_registered(comp)),
            error=bound.get("error"),
        )
    return render(request, "competitions/detail.html", context, status=status)


@login_required
@org_view(VIEW, SECTION)
def detail(request, org, pk):
    return _detail(request, org, selectors.competition_for(org, pk))


def _url(org, comp, anchor: str) -> str:
    return reverse("competitions:detail", args=[org.pk, comp.pk]) + f"#{anchor}"


def _refused(request, org, comp, error, **bound):
    return _detail(request, org, comp, status=422, error=error.message, **bound)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def entry_add(request, org, pk):
    comp = selectors.competition_for(org, pk)
    form = forms.EntryForm(
        request.POST, competition=comp, members=_members(org), registered=_registered(comp)
    )
    if form.is_valid():
        try:
            entry = services.add_entry(
                actor=request.user,
                org=org,
                competition=comp,
                members=form.member_ids(),
                name=form.cleaned_data.get("name", ""),
                seed=form.cleaned_data.get("seed"),
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已登记参赛：{entry.name}。")
            return redirect(_url(org, comp, "entries"))
    return _detail(request, org, comp, status=422, entry_form=form)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def entry_remove(request, org, pk, entry_id):
    comp = selectors.competition_for(org, pk)
    entry = selectors.entry_for(comp, entry_id)
    try:
        services.remove_entry(actor=request.user, org=org, competition=comp, entry=entry)
    except DomainError as e:
        return _refused(request, org, comp, e)
    messages.success(request, f"已从参赛名单中删除：{entry.name}。")
    return redirect("competitions:detail", org.pk, comp.pk)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def entry_import(request, org, pk):
    comp = selectors.competition_for(org, pk)
    try:
        created = services.import_registrations(actor=request.user, org=org, competition=comp)
    except DomainError as e:
        return _refused(request, org, comp, e)
    if created:
        messages.success(
            request, f"已从报名名单导入 {len(created)} 人：" + "、".join(e.name for e in created) + "。"
        )
    else:
        messages.info(request, "没有新的已确认报名可导入。")
    return redirect("competitions:detail", org.pk, comp.pk)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def draw(request, org, pk):
    comp = selectors.competition_for(org, pk)
    form = forms.DrawForm(request.POST)
    if form.is_valid():
        try:
            divisions = services.draw_divisions(
                actor=request.user, org=org, competition=comp, **form.cleaned_data
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            comp.refresh_from_db()
            messages.success(request, f"已抽签分为 {len(divisions)} 组（抽签种子 {comp.draw_seed}）。")
            return redirect("competitions:detail", org.pk, comp.pk)
    return _detail(request, org, comp, status=422, draw_form=form)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def by_group(request, org, pk):
    comp = selectors.competition_for(org, pk)
    try:
        divisions = services.divide_by_group(actor=request.user, org=org, competition=comp)
    except DomainError as e:
        return _refused(request, org, comp, e)
    messages.success(request, f"已按工会小组分为 {len(divisions)} 组。")
    return redirect("competitions:detail", org.pk, comp.pk)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def round_add(request, org, pk):
    comp = selectors.competition_for(org, pk)
    form = forms.RoundForm(request.POST)
    if form.is_valid():
        try:
            rnd = services.add_round(actor=request.user, org=org, competition=comp, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已添加轮次：{rnd.name}。")
            return redirect("competitions:round", org.pk, comp.pk, rnd.pk)
    return _detail(request, org, comp, status=422, round_form=form)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def prizes(request, org, pk):
    comp = selectors.competition_for(org, pk)
    form = forms.PrizeForm(request.POST, tiers=list(comp.tiers.all()))
    if form.is_valid():
        try:
            services.set_prizes(actor=request.user, org=org, competition=comp, tiers=form.tiers())
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已保存奖项设置。")
            return redirect(_url(org, comp, "prizes"))
    return _detail(request, org, comp, status=422, prize_form=form)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def award(request, org, pk):
    comp = selectors.competition_for(org, pk)
    try:
        allocation = services.award_from_ranking(actor=request.user, org=org, competition=comp)
    except DomainError as e:
        return _refused(request, org, comp, e)
    messages.success(
        request, f"已按名次颁奖，共 {len(allocation.awards)} 个获奖。" + "".join(allocation.notes)
    )
    return redirect(_url(org, comp, "prizes"))


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def revoke(request, org, pk):
    comp = selectors.competition_for(org, pk)
    try:
        n = services.revoke_awards(actor=request.user, org=org, competition=comp)
    except DomainError as e:
        return _refused(request, org, comp, e)
    messages.success(request, f"已撤销 {n} 个奖项，成绩可以更正了。")
    return redirect("competitions:detail", org.pk, comp.pk)


# ---- a round -------------------------------------------------------------------------------------


def _round_page(request, org, comp, rnd, *, status=200, match_form=None, errors=None, typed=None, error=None):
    view = selectors.overview(comp)
    standings = next(rs for rs in view.rounds if rs.round.pk == rnd.pk)
    manage = can(request.user, org, MANAGE)
    awarded = any(s.award for s in view.ranking)
    scores = {
        row["entry"].pk: row["value"] for b in standings.blocks if not rnd.has_matches for row in b.rows
    }
    errors = errors or {}
    typed = typed or {}
    sheet = []
    if not rnd.has_matches:
        for e in view.entries:
            value = typed.get(e.pk, scores.get(e.pk))
            sheet.append(
                {"entry": e, "value": "" if value is None else value, "error": errors.get(f"entry_{e.pk}")}
            )
    previous = comp.rounds.filter(position__lt=rnd.position).order_by("-position", "-id").first()
    return render(
        request,
        "competitions/round.html",
        {
            "org": org,
            "page_title": f"{comp.title} · {rnd.name}",
            "tab": "competitions",
            "comp": comp,
            "rnd": rnd,
            "standings": standings,
            "can_manage": manage and not awarded,
            "can_generate": manage
            and not awarded
            and rnd.kind == Round.Kind.ROUND_ROBIN
            and not any(b.matches for b in standings.blocks),
            # 淘汰赛 after another round: its pairs come from that round's results.
            "previous_round": previous,
            "can_advance": manage
            and not awarded
            and previous is not None
            and rnd.kind == Round.Kind.KNOCKOUT
            and not rnd.by_division
            and not any(b.matches for b in standings.blocks),
            "awarded": awarded,
            "match_form": match_form or (forms.MatchForm(entries=view.entries) if rnd.has_matches else None),
            "sheet": sheet,
            "match_errors": errors if rnd.has_matches else {},
            "error": error,
            "value_label": "名次"
            if rnd.kind == Round.Kind.PLACINGS
            else "成绩" + (f"（{comp.unit}）" if comp.unit else ""),
        },
        status=status,
    )


@login_required
@org_view(VIEW, SECTION)
def round_view(request, org, pk, round_id):
    comp = selectors.competition_for(org, pk)
    return _round_page(request, org, comp, selectors.round_for(comp, round_id))


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def generate(request, org, pk, round_id):
    comp = selectors.competition_for(org, pk)
    rnd = selectors.round_for(comp, round_id)
    try:
        if rnd.kind == Round.Kind.KNOCKOUT:
            try:
                per_division = int(request.POST.get("per_division") or 1)
            except ValueError:
                per_division = 0
            matches = services.generate_knockout(
                actor=request.user, org=org, round=rnd, per_division=per_division
            )
        else:
            matches = services.generate_round_robin(actor=request.user, org=org, round=rnd)
    except DomainError as e:
        message = next(iter(e.fields.values()), e.message) if e.fields else e.message
        return _round_page(request, org, comp, rnd, status=422, error=message)
    kind = "淘汰赛" if rnd.kind == Round.Kind.KNOCKOUT else "循环赛"
    messages.success(request, f"已编排 {len(matches)} 场{kind}对阵。")
    return redirect("competitions:round", org.pk, comp.pk, rnd.pk)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def match_add(request, org, pk, round_id):
    comp = selectors.competition_for(org, pk)
    rnd = selectors.round_for(comp, round_id)
    entries = selectors.entries_of(comp)
    form = forms.MatchForm(request.POST, entries=entries)
    if form.is_valid():
        try:
            services.add_match(
                actor=request.user,
                org=org,
                round=rnd,
                home=selectors.entry_for(comp, form.cleaned_data["home"]),
                away=selectors.entry_for(comp, form.cleaned_data["away"]),
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, "已添加对阵。")
            return redirect("competitions:round", org.pk, comp.pk, rnd.pk)
    return _round_page(request, org, comp, rnd, status=422, match_form=form)


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def match_result(request, org, pk, match_id):
    comp = selectors.competition_for(org, pk)
    match = selectors.match_for(comp, match_id)
    try:
        services.record_match_result(
            actor=request.user,
            org=org,
            match=match,
            home_score=request.POST.get("home_score"),
            away_score=request.POST.get("away_score"),
        )
    except DomainError as e:
        errors = {match.pk: " ".join(e.fields.values()) or e.message}
        return _round_page(request, org, comp, match.round, status=422, errors=errors, error=e.message)
    messages.success(
        request,
        f"已录入比分：{match.home.name} {match.home_score:g} : {match.away_score:g} {match.away.name}。",
    )
    return redirect(
        reverse("competitions:round", args=[org.pk, comp.pk, match.round_id]) + f"#match-{match.pk}"
    )


@require_POST
@login_required
@org_view(MANAGE, SECTION)
def scores(request, org, pk, round_id):
    comp = selectors.competition_for(org, pk)
    rnd = selectors.round_for(comp, round_id)
    values = {k.removeprefix("entry_"): v for k, v in request.POST.items() if k.startswith("entry_")}
    try:
        n = services.record_scores(actor=request.user, org=org, round=rnd, values=values)
    except DomainError as e:
        typed = {int(k): v for k, v in values.items() if k.isdigit()}
        return _round_page(request, org, comp, rnd, status=422, errors=e.fields, typed=typed, error=e.message)
    messages.success(request, f"已保存成绩（{n} 项有变化）。")
    return redirect("competitions:round", org.pk, comp.pk, rnd.pk)


# ---- papers --------------------------------------------------------------------------------------


def _file(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
@org_view(VIEW, SECTION)
def results_sheet(request, org, pk):
    comp = selectors.competition_for(org, pk)
    return _file(exporting.results_xlsx(selectors.overview(comp)), XLSX, f"{comp.title}成绩表.xlsx")


@login_required
@org_view(MANAGE, SECTION)
def certificates(request, org, pk):
    comp = selectors.competition_for(org, pk)
    awards = selectors.awards_of(comp)
    if not awards:
        messages.error(request, "还没有颁奖，无法生成荣誉证书。")
        return redirect("competitions:detail", org.pk, comp.pk)
    issued = timezone.localdate(comp.activity.ends_at)
    return _file(
        exporting.certificates_docx(comp, awards, issued_on=issued), DOCX, f"{comp.title}荣誉证书.docx"
    )


P = "o/<int:org_id>/competitions/"
urlpatterns = [
    path(P, home, name="home"),
    path(P + "new/", create, name="create"),
    path(P + "<int:pk>/", detail, name="detail"),
    path(P + "<int:pk>/entries/", entry_add, name="entry_add"),
    path(P + "<int:pk>/entries/import/", entry_import, name="entry_import"),
    path(P + "<int:pk>/entries/<int:entry_id>/delete/", entry_remove, name="entry_remove"),
    path(P + "<int:pk>/divisions/draw/", draw, name="draw"),
    path(P + "<int:pk>/divisions/by-group/", by_group, name="by_group"),
    path(P + "<int:pk>/rounds/", round_add, name="round_add"),
    path(P + "<int:pk>/rounds/<int:round_id>/", round_view, name="round"),
    path(P + "<int:pk>/rounds/<int:round_id>/generate/", generate, name="generate"),
    path(P + "<int:pk>/rounds/<int:round_id>/matches/", match_add, name="match_add"),
    path(P + "<int:pk>/rounds/<int:round_id>/scores/", scores, name="scores"),
    path(P + "<int:pk>/matches/<int:match_id>/result/", match_result, name="match_result"),
    path(P + "<int:pk>/prizes/", prizes, name="prizes"),
    path(P + "<int:pk>/awards/", award, name="award"),
    path(P + "<int:pk>/awards/revoke/", revoke, name="revoke"),
    path(P + "<int:pk>/results.xlsx", results_sheet, name="results"),
    path(P + "<int:pk>/certificates.docx", certificates, name="certificates"),
]
