"""教代会 pages: sessions, delegates, check-in, polls, the phone ballot and the projector.

Views parse the request, call one service and render; every rule lives in sessions.py and
voting.py. The projector and the desk list refresh themselves with htmx.
"""

import io
import json

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.congress import crypto, scrutiny, sessions, voting
from jiaogong.congress.forms import AgendaForm, CongressForm, DelegateForm, EndSeatForm, PaperForm, PollForm
from jiaogong.congress.models import Attendance, Congress, CongressTerm, Delegate, Poll, SessionPaper, Turnout
from jiaogong.core import audit
from jiaogong.core.errors import DomainError, InvalidInput
from jiaogong.core.permissions import can
from jiaogong.core.rules import value_for
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.core.xlsx import new_workbook
from jiaogong.members.models import Member, UnionGroup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def congress_in(org, congress_id) -> Congress:
    congress = Congress.objects.select_related("term", "org").filter(org=org, pk=congress_id).first()
    if congress is None:
        raise Http404("没有找到该会议。")
    return congress


def poll_in(org, poll_id) -> Poll:
    poll = (
        Poll.objects.select_related("congress__term", "congress__org", "org")
        .filter(org=org, pk=poll_id)
        .first()
    )
    if poll is None:
        raise Http404("没有找到该表决。")
    return poll


def _manage(request, org):
    if not can(request.user, org, "congress.manage"):
        raise PermissionDenied("您的角色无权管理教代会。")


def _posted(request):
    return request.POST if request.method == "POST" else None


# ---- sessions ------------------------------------------------------------------------------------------


@login_required
@org_view("congress.view", "congress")
def congress_list(request, org):
    can_manage = can(request.user, org, "congress.manage")
    last = Congress.objects.filter(org=org).select_related("term").first()
    initial = {"mode": CongressTerm.Mode.DELEGATES, "years": 5, "term": 1, "session": 1}
    if last:
        initial.update(term=last.term.number, session=last.number + 1, mode=last.term.mode)
    form = CongressForm(_posted(request), initial=initial)
    if request.method == "POST":
        _manage(request, org)
        if form.is_valid():
            try:
                congress = sessions.create_congress(actor=request.user, org=org, **form.cleaned_data)
            except DomainError as e:
                add_domain_errors(form, e)
            else:
                messages.success(request, f"已建立“{congress.title}”。")
                return redirect("congress:detail", org.pk, congress.pk)
    congresses = list(
        Congress.objects.filter(org=org)
        .select_related("term")
        .annotate(
            n_present=Count("attendance", distinct=True),
            n_polls=Count("polls", distinct=True),
            n_proposals=Count("proposals", distinct=True),
        )
    )
    staff = Member.objects.filter(org=org, status="active").count()
    return render(
        request,
        "congress/list.html",
        {
            "org": org,
            "page_title": "教代会",
            "congresses": congresses,
            "form": form,
            "can_manage": can_manage,
            "can_department": can(request.user, org, "congress.department"),
            "open_form": request.method == "POST" or not congresses,
            "staff": staff,
            "missed": sessions.missed_school_years(org, timezone.localdate()),
            "suggest_all_staff": staff and staff <= _all_staff_max(org),
        },
    )


def _all_staff_max(org) -> int:
    return value_for(org, "congress.all_staff_max")


