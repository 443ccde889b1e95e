"""Reads of 送温暖, always scoped by org: the queue, my visits, visitor candidates, greeting previews,
birthdays of a month, retirees and their 座谈会."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404

from jiaogong.core.permissions import can
from jiaogong.core.rules import value_for
from jiaogong.funds import benefits
from jiaogong.funds.models import Benefit
from jiaogong.members.models import CommitteeSeat, CommitteeTerm, GroupLeader, Member
from jiaogong.welfare import rules
from jiaogong.welfare.models import CareEvent, GreetingBatch, RetireeMeeting, RetireeMeetingAttendee, Visit


def triggers(org) -> dict[str, rules.Trigger]:
    return rules.triggers_from(value_for(org, "welfare.triggers"))


def kind_label(org, kind: str) -> str:
    trigger = triggers(org).get(kind)
    return trigger.label if trigger else kind


# ---- care events ------------------------------------------------------------------------------------

QUEUE_FILTERS = {
    "open": "未走访",
    "new": "待分派",
    "assigned": "待走访",
    "overdue": "已逾期",
    "visited": "已走访",
    "all": "全部",
}


def events_of(org) -> QuerySet[CareEvent]:
    return CareEvent.objects.filter(org=org).select_related("member__union_group", "visitor", "reported_by")


def queue(org, today: datetime.date, state: str = "open") -> QuerySet[CareEvent]:
    qs = events_of(org)
    if state == "open":
        qs = qs.exclude(status=CareEvent.Status.VISITED)
    elif state in (CareEvent.Status.NEW, CareEvent.Status.ASSIGNED, CareEvent.Status.VISITED):
        qs = qs.filter(status=state)
    elif state == "overdue":
        qs = qs.exclude(status=CareEvent.Status.VISITED).filter(visit_due_on__lt=today)
    if state == "visited":
        return qs.order_by("-visit__visited_on", "-id")
    return qs.order_by("visit_due_on", "id")


def queue_counts(org, today: datetime.date) -> dict[str, int]:
    qs = CareEvent.objects.filter(org=org)
    open_ = qs.exclude(status=CareEvent.Status.VISITED)
    return {
        "new": open_.filter(status=CareEvent.Status.NEW).count(),
        "assigned": open_.filter(status=CareEvent.Status.ASSIGNED).count(),
        "overdue": open_.filter(visit_due_on__lt=today).count(),
        "visited": qs.filter(status=CareEvent.Status.VISITED, visit__visited_on__year=today.year).count(),
    }


def my_visits(user, org) -> QuerySet[CareEvent]:
    """The visits assigned to the user's member (not yet recorded first)."""
    member_id = getattr(user, "member_id", None)
    if member_id is None:
        return CareEvent.objects.none()
    return events_of(org).filter(visitor_id=member_id).order_by("status", "visit_due_on", "id")


def my_reports(user, org) -> QuerySet[CareEvent]:
    return events_of(org).filter(reported_by=user).order_by("-reported_at")


