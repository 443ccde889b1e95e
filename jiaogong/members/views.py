"""The member pages: roster, a member's record, groups, committees, roster import and export.

Each view parses the request, calls one selector or service, and renders. Writes go through
members.services (and members.importing), which validate, audit and raise DomainError.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django_htmx.http import push_url

from jiaogong.core import audit
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.rules import value_for
from jiaogong.core.views_support import add_domain_errors, org_view, perms
from jiaogong.members import importing, privacy, rules, selectors, services
from jiaogong.members.forms import (
    ApproveForm,
    GroupForm,
    ImportForm,
    LeaderForm,
    MemberFilterForm,
    MemberForm,
    RejectForm,
    SeatEndForm,
    SeatForm,
    StatusForm,
    TermForm,
)
from jiaogong.members.models import CommitteeTerm, GroupLeader, Member, UnionGroup

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEMBER_STATUSES = ("active", "retired")  # who may hold a seat or lead a group
POSITION_RANK = {"chair": 0, "vice_chair": 1, "member": 2}


def _groups(org):
    return list(UnionGroup.objects.filter(org=org).only("id", "name").order_by("name"))


def _posted(request):
    """The POST data to bind a form to, or None on GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _query(values: dict, **override) -> str:
    """A query string of the non-empty filters."""
    merged = {**values, **override}
    return urlencode({k: v for k, v in merged.items() if v})


# ---- the roster ---------------------------------------------------------------------------------


def _roster_filters(request, org) -> tuple[MemberFilterForm, dict]:
    form = MemberFilterForm(request.GET, groups=_groups(org))
    return form, form.values()


def _filtered(request, org, values: dict):
    return selectors.members_for(
        request.user,
        org,
        q=values["q"],
        status=values["status"],
        group=values["group"],
        lst=values["list"],
        gender=values["gender"],
        teacher=values["teacher"],
    )


@login_required
@org_view("members.view", "members")
def member_list(request, org):
    form, values = _roster_filters(request, org)
    page = Paginator(_filtered(request, org, values), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "m": m,
            "age": privacy.shown_age(request.user, org, m.birth_date, today),
            "phone": privacy.list_phone(request.user, org, m.phone),
            "service": m.service_years(today),
        }
        for m in page.object_list
    ]
    lists = selectors.lists_for(request.user, org)
    chips = [
        {"key": key, "label": label, "query": _query(values, list=key), "current": values["list"] == key}
        for key, label in [("", "全部"), *lists.items()]
    ]
    filtered = any(values[k] for k in ("q", "status", "group", "gender", "teacher", "list"))
    context = {
        "org": org,
        "page_title": "会员",
        "form": form,
        "page": page,
        "rows": rows,
        "chips": chips,
        "query": _query(values),
        "filtered": filtered,
        "list_label": lists.get(values["list"], ""),
        "can": perms(request.user, org, "members.edit", "members.import", "members.export"),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "members/_results.html" if partial else "members/list.html", context)
    if partial:
        # The address bar follows the live search, without the empty filters htmx would send.
        push_url(response, request.path + (f"?{context['query']}" if context["query"] else ""))
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---- a member's record --------------------------------------------------------------------------

HISTORY_ACTIONS = {
    "members.member.create": "登记",
    "members.member.update": "修改信息",
    "members.member.status": "状态变更",
    "members.application.approve": "批准入会",
    "members.member.reveal": "查看身份证号/手机号",
}
CHANGE_LABELS = {
    "effective_on": "生效日期",
    "destination": "调往单位",
    "fields": "查看字段",
    "via": "途径",
}