@login_required
@org_view("congress.view", "congress")
def congress_detail(request, org, congress_id):
    congress = congress_in(org, congress_id)
    can_manage = can(request.user, org, "congress.manage")
    agenda_form = AgendaForm(_posted(request) if request.POST.get("form") == "agenda" else None)
    paper_form = PaperForm(
        _posted(request) if request.POST.get("form") == "paper" else None,
        request.FILES if request.POST.get("form") == "paper" else None,
    )
    if request.method == "POST":
        _manage(request, org)
        form = agenda_form if request.POST.get("form") == "agenda" else paper_form
        if form.is_valid():
            try:
                if form is agenda_form:
                    sessions.add_agenda_item(actor=request.user, congress=congress, **form.cleaned_data)
                    messages.success(request, "已添加议题。")
                else:
                    sessions.add_paper(actor=request.user, congress=congress, **form.cleaned_data)
                    messages.success(request, "已登记会议材料。")
            except DomainError as e:
                add_domain_errors(form, e)
            else:
                return redirect("congress:detail", org.pk, congress.pk)
    me = sessions.delegate_for_user(congress, request.user)
    return render(
        request,
        "congress/detail.html",
        {
            "org": org,
            "page_title": congress.title,
            "congress": congress,
            "status": sessions.quorum_status(congress),
            "composition": sessions.composition_of(congress),
            "warnings": sessions.warnings_for(congress),
            "agenda": congress.agenda.all(),
            "papers": congress.papers.all(),
            "presidium": congress.presidium.select_related("member"),
            "polls": congress.polls.all(),
            "appraisals": congress.appraisals.all(),
            "proposal_count": congress.proposals.count(),
            "scrutineer": scrutiny.scrutineer_for(congress, request.user),
            "can_manage": can_manage,
            "agenda_form": agenda_form,
            "paper_form": paper_form,
            "me": me,
            # Votes, codes and new proposals belong to a session still to come (or under way).
            "session_ahead": congress.opens_on >= timezone.localdate()
            or congress.polls.filter(state=Poll.State.OPEN).exists(),
            "me_present": me is not None
            and Attendance.objects.filter(congress=congress, delegate=me).exists(),
        },
    )


@login_required
@org_view("congress.view", "congress")
def paper_file(request, org, paper_id):
    """A session paper's file, to the org's users only (media files are not served publicly)."""
    paper = SessionPaper.objects.filter(congress__org=org, pk=paper_id).first()
    if paper is None or not paper.file:
        raise Http404("没有找到该材料。")
    name = paper.file.name.rsplit("/", 1)[-1]
    return FileResponse(paper.file.open("rb"), as_attachment=True, filename=name)


# ---- delegates ---------------------------------------------------------------------------------------------------


@login_required
@org_view("congress.view", "congress")
def delegates(request, org, congress_id):
    congress = congress_in(org, congress_id)
    can_manage = can(request.user, org, "congress.manage")
    seated = sessions.seats_on(congress.term, congress.opens_on).values_list("member_id", flat=True)
    candidates = Member.objects.filter(org=org, status__in=("active", "retired")).exclude(pk__in=seated)
    units = UnionGroup.objects.filter(org=org).order_by("name")
    form = DelegateForm(
        _posted(request), members=candidates, units=units, initial={"elected_on": congress.term.started_on}
    )
    if request.method == "POST":
        _manage(request, org)
        if form.is_valid():
            member = candidates.get(pk=form.cleaned_data["member"])
            try:
                sessions.add_delegate(
                    actor=request.user,
                    term=congress.term,
                    member=member,
                    kind=form.cleaned_data["kind"],
                    elected_on=form.cleaned_data["elected_on"],
                    unit=units.get(pk=form.cleaned_data["unit"]) if form.cleaned_data["unit"] else None,
                )
            except DomainError as e:
                add_domain_errors(form, e)
            else:
                messages.success(request, f"已登记代表 {member.name}。")
                return redirect("congress:delegates", org.pk, congress.pk)
    rows = (
        Delegate.objects.filter(term=congress.term)
        .select_related("member", "unit", "delegation", "replaces__member")
        .annotate(present=Count("attendance", filter=Q(attendance__congress=congress)))
        .order_by("until", "kind", "unit__name", "member__name_pinyin")
    )
    return render(
        request,
        "congress/delegates.html",
        {
            "org": org,
            "page_title": "代表名单",
            "congress": congress,
            "rows": rows,
            "form": form,
            "can_manage": can_manage,
            "composition": sessions.composition_of(congress),
            "status": sessions.quorum_status(congress),
            "quota_warnings": sessions.quota_warnings(congress.term, congress.opens_on),
        },
    )