def event_for(user, org, event_id) -> CareEvent:
    """A care event of the org the user may open: the chair and the welfare member, or its visitor.
    Another org's event is a 404; one of the org the user has no part in is a 403."""
    try:
        event = events_of(org).get(pk=int(event_id))
    except (CareEvent.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该慰问事项。") from None
    if can(user, org, "welfare.view"):
        return event
    member_id = getattr(user, "member_id", None)
    if member_id is not None and event.visitor_id == member_id:
        return event
    raise PermissionDenied("只有生活委员、工会主席和被分派的走访人可以查看慰问事项。")


def visit_of(event: CareEvent) -> Visit | None:
    return (
        Visit.objects.filter(event=event)
        .select_related("benefit__entry", "recorded_by")
        .prefetch_related("visitors", "photos")
        .first()
    )


def group_leader_of(member: Member) -> Member | None:
    """The member's 工会小组长 (the leader in office; a deputy when there is no leader)."""
    if not member.union_group_id:
        return None
    rows = GroupLeader.objects.filter(
        org_id=member.org_id, group_id=member.union_group_id, ended_on__isnull=True
    ).select_related("member")
    leaders = sorted(rows, key=lambda g: (g.role != GroupLeader.Role.LEADER, -g.elected_on.toordinal()))
    for leader in leaders:
        if leader.member_id != member.pk and leader.member.status == Member.Status.ACTIVE:
            return leader.member
    return None


def open_union_term(org) -> CommitteeTerm | None:
    return (
        CommitteeTerm.objects.filter(org=org, body=CommitteeTerm.Body.UNION, closed_on__isnull=True)
        .order_by("-number")
        .first()
    )


def visitor_candidates(org) -> list[tuple[Member, str]]:
    """Who may be sent: the 工会小组长 in office and the members of the open 工会委员会 term,
    each with why ("语文组组长", "工会委员（生活福利）")."""
    out: dict[int, tuple[Member, str]] = {}
    for g in GroupLeader.objects.filter(org=org, ended_on__isnull=True).select_related("member", "group"):
        if g.member.status == Member.Status.ACTIVE:
            out.setdefault(g.member_id, (g.member, f"{g.group.name}{g.get_role_display()}"))
    term = open_union_term(org)
    if term is not None:
        for seat in CommitteeSeat.objects.filter(term=term, until__isnull=True).select_related("member"):
            if seat.member.status != Member.Status.ACTIVE:
                continue
            why = seat.get_position_display() if seat.position != "member" else "工会委员"
            if seat.portfolio:
                why += f"（{seat.get_portfolio_display()}）"
            if seat.member_id in out:
                out[seat.member_id] = (seat.member, out[seat.member_id][1] + "、" + why)
            else:
                out[seat.member_id] = (seat.member, why)
    return sorted(out.values(), key=lambda x: (x[0].name_pinyin, x[0].pk))


def colleagues(org) -> QuerySet[Member]:
    """Whom a care event may be about (the report form's list)."""
    return Member.objects.filter(
        org=org, status__in=[Member.Status.ACTIVE, Member.Status.RETIRED]
    ).select_related("union_group")


# ---- greetings ----------------------------------------------------------------------------------------


def hardship_available() -> bool:
    try:
        from jiaogong.hardship.selectors import members_with_open_files  # noqa: F401
    except ImportError:
        return False
    return True


def hardship_member_ids(org, on: datetime.date) -> list[int]:
    """The 困难职工家庭 (hardship app, interface §2); none when that app is not installed yet."""
    try:
        from jiaogong.hardship.selectors import members_with_open_files
    except ImportError:  # pragma: no cover - the hardship app ships alongside
        return []
    return list(members_with_open_files(org, on).values_list("pk", flat=True))


def birthdays_in(org, month: int) -> QuerySet[Member]:
    """Active members with a birthday in the month (RULES.md §3: birthday 慰问 once a year)."""
    return (
        Member.objects.filter(org=org, status=Member.Status.ACTIVE, birth_date__month=month)
        .select_related("union_group")
        .order_by("birth_date__day", "name_pinyin", "id")
    )


def batches_of(org, kind: str | None = None) -> QuerySet[GreetingBatch]:
    qs = GreetingBatch.objects.filter(org=org).select_related("entry", "created_by")
    return qs.filter(kind=kind) if kind else qs


def batch_for(org, batch_id) -> GreetingBatch:
    try:
        return batches_of(org).get(pk=int(batch_id))
    except (GreetingBatch.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该慰问批次。") from None


@dataclass
class PreviewRow:
    recipient: object
    allowance: Decimal | None  # what the caps leave for the member this year, before this batch
    over: bool
    rule: str


@dataclass
class Preview:
    rows: list[PreviewRow]
    total: Decimal
    over: int
    by_class: dict[str, tuple[int, Decimal]]
    form_refusal: str = ""


def preview(batch: GreetingBatch) -> Preview:
    """Each recipient with the allowance left this year and whether this batch takes them over."""
    recipients = list(batch.recipients.select_related("member__union_group").order_by("klass", "id"))
    rows: list[PreviewRow] = []
    by_class: dict[str, tuple[int, Decimal]] = {}
    total = Decimal("0.00")
    form_refusal = ""
    if recipients and batch.status == GreetingBatch.Status.DRAFT:
        checked = benefits.check_batch(
            org=batch.org,
            kind=batch.kind,
            festival=batch.festival,
            form=batch.form,
            lines=[(r.member, r.amount) for r in recipients],
            date=batch.given_on,
        )
        for r, (_m, _p, decision) in zip(recipients, checked, strict=True):
            if decision.code == "form_not_allowed":
                form_refusal = decision.rule
            rows.append(PreviewRow(r, decision.remaining, not decision.allowed, decision.rule))
    else:
        rows = [PreviewRow(r, None, False, "") for r in recipients]
    for row in rows:
        r = row.recipient
        key = r.get_klass_display() + ("（困难职工家庭）" if r.hardship else "")
        n, amount = by_class.get(key, (0, Decimal("0.00")))
        by_class[key] = (n + 1, amount + r.amount)
        total += r.amount
    return Preview(
        rows=rows,
        total=total,
        over=sum(1 for r in rows if r.over and r.rule and not form_refusal),
        by_class=by_class,
        form_refusal=form_refusal,
    )


# ---- retirees -----------------------------------------------------------------------------------------


def retirees(org) -> QuerySet[Member]:
    return Member.objects.filter(org=org, status=Member.Status.RETIRED).select_related("union_group")


def received_by(org, member_ids, year: int | None = None) -> dict[int, list[Benefit]]:
    qs = Benefit.objects.filter(org=org, member_id__in=list(member_ids)).order_by("-date", "-id")
    if year is not None:
        qs = qs.filter(date__year=year)
    out: dict[int, list[Benefit]] = {}
    for b in qs:
        out.setdefault(b.member_id, []).append(b)
    return out


def events_by_member(org, member_ids) -> dict[int, list[CareEvent]]:
    out: dict[int, list[CareEvent]] = {}
    for e in CareEvent.objects.filter(org=org, member_id__in=list(member_ids)).select_related("visit"):
        out.setdefault(e.member_id, []).append(e)
    return out


# ---- 退休教职工座谈会 ---------------------------------------------------------------------------------


def meetings_of(org) -> QuerySet[RetireeMeeting]:
    """The org's 座谈会, newest first, each with `n_attendees`."""
    return (
        RetireeMeeting.objects.filter(org=org)
        .select_related("entry")
        .annotate(n_attendees=Count("attendance"))
        .order_by("-held_on", "-id")
    )


def meeting_for(org, meeting_id) -> RetireeMeeting:
    """A 座谈会 of the org (another org's is a 404)."""
    try:
        return meetings_of(org).select_related("created_by").get(pk=int(meeting_id))
    except (RetireeMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该座谈会。") from None


def meeting_attendees(meeting: RetireeMeeting) -> list[Member]:
    rows = RetireeMeetingAttendee.objects.filter(org_id=meeting.org_id, meeting=meeting)
    return [
        r.member
        for r in rows.select_related("member__union_group").order_by("member__name_pinyin", "member_id")
    ]


def meetings_attended(org, member_ids, year: int) -> dict[int, int]:
    """How many of the year's 座谈会 each member came to."""
    rows = (
        RetireeMeetingAttendee.objects.filter(
            org=org, member_id__in=list(member_ids), meeting__held_on__year=year
        )
        .values("member_id")
        .annotate(n=Count("id"))
    )
    return {r["member_id"]: r["n"] for r in rows}