def _change_value(key: str, value, group_names: dict, masks: dict) -> str:
    """One recorded value as text: personal data as the reader may see it (members/privacy.py),
    codes as their Chinese labels."""
    if value is None or value == "":
        return "—"
    if key in masks:
        return masks[key](value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "fields" and isinstance(value, list):
        return "、".join(_change_label(str(v)) for v in value)
    if key == "union_group":
        return group_names.get(str(value), "（已删除的小组）")
    if key == "status":
        return rules.STATUS_LABELS.get(value, str(value))
    if key == "gender":
        return dict(Member.Gender.choices).get(value, str(value))
    return str(value)


def _change_label(key: str) -> str:
    try:
        return str(Member._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return CHANGE_LABELS.get(key, key)


def _history(member, masks: dict) -> list[dict]:
    events = list(audit.history_for(member).exclude(action="members.member.reveal")[:50])
    group_ids = {
        str(pair[i])
        for e in events
        if isinstance(e.changes, dict)
        for key, pair in e.changes.items()
        if key == "union_group" and isinstance(pair, list)
        for i in (0, 1)
        if pair[i]
    }
    group_names = {
        str(pk): name
        for pk, name in UnionGroup.objects.filter(
            org_id=member.org_id, pk__in=[int(g) for g in group_ids if g.isdigit()]
        ).values_list("pk", "name")
    }
    rows = []
    for e in events:
        changes = []
        for key, pair in (e.changes if isinstance(e.changes, dict) else {}).items():
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            changes.append(
                {
                    "label": _change_label(key),
                    "before": _change_value(key, before, group_names, masks)
                    if before not in (None, "")
                    else "",
                    "after": _change_value(key, after, group_names, masks),
                }
            )
        rows.append({"event": e, "label": HISTORY_ACTIONS.get(e.action, e.action), "changes": changes})
    return rows


@login_required
@org_view("members.view", "members")
def member_detail(request, org, member_id):
    member = selectors.member_for(request.user, org, member_id)
    today = timezone.localdate()
    shown = selectors.reveal(request.user, org, member, via="web")
    can_see_history = can(request.user, org, "members.edit") or can(request.user, org, "audit.view")
    return render(
        request,
        "members/detail.html",
        {
            "org": org,
            "page_title": member.name,
            "member": member,
            "age": privacy.shown_age(request.user, org, member.birth_date, today),
            "birth": privacy.shown_birth(request.user, org, member.birth_date),
            "service": member.service_years(today),
            "shown": shown,
            "clear": can(request.user, org, "members.sensitive"),
            "status_changes": member.status_changes.select_related("recorded_by"),
            "history": _history(member, privacy.masks_for(request.user, org)) if can_see_history else None,
            "reveals": (
                audit.history_for(member).filter(action="members.member.reveal").count()
                if can_see_history
                else 0
            ),
            "can": perms(request.user, org, "members.edit", "audit.view"),
        },
    )


def _member_form_page(request, org, form, member=None):
    return render(
        request,
        "members/form.html",
        {
            "org": org,
            "page_title": f"编辑 {member.name}" if member else "新增会员",
            "form": form,
            "member": member,
        },
    )


@login_required
@org_view("members.edit", "members")
def member_create(request, org):
    form = MemberForm(
        _posted(request),
        groups=_groups(org),
        creating=True,
        initial={"is_teacher": True, "status": "active"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(actor=request.user, org=org, data=form.service_data())
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已登记 {member.name}。")
            return redirect("members:detail", org.pk, member.pk)
    return _member_form_page(request, org, form)


@login_required
@org_view("members.edit", "members")
def member_edit(request, org, member_id):
    member = selectors.member_for(request.user, org, member_id)
    sensitive = can(request.user, org, "members.sensitive")
    initial = {
        f: getattr(member, "union_group_id" if f == "union_group" else f)
        for f in services.MEMBER_FIELDS
        if f not in ("id_number", "phone", "status")
    }
    if request.method == "GET" and sensitive:
        # The form shows the numbers in clear: that is a read, and it is logged.
        initial.update(selectors.reveal(request.user, org, member, via="web-edit"))
    form = MemberForm(
        _posted(request),
        groups=_groups(org),
        creating=False,
        sensitive=sensitive,
        masked={"id_number": member.masked_id_number, "phone": member.masked_phone},
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(actor=request.user, member=member, data=form.service_data())
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已保存 {member.name} 的信息。")
            return redirect("members:detail", org.pk, member.pk)
    return _member_form_page(request, org, form, member)


@login_required
@org_view("members.edit", "members")
def member_status(request, org, member_id):
    member = selectors.member_for(request.user, org, member_id)
    form = StatusForm(_posted(request), member=member, initial={"effective_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_status(
                actor=request.user,
                member=member,
                to_status=data["to_status"],
                effective_on=data["effective_on"],
                destination=data["destination"],
                note=data["note"],
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"{member.name} 的状态已改为“{member.get_status_display()}”。")
            return redirect("members:detail", org.pk, member.pk)
    return render(
        request,
        "members/status.html",
        {
            "org": org,
            "page_title": f"变更状态 · {member.name}",
            "member": member,
            "form": form,
            "has_choices": bool(form.fields["to_status"].choices),
        },
    )


@login_required
@org_view("members.edit", "members")
def member_approve(request, org, member_id):
    member = selectors.member_for(request.user, org, member_id)
    today = timezone.localdate()
    action = request.POST.get("action") if request.method == "POST" else None
    approve_form = ApproveForm(request.POST if action == "approve" else None, initial={"approved_on": today})
    reject_form = RejectForm(request.POST if action == "reject" else None, initial={"decided_on": today})
    if action == "approve" and approve_form.is_valid():
        try:
            services.approve_application(
                actor=request.user,
                member=member,
                approved_on=approve_form.cleaned_data["approved_on"],
                meeting=approve_form.cleaned_data["meeting"],
            )
        except DomainError as e:
            add_domain_errors(approve_form, e)
        else:
            messages.success(request, f"已批准 {member.name} 入会。")
            return redirect("members:detail", org.pk, member.pk)
    elif action == "reject" and reject_form.is_valid():
        try:
            services.reject_application(
                actor=request.user,
                member=member,
                decided_on=reject_form.cleaned_data["decided_on"],
                reason=reject_form.cleaned_data["reason"],
            )
        except DomainError as e:
            if "effective_on" in e.fields:
                e.fields["decided_on"] = e.fields.pop("effective_on")
            add_domain_errors(reject_form, e)
        else:
            messages.success(request, f"已记录：{member.name} 的入会申请不予批准。")
            return redirect("members:detail", org.pk, member.pk)
    return render(
        request,
        "members/approve.html",
        {
            "org": org,
            "page_title": f"入会申请 · {member.name}",
            "member": member,
            "approve_form": approve_form,
            "reject_form": reject_form,
            "is_applicant": member.status == Member.Status.APPLICANT,
        },
    )


# ---- groups -------------------------------------------------------------------------------------


@login_required
@org_view("members.view", "groups")
def group_list(request, org):
    can_edit = can(request.user, org, "groups.edit")
    form = GroupForm(_posted(request), initial={"kind": UnionGroup.Kind.SUBJECT})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您的角色无权管理工会小组。")
        if form.is_valid():
            try:
                group = services.save_group(actor=request.user, org=org, **form.cleaned_data)
            except DomainError as e:
                add_domain_errors(form, e)
            else:
                messages.success(request, f"已建立工会小组“{group.name}”。")
                return redirect("members:group", org.pk, group.pk)
    groups = list(selectors.groups_for(org))
    for g in groups:
        g.current_leaders = sorted(
            (leader for leader in g.leaders.all() if leader.ended_on is None),
            key=lambda x: x.role != "leader",
        )
    unassigned = Member.objects.filter(org=org, status="active", union_group__isnull=True).count()
    return render(
        request,
        "members/groups.html",
        {
            "org": org,
            "page_title": "工会小组",
            "groups": groups,
            "unassigned": unassigned,
            "form": form,
            "can_edit": can_edit,
            "open_form": request.method == "POST",
        },
    )


@login_required
@org_view("members.view", "groups")
def group_detail(request, org, group_id):
    group = selectors.group_for(org, group_id)
    can_edit = can(request.user, org, "groups.edit")
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and not can_edit:
        raise PermissionDenied("您的角色无权管理工会小组。")

    members = list(selectors.members_for(request.user, org, group=str(group.pk)))
    in_group = [m for m in members if m.status in MEMBER_STATUSES]
    others = (
        Member.objects.filter(org=org, status__in=MEMBER_STATUSES)
        .exclude(union_group=group)
        .only("id", "name")
        .order_by("name_pinyin", "id")
    )
    edit_form = GroupForm(
        request.POST if action == "edit" else None,
        initial={"name": group.name, "kind": group.kind, "note": group.note},
    )
    leader_form = LeaderForm(
        request.POST if action == "leader" else None,
        in_group=in_group,
        others=others if can_edit else [],
        initial={"elected_on": timezone.localdate(), "role": GroupLeader.Role.LEADER},
    )
    delete_error = ""

    if action == "edit" and edit_form.is_valid():
        try:
            services.save_group(actor=request.user, org=org, group=group, **edit_form.cleaned_data)
        except DomainError as e:
            add_domain_errors(edit_form, e)
        else:
            messages.success(request, "已保存小组信息。")
            return redirect("members:group", org.pk, group.pk)
    elif action == "leader" and leader_form.is_valid():
        data = leader_form.cleaned_data
        try:
            member = selectors.member_for(request.user, org, data["member"])
            leader = services.set_group_leader(
                actor=request.user,
                group=group,
                member=member,
                elected_on=data["elected_on"],
                role=data["role"],
            )
        except DomainError as e:
            add_domain_errors(leader_form, e)
        else:
            messages.success(request, f"{leader.member.name} 任{group.name}{leader.get_role_display()}。")
            return redirect("members:group", org.pk, group.pk)
    elif action == "delete":
        name = group.name
        try:
            services.delete_group(actor=request.user, group=group)
        except DomainError as e:
            delete_error = e.message
        else:
            messages.success(request, f"已删除工会小组“{name}”。")
            return redirect("members:groups", org.pk)

    leaders = sorted(
        group.leaders.select_related("member").order_by("-elected_on", "id"),
        key=lambda x: (
            x.ended_on is not None,
            x.role != GroupLeader.Role.LEADER if x.ended_on is None else 0,
        ),
    )
    today = timezone.localdate()
    return render(
        request,
        "members/group.html",
        {
            "org": org,
            "page_title": group.name,
            "group": group,
            "rows": [
                {
                    "m": m,
                    "age": privacy.shown_age(request.user, org, m.birth_date, today),
                    "service": m.service_years(today),
                }
                for m in members
            ],
            "active_count": sum(1 for m in members if m.status == "active"),
            "current_leaders": [x for x in leaders if x.ended_on is None],
            "past_leaders": [x for x in leaders if x.ended_on is not None],
            "edit_form": edit_form,
            "leader_form": leader_form,
            "delete_error": delete_error,
            "can_edit": can_edit,
            "action": action,
        },
    )


# ---- committees ---------------------------------------------------------------------------------


@login_required
@org_view("members.view", "committee")
def committee(request, org):
    can_edit = can(request.user, org, "committee.edit")
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and not can_edit:
        raise PermissionDenied("您的角色无权管理委员会。")
    today = timezone.localdate()
    overview = selectors.committee_overview(org, today)
    current_terms = [term for term, _ in overview.terms.values() if term is not None]
    last_numbers = dict(
        CommitteeTerm.objects.filter(org=org)
        .values("body")
        .annotate(n=Max("number"))
        .values_list("body", "n")
    )
    numbers = {body: last_numbers.get(body, 0) + 1 for body in CommitteeTerm.Body.values}
    # ?new=<body> and ?term=<id> preselect the forms (links from each body's section, no JS).
    new_body = request.GET.get("new") if request.GET.get("new") in CommitteeTerm.Body.values else "union"
    term_form = TermForm(
        request.POST if action == "term" else None,
        term_years=value_for(org, "union.committee_term_years"),
        initial={
            "body": new_body,
            "number": numbers[new_body],
            "elected_on": today,
            "years": "5",
        },
    )
    seat_form = SeatForm(
        request.POST if action == "seat" else None,
        terms=current_terms,
        members=(
            Member.objects.filter(org=org, status__in=MEMBER_STATUSES)
            .only("id", "name")
            .order_by("name_pinyin")
            if can_edit
            else []
        ),
        initial={"term": request.GET.get("term", ""), "position": "member"},
    )

    if action == "term" and term_form.is_valid():
        try:
            term = services.create_term(actor=request.user, org=org, **term_form.cleaned_data)
        except DomainError as e:
            add_domain_errors(term_form, e)
        else:
            messages.success(request, f"已建立{term}。")
            return redirect(reverse("members:committee", args=[org.pk]) + f"#body-{term.body}")
    elif action == "seat" and seat_form.is_valid():
        data = seat_form.cleaned_data
        try:
            term = selectors.term_for(org, data["term"])
            member = selectors.member_for(request.user, org, data["member"])
            seat = services.add_seat(
                actor=request.user,
                term=term,
                member=member,
                position=data["position"],
                portfolio=data["portfolio"],
                since=data["since"],
            )
        except DomainError as e:
            add_domain_errors(seat_form, e)
        else:
            messages.success(request, f"{seat.member.name} 已任{term}{seat.get_position_display()}。")
            return redirect(reverse("members:committee", args=[org.pk]) + f"#body-{term.body}")

    bodies = []
    for code, label in CommitteeTerm.Body.choices:
        term, seats = overview.terms[code]
        seats = sorted(seats, key=lambda s: (POSITION_RANK.get(s.position, 9), s.since, s.pk))
        bodies.append(
            {
                "code": code,
                "label": label,
                "term": term,
                "seats": seats,
                "expired": bool(term and term.ends_on < today),
                "next_number": numbers[code],
            }
        )
    return render(
        request,
        "members/committee.html",
        {
            "org": org,
            "page_title": "委员会",
            "overview": overview,
            "bodies": bodies,
            "term_form": term_form,
            "seat_form": seat_form,
            "can_edit": can_edit,
            "action": action,
            "today": today,
        },
    )


@login_required
@require_POST
@org_view("committee.edit", "committee")
def seat_end(request, org, seat_id):
    seat = selectors.seat_for(org, seat_id)
    form = SeatEndForm(request.POST)
    target = reverse("members:committee", args=[org.pk]) + f"#body-{seat.term.body}"
    if form.is_valid():
        try:
            services.end_seat(actor=request.user, seat=seat, until=form.cleaned_data["until"])
        except DomainError as e:
            message = "；".join(e.fields.values()) if e.fields else e.message
            messages.error(request, f"{seat.member.name} 离任未保存：{message}")
        else:
            messages.success(request, f"{seat.member.name} 已于 {seat.until:%Y-%m-%d} 离任。")
    return redirect(target)


# ---- roster import and export -------------------------------------------------------------------


@login_required
@org_view("members.import", "members")
def member_import(request, org):
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    report = None
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importing.import_roster(actor=request.user, org=org, upload=form.cleaned_data["file"])
        except importing.ImportInvalid as e:
            report = {"message": e.message, "rows": e.rows}
        except DomainError as e:
            add_domain_errors(form, e)
    return render(
        request,
        "members/import.html",
        {
            "org": org,
            "page_title": "导入名册",
            "form": form,
            "report": report,
            "result": result,
            "columns": importing.REQUIRED_HEADERS,
        },
    )


@login_required
@org_view("members.import", "members")
def import_template(request, org):
    return _xlsx(importing.template_workbook(org), "会员名册导入模板.xlsx")


@login_required
@org_view("members.export", "members")
def member_export(request, org):
    _, values = _roster_filters(request, org)
    content = importing.export_roster(
        actor=request.user,
        org=org,
        members=_filtered(request, org, values),
        clear=can(request.user, org, "members.sensitive"),
    )
    name = selectors.LISTS.get(values["list"], "会员名册")
    return _xlsx(content, f"{org.name}-{name}-{timezone.localdate():%Y%m%d}.xlsx")