@login_required
@org_view("congress.manage", "congress")
def delegate_end(request, org, congress_id, delegate_id):
    congress = congress_in(org, congress_id)
    delegate = Delegate.objects.filter(term=congress.term, pk=delegate_id).select_related("member").first()
    if delegate is None:
        raise Http404("没有找到该代表。")
    seated = sessions.seats_on(congress.term, congress.opens_on).values_list("member_id", flat=True)
    successors = Member.objects.filter(org=org, status="active").exclude(pk__in=seated)
    form = EndSeatForm(_posted(request), members=successors, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["successor"]:
                successor = successors.get(pk=data["successor"])
                sessions.replace_delegate(
                    actor=request.user, delegate=delegate, member=successor, on=data["on"]
                )
                messages.success(
                    request, f"{delegate.member.name} 的代表资格已终止，由 {successor.name} 补选。"
                )
            else:
                sessions.end_seat(actor=request.user, delegate=delegate, on=data["on"], reason=data["reason"])
                messages.success(request, f"{delegate.member.name} 的代表资格已终止。")
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            return redirect("congress:delegates", org.pk, congress.pk)
    return render(
        request,
        "congress/delegate_end.html",
        {"org": org, "page_title": "终止代表资格", "congress": congress, "delegate": delegate, "form": form},
    )


@login_required
@org_view("congress.manage", "congress")
def delegates_export(request, org, congress_id):
    """The roster of delegates (.xlsx): no ID numbers or phones, only what the roll needs."""
    congress = congress_in(org, congress_id)
    wb = new_workbook()
    ws = wb.active
    ws.title = "代表名单"
    ws.append([f"{congress.title} 代表名单"])
    headers = [
        "序号",
        "姓名",
        "性别",
        "类别",
        "选举单位",
        "代表团",
        "教师",
        "中层以上干部",
        "当选日期",
        "终止日期",
        "终止原因",
        "本次签到",
    ]
    ws.append(headers)
    present = set(Attendance.objects.filter(congress=congress).values_list("delegate_id", flat=True))
    rows = Delegate.objects.filter(term=congress.term).select_related("member", "unit", "delegation")
    for i, d in enumerate(rows.order_by("until", "kind", "unit__name", "member__name_pinyin"), start=1):
        ws.append(
            [
                i,
                d.member.name,
                d.member.get_gender_display(),
                d.get_kind_display(),
                d.unit.name if d.unit else "",
                d.delegation.name if d.delegation else "",
                "是" if d.member.is_teacher else "否",
                "是" if d.member.is_cadre else "否",
                d.elected_on,
                d.until or "",
                d.get_end_reason_display() if d.end_reason else "",
                "已签到" if d.pk in present else "",
            ]
        )
    for col, width in zip("ABCDEFGHIJKL", [6, 10, 6, 10, 14, 12, 6, 12, 12, 12, 10, 10], strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3, min_col=9, max_col=10):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    audit.record(actor=request.user, org=org, action="congress.delegates.export", obj=congress)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{congress.title}-代表名单.xlsx")
    return response


# ---- check-in -----------------------------------------------------------------------------------------------------


def _checkin_rows(congress):
    present = dict(Attendance.objects.filter(congress=congress).values_list("delegate_id", "checked_in_at"))
    rows = (
        sessions.seats_on(congress.term, congress.opens_on)
        .select_related("member", "unit")
        .order_by("kind", "unit__name", "member__name_pinyin")
    )
    return [{"d": d, "at": present.get(d.pk)} for d in rows]


@login_required
@org_view("congress.manage", "congress")
def checkin_desk(request, org, congress_id):
    """The desk list: tap a name to check them in; the figures refresh for everyone at the desk."""
    congress = congress_in(org, congress_id)
    q = request.GET.get("q", "").strip()
    rows = _checkin_rows(congress)
    if q:
        from jiaogong.members.rules import name_matches

        rows = [r for r in rows if name_matches(r["d"].member.name, q)]
    context = {
        "org": org,
        "page_title": "签到",
        "congress": congress,
        "rows": rows,
        "q": q,
        "status": sessions.quorum_status(congress),
    }
    if request.htmx and request.htmx.target == "checkin-rows":
        return render(request, "congress/_checkin_rows.html", context)
    return render(request, "congress/checkin.html", context)


@login_required
@org_view("congress.manage", "congress")
@require_POST
def checkin_one(request, org, congress_id, delegate_id):
    congress = congress_in(org, congress_id)
    delegate = (
        sessions.seats_on(congress.term, congress.opens_on)
        .filter(pk=delegate_id)
        .select_related("member")
        .first()
    )
    if delegate is None:
        raise Http404("没有找到该代表。")
    new = sessions.check_in(actor=request.user, congress=congress, delegate=delegate)
    if request.htmx:
        row = {
            "d": delegate,
            "at": Attendance.objects.get(congress=congress, delegate=delegate).checked_in_at,
        }
        response = render(request, "congress/_checkin_row.html", {"org": org, "congress": congress, "r": row})
        response["HX-Trigger"] = "checked-in"
        return response
    messages.success(request, f"{delegate.member.name} {'签到成功' if new else '已经签到过'}。")
    return redirect("congress:checkin", org.pk, congress.pk)


@login_required
@org_view("congress.manage", "congress")
def checkin_code(request, org, congress_id, token):
    """What the desk phone opens when it scans a delegate's QR code: confirm and check in."""
    congress = congress_in(org, congress_id)
    delegate = (
        sessions.seats_on(congress.term, congress.opens_on)
        .filter(checkin_token=token)
        .select_related("member")
        .first()
    )
    error = None
    done = None
    if request.method == "POST":
        try:
            delegate, new = sessions.check_in_by_token(actor=request.user, congress=congress, token=token)
            done = "签到成功" if new else "已经签到过"
        except DomainError as e:
            error = e.message
    elif delegate is None:
        error = "签到码无效，或不是本次会议的代表。"
    return render(
        request,
        "congress/checkin_code.html",
        {
            "org": org,
            "page_title": "扫码签到",
            "congress": congress,
            "delegate": delegate,
            "error": error,
            "done": done,
            "present": delegate is not None
            and Attendance.objects.filter(congress=congress, delegate=delegate).exists(),
            "status": sessions.quorum_status(congress),
        },
        status=404 if error and delegate is None else 200,
    )


def _qr_svg(data: str, scale: int = 6) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2)
    return buffer.getvalue().decode()


@login_required
@org_view("congress.view", "congress")
def my_code(request, org, congress_id):
    """A delegate's own QR code (their 代表证 on the phone) and their links for the day."""
    congress = congress_in(org, congress_id)
    delegate = sessions.delegate_for_user(congress, request.user)
    if delegate is None:
        raise PermissionDenied("您不是本次会议的代表。")
    url = request.build_absolute_uri(
        reverse("congress:checkin_code", args=[org.pk, congress.pk, delegate.checkin_token])
    )
    return render(
        request,
        "congress/my_code.html",
        {
            "org": org,
            "page_title": "我的代表证",
            "congress": congress,
            "delegate": delegate,
            "qr": _qr_svg(url),
            "present": Attendance.objects.filter(congress=congress, delegate=delegate).exists(),
        },
    )


@login_required
@org_view("congress.manage", "congress")
def badges(request, org, congress_id):
    """Every delegate's QR code on one printable page (to print the 代表证)."""
    congress = congress_in(org, congress_id)
    cards = []
    for d in (
        sessions.seats_on(congress.term, congress.opens_on)
        .select_related("member", "unit")
        .order_by("kind", "unit__name", "member__name_pinyin")
    ):
        url = request.build_absolute_uri(
            reverse("congress:checkin_code", args=[org.pk, congress.pk, d.checkin_token])
        )
        cards.append({"d": d, "qr": _qr_svg(url, scale=3)})
    return render(
        request,
        "congress/badges.html",
        {"org": org, "page_title": "代表证", "congress": congress, "cards": cards},
    )


# ---- polls ----------------------------------------------------------------------------------------------------------


@login_required
@org_view("congress.view", "congress")
def polls(request, org, congress_id):
    congress = congress_in(org, congress_id)
    can_manage = can(request.user, org, "congress.manage")
    form = PollForm(_posted(request), initial={"kind": Poll.Kind.SECRET, "contested": True})
    if request.method == "POST":
        _manage(request, org)
        if form.is_valid():
            data = form.cleaned_data
            candidates = [line.strip() for line in data["candidates"].splitlines() if line.strip()]
            try:
                poll = voting.create_poll(
                    actor=request.user,
                    congress=congress,
                    title=data["title"],
                    kind=data["kind"],
                    options=candidates or None,
                    seats=data["seats"] if candidates or data["seats"] else None,
                    contested=data["contested"],
                )
            except DomainError as e:
                add_domain_errors(form, e)
                if "options" in e.fields:
                    form.add_error("candidates", e.fields["options"])
            else:
                messages.success(request, f"已建立表决“{poll.title}”。")
                return redirect("congress:poll", org.pk, poll.pk)
    return render(
        request,
        "congress/polls.html",
        {
            "org": org,
            "page_title": "表决与选举",
            "congress": congress,
            "polls": congress.polls.annotate(n_cast=Count("turnout")),
            "form": form,
            "can_manage": can_manage,
            "status": sessions.quorum_status(congress),
            "open_form": request.method == "POST",
        },
    )


@login_required
@org_view("congress.view", "congress")
def poll_detail(request, org, poll_id):
    poll = poll_in(org, poll_id)
    lookup = None
    receipt = request.GET.get("receipt", "").strip()
    if receipt:
        lookup = voting.receipt_lookup(poll, receipt) or False
    context = {
        "org": org,
        "page_title": poll.title,
        "poll": poll,
        "congress": poll.congress,
        "result": voting.result(poll),
        "status": sessions.quorum_status(poll.congress),
        "can_manage": can(request.user, org, "congress.manage"),
        "receipt": receipt,
        "lookup": lookup,
        "not_voted": voting.not_voted(poll) if poll.state == Poll.State.OPEN else 0,
        "pending": scrutiny.pending_scrutineers(poll) if poll.state == Poll.State.COUNTING else [],
        "is_scrutineer": scrutiny.scrutineer_for(poll.congress, request.user) is not None,
    }
    if request.htmx and request.htmx.target == "poll-live":
        return render(request, "congress/_poll_live.html", context)
    return render(request, "congress/poll.html", context)


@login_required
@org_view("congress.manage", "congress")
@require_POST
def poll_action(request, org, poll_id, action):
    poll = poll_in(org, poll_id)
    try:
        if action == "open":
            voting.open_poll(actor=request.user, poll=poll)
            messages.success(request, "表决已开始，代表可以在手机上投票。")
        elif action == "close":
            missing = voting.not_voted(poll) if poll.state == Poll.State.OPEN else 0
            if missing and request.POST.get("confirm") != "1":
                # Present delegates who have not voted yet: the chair confirms before closing.
                return render(
                    request,
                    "congress/poll_close.html",
                    {"org": org, "page_title": poll.title, "poll": poll, "missing": missing},
                )
            outcome = voting.close_poll(actor=request.user, poll=poll)
            if poll.kind == Poll.Kind.SECRET:
                messages.success(request, f"投票已结束：加密选票 {outcome['cast']} 张，待监票人解密计票。")
            else:
                messages.success(request, f"表决已结束：投票 {outcome['cast']} 张。")
        else:
            raise Http404("没有这个操作。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("congress:poll", org.pk, poll.pk)


TONES = {"赞成": "yes", "反对": "no", "弃权": "abstain"}


def ballot_keys(congress) -> list[dict]:
    """What a phone checks before it encrypts: each 监票人's share with its proof and context."""
    return [
        {
            "public_share": s.public_share,
            "proof": s.proof,
            "context": scrutiny.key_context(congress, s.position),
        }
        for s in scrutiny.scrutineers_of(congress)
    ]


def _watch_signature(open_polls) -> str:
    return ",".join(str(p.pk) for p in open_polls) or "-"


def posted_ballot(request, plain_field: str):
    """(plain, encrypted) from a ballot form: the phone sends `encrypted` (JSON) and nothing plain."""
    raw = request.POST.get("encrypted", "")
    if raw:
        try:
            return None, json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python parses
            raise InvalidInput({"encrypted": "加密选票格式不正确，请刷新页面后重新投票。"}) from None
    return plain_field, None


@login_required
@org_view("congress.view", "congress")
def vote(request, org, congress_id):
    """The phone ballot: the open polls of the session; a secret one is encrypted on the phone after
    the voter confirms the choice, and answered with its tracker."""
    congress = congress_in(org, congress_id)
    open_polls = list(congress.polls.filter(state=Poll.State.OPEN))
    if request.GET.get("watch"):
        return JsonResponse({"signature": _watch_signature(open_polls)})
    delegate = sessions.delegate_for_user(congress, request.user)
    present = (
        delegate is not None and Attendance.objects.filter(congress=congress, delegate=delegate).exists()
    )
    tracker = receipt = error = voted_poll = None
    status = 200
    if request.method == "POST":
        poll = Poll.objects.filter(congress=congress, pk=request.POST.get("poll") or 0).first()
        if poll is None:
            raise Http404("没有找到该表决。")
        plain = request.POST.getlist("choice") if poll.is_election else request.POST.get("choice", "")
        try:
            choice, encrypted = posted_ballot(request, plain)
            answer = voting.cast_ballot(
                user=request.user, poll_id=poll.pk, choice=choice, encrypted=encrypted
            )
            voted_poll = poll
            if poll.kind == Poll.Kind.SECRET:
                tracker = answer
            else:
                receipt = answer
        except PermissionDenied as e:
            error, status = str(e), 403
        except DomainError as e:
            # The page has no field to hang a message on: say what was wrong after the summary.
            error, status = e.message + "".join(e.fields.values()), e.status
    voted = set()
    if delegate is not None:
        voted = set(
            Turnout.objects.filter(delegate=delegate, poll__in=open_polls).values_list("poll_id", flat=True)
        )
    keys = ballot_keys(congress) if any(p.kind == Poll.Kind.SECRET for p in open_polls) else []
    items = []
    for p in open_polls:
        item = {
            "poll": p,
            "voted": p.pk in voted,
            "options": [
                {"value": o, "tone": "" if p.is_election else TONES.get(o, "other")} for o in p.options
            ],
        }
        if p.kind == Poll.Kind.SECRET:
            item["descriptor"] = crypto.canonical_json(p.descriptor).decode()
            item["descriptor_id"] = f"descriptor-{p.pk}"
        items.append(item)
    return render(
        request,
        "congress/vote.html",
        {
            "org": org,
            "page_title": "投票",
            "congress": congress,
            "delegate": delegate,
            "present": present,
            "open_polls": items,
            "keys": keys,
            "tracker": tracker,
            "short_tracker": crypto.short_tracker(tracker) if tracker else "",
            "receipt": receipt,
            "voted_poll": voted_poll,
            "error": error,
            "signature": _watch_signature(open_polls),
        },
        status=status,
    )


@login_required
@org_view("congress.view", "congress")
def projector(request, org, congress_id):
    """The hall's screen: large figures, refreshed every two seconds; never names for secret polls."""
    congress = congress_in(org, congress_id)
    current = congress.polls.filter(state=Poll.State.OPEN).order_by("-opened_at").first()
    last = congress.polls.filter(state=Poll.State.CLOSED).order_by("-closed_at").first()
    context = {
        "org": org,
        "page_title": "大屏",
        "congress": congress,
        "status": sessions.quorum_status(congress),
        "current": current,
        "current_result": voting.result(current) if current else None,
        "not_voted": voting.not_voted(current) if current else 0,
        "counting": congress.polls.filter(state=Poll.State.COUNTING).order_by("-closed_at").first(),
        "last": last,
        "last_result": voting.result(last) if last else None,
    }
    if request.htmx:
        return render(request, "congress/_projector.html", context)
    return render(request, "congress/projector.html", context)


urlpatterns = [
    path("o/<int:org_id>/congress/", congress_list, name="list"),
    path("o/<int:org_id>/congress/<int:congress_id>/", congress_detail, name="detail"),
    path("o/<int:org_id>/congress/<int:congress_id>/delegates/", delegates, name="delegates"),
    path(
        "o/<int:org_id>/congress/<int:congress_id>/delegates.xlsx", delegates_export, name="delegates_export"
    ),
    path(
        "o/<int:org_id>/congress/<int:congress_id>/delegates/<int:delegate_id>/end/",
        delegate_end,
        name="delegate_end",
    ),
    path("o/<int:org_id>/congress/<int:congress_id>/checkin/", checkin_desk, name="checkin"),
    path(
        "o/<int:org_id>/congress/<int:congress_id>/checkin/<int:delegate_id>/",
        checkin_one,
        name="checkin_one",
    ),
    path("o/<int:org_id>/congress/<int:congress_id>/c/<str:token>/", checkin_code, name="checkin_code"),
    path("o/<int:org_id>/congress/<int:congress_id>/my-code/", my_code, name="my_code"),
    path("o/<int:org_id>/congress/<int:congress_id>/badges/", badges, name="badges"),
    path("o/<int:org_id>/congress/<int:congress_id>/polls/", polls, name="polls"),
    path("o/<int:org_id>/congress/<int:congress_id>/vote/", vote, name="vote"),
    path("o/<int:org_id>/congress/<int:congress_id>/projector/", projector, name="projector"),
    path("o/<int:org_id>/congress/papers/<int:paper_id>/file/", paper_file, name="paper_file"),
    path("o/<int:org_id>/polls/<int:poll_id>/", poll_detail, name="poll"),
    path("o/<int:org_id>/polls/<int:poll_id>/<str:action>/", poll_action, name="poll_action"),
]
