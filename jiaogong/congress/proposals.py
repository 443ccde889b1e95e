"""提案 (RULES.md §1 提案): drafting, seconding, review, 交办, handling, reply and feedback.

Every transition goes through rules.next_state (the one state machine), and writes one
ProposalEvent (the append-only timeline) and one audit row in the same transaction: a refused
request writes nothing. Who may act is checked here, against the delegate roll, the 提案工作委员会,
the lead department's users and the proposer — not only against roles.

The first half are the services (writes); the reads (selectors) follow.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone

from jiaogong.congress import rules
from jiaogong.congress.models import (
    Congress,
    CongressTerm,
    Delegate,
    Department,
    Proposal,
    ProposalCommitteeMember,
    ProposalEvent,
    ProposalSecond,
)
from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.permissions import can, org_for
from jiaogong.core.rules import value_for
from jiaogong.members.models import Member
from jiaogong.members.rules import add_months

STATE_LABELS = dict(Proposal.State.choices)
DECISIONS = {"accept": "立案", "reject": "不予立案", "merge": "并案"}
ACTION_LABELS = {
    "second": "附议",
    "submit": "提交",
    "accept": "立案",
    "reject": "不予立案",
    "merge": "并案",
    "assign": "交办",
    "progress": "登记办理进度",
    "reply": "答复",
    "rate": "评价",
    "reopen": "再办理",
    "close": "办结",
}
# Timeline labels: an event's kind is the new state, or one of the non-transition kinds.
EVENT_LABELS = {
    "awaiting_seconds": "提出",
    "second": "附议",
    "submitted": "提交",
    "accepted": "立案",
    "rejected": "不予立案",
    "merged": "并案",
    "merge_in": "并入他案",
    "assigned": "交办",
    "progress": "办理进度",
    "replied": "答复",
    "rated": "评价",
    "reopened": "再办理",
    "closed": "办结",
    "remind": "催办",
    "excellent": "评为优秀提案",
    "not_excellent": "取消优秀提案",
}
HANDLING = ("assigned", "reopened")  # the department is working on it; a reply is due
AFTER_ACCEPT = ("accepted", "assigned", "replied", "rated", "reopened", "closed")
MERGE_TARGETS = ("submitted", "accepted")


# ---- who is who --------------------------------------------------------------------------------------


def formal_delegate(term: CongressTerm, user) -> Member | None:
    """The caller's member if it holds a current formal seat in the term (列席/特邀 do not propose)."""
    member_id = getattr(user, "member_id", None)
    if member_id is None:
        return None
    seat = (
        Delegate.objects.filter(term=term, member_id=member_id, kind=Delegate.Kind.FORMAL, until__isnull=True)
        .select_related("member")
        .first()
    )
    return seat.member if seat else None


def on_committee(user, term: CongressTerm) -> bool:
    member_id = getattr(user, "member_id", None)
    return (
        member_id is not None
        and ProposalCommitteeMember.objects.filter(term=term, member_id=member_id).exists()
    )


def may_review(user, proposal: Proposal) -> bool:
    """The 提案工作委员会 of the term, and the union's managers, review and assign."""
    return can(user, proposal.org, "congress.manage") or on_committee(user, proposal.congress.term)


def in_lead_department(user, proposal: Proposal) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return (
        proposal.lead_department_id is not None and proposal.lead_department.users.filter(pk=user.pk).exists()
    )


def is_proposer(user, proposal: Proposal) -> bool:
    return getattr(user, "member_id", None) is not None and user.member_id == proposal.proposer_id


def actor_name(user) -> str:
    if user is None:
        return "系统"
    member = getattr(user, "member", None)
    return (member.name if member else "") or user.get_full_name() or user.username


def deadline_of(congress: Congress) -> datetime.date:
    return rules.proposal_deadline(
        congress.opens_on, value_for(congress.org, "congress.proposal_deadline_days")
    )


# ---- the state machine, the timeline and the audit ------------------------------------------------------


def _target(proposal: Proposal, action: str) -> str:
    """The state `action` leads to, or a 409 naming the current state."""
    to = rules.next_state(proposal.state, action, reopened_once=proposal.reopened_once)
    if to is None:
        label = STATE_LABELS.get(proposal.state, proposal.state)
        if action == "reopen":
            raise Conflict("bad_state", "该提案已再办理过一次，不能再次退回办理。")
        raise Conflict("bad_state", f"该提案当前状态为“{label}”，不能{ACTION_LABELS[action]}。")
    return to


def _apply(
    proposal: Proposal,
    action: str,
    *,
    actor,
    fields: dict | None = None,
    note: str = "",
    percent: int | None = None,
    kind: str | None = None,
) -> ProposalEvent:
    """Move the proposal by `action`, set `fields`, and write its event and audit row."""
    to = _target(proposal, action)
    fields = dict(fields or {})
    names = ["state", *fields]
    before = audit.snapshot(proposal, names)
    from_state = proposal.state
    proposal.state = to
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=names)
    event = ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind or (action if to == from_state else to),
        from_state=from_state,
        to_state=to,
        percent=percent,
        note=note,
    )
    audit.record(
        actor=actor,
        org=proposal.org,
        action=f"congress.proposal.{action}",
        obj=proposal,
        changes=audit.diff(before, audit.snapshot(proposal, names)) | ({"note": note} if note else {}),
    )
    return event


def _note(proposal: Proposal, *, actor, kind: str, note: str, action: str) -> ProposalEvent:
    """A timeline entry that is not a transition (merge_in, remind, excellent)."""
    event = ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        from_state=proposal.state,
        to_state=proposal.state,
        note=note,
    )
    audit.record(actor=actor, org=proposal.org, action=action, obj=proposal, changes={"note": note})
    return event


def _lock(proposal: Proposal) -> Proposal:
    """The proposal re-read under a row lock, so two concurrent seconds or replies serialise."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("org", "congress__term", "congress__org", "lead_department", "proposer")
        .get(pk=proposal.pk)
    )


def _text(value, field: str, message: str, errors: dict, max_length: int | None = None) -> str:
    text = (value or "").strip() if isinstance(value, str | type(None)) else str(value).strip()
    if not text:
        errors[field] = message
    elif max_length and len(text) > max_length:
        errors[field] = f"最多 {max_length} 个字。"
    return text


# ---- drafting and seconding ------------------------------------------------------------------------------


@transaction.atomic
def draft_proposal(
    *, actor, congress: Congress, title: str, reasons: str, measures: str, today: datetime.date | None = None
) -> Proposal:
    """一事一案 by a formal delegate. After the deadline it is recorded as 意见建议, labelled so."""
    errors: dict[str, str] = {}
    title = _text(title, "title", "请填写案由（一事一案，简要写明提案事项）。", errors, 200)
    reasons = _text(reasons, "reasons", "请填写理由。", errors)
    measures = _text(measures, "measures", "请填写建议措施。", errors)
    proposer = formal_delegate(congress.term, actor)
    if proposer is None:
        raise DomainError("not_delegate", "只有本届正式代表才能提出提案；其他意见建议请通过代表或工会反映。")
    if errors:
        raise InvalidInput(errors)
    today = today or timezone.localdate()
    deadline = deadline_of(congress)
    late = today > deadline
    proposal = Proposal.objects.create(
        org=congress.org,
        congress=congress,
        kind=Proposal.Kind.SUGGESTION if late else Proposal.Kind.PROPOSAL,
        title=title,
        reasons=reasons,
        measures=measures,
        proposer=proposer,
    )
    note = (
        f"超过提案截止日期（{deadline:%Y-%m-%d}），作为意见建议登记。"
        if late
        else f"{proposer.name} 提出提案，待附议。"
    )
    ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor,
        kind=Proposal.State.AWAITING_SECONDS,
        to_state=Proposal.State.AWAITING_SECONDS,
        note=note,
    )
    audit.record(
        actor=actor,
        org=congress.org,
        action="congress.proposal.draft",
        obj=proposal,
        changes=audit.snapshot(proposal, ["congress", "kind", "title", "proposer", "state"]),
    )
    return proposal


@transaction.atomic
def second_proposal(*, actor, proposal: Proposal) -> Proposal:
    """附议: another formal delegate confirms personally. The last needed second submits it."""
    proposal = _lock(proposal)
    member = formal_delegate(proposal.congress.term, actor)
    if member is None:
        raise DomainError("not_delegate", "只有本届正式代表才能附议提案。")
    if member.pk == proposal.proposer_id:
        raise DomainError("own_proposal", "提案人不能附议自己的提案，请其他代表附议。")
    if ProposalSecond.objects.filter(proposal=proposal, member=member).exists():
        raise Conflict("already_seconded", "您已附议过该提案。")
    _target(proposal, "second")
    try:
        with transaction.atomic():
            ProposalSecond.objects.create(proposal=proposal, member=member)
    except IntegrityError:
        raise Conflict("already_seconded", "您已附议过该提案。") from None
    _apply(proposal, "second", actor=actor, note=f"{member.name} 附议")
    needed = value_for(proposal.org, "congress.proposal_min_seconds")
    if proposal.seconds.count() >= needed:
        _apply(
            proposal,
            "submit",
            actor=actor,
            fields={"submitted_at": timezone.now()},
            note=f"附议代表达到 {needed} 人，提案已提交提案工作委员会审查。",
        )
    return proposal


# ---- review and 交办 ----------------------------------------------------------------------------------------


def _department(org, value, field: str) -> Department:
    """A department of the org, given as a Department, an id or a name (400 otherwise)."""
    if isinstance(value, Department):
        if value.org_id == org.pk:
            return value
        raise InvalidInput({field: "没有找到该部门。"})
    query = Department.objects.filter(org=org)
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        found = query.filter(pk=int(value)).first()
    else:
        found = query.filter(name=str(value).strip()).first()
    if found is None:
        raise InvalidInput({field: f"没有找到部门“{value}”，请先在“职能部门”中建立。"})
    return found


def _departments(org, lead, supporting) -> tuple[Department, list[Department]]:
    if lead in (None, ""):
        raise InvalidInput({"lead_department": "请选择主办部门。"})
    lead_department = _department(org, lead, "lead_department")
    others = []
    for value in supporting or ():
        department = _department(org, value, "supporting_departments")
        if department != lead_department and department not in others:
            others.append(department)
    return lead_department, others


def _merge_target(proposal: Proposal, value) -> Proposal:
    if value in (None, ""):
        raise InvalidInput({"merge_into": "并案时请选择要并入的提案。"})
    pk = value.pk if isinstance(value, Proposal) else value
    try:
        target = Proposal.objects.filter(congress=proposal.congress, pk=int(pk)).first()
    except (TypeError, ValueError):
        target = None
    if target is None or target.pk == proposal.pk:
        raise InvalidInput({"merge_into": "请选择本次会议的另一件提案。"})
    if target.state not in MERGE_TARGETS:
        label = STATE_LABELS[target.state]
        raise InvalidInput({"merge_into": f"只能并入已提交或已立案的提案（该提案为“{label}”）。"})
    return target


def _next_number(congress: Congress) -> int:
    Congress.objects.select_for_update().filter(pk=congress.pk).first()  # serialises the numbering
    return (Proposal.objects.filter(congress=congress).aggregate(n=Max("number"))["n"] or 0) + 1


def _assign(proposal, *, actor, lead: Department, supporting: list[Department], today: datetime.date):
    months = value_for(proposal.org, "congress.reply_due_months")
    due = add_months(today, months)
    _apply(
        proposal,
        "assign",
        actor=actor,
        fields={"lead_department": lead, "assigned_on": today, "reply_due_on": due},
        note=f"交办 {lead.name} 主办"
        + (f"，{'、'.join(d.name for d in supporting)} 协办" if supporting else "")
        + f"；{due:%Y-%m-%d} 前答复。",
    )
    proposal.supporting_departments.set(supporting)


@transaction.atomic
def review_proposal(
    *,
    actor,
    proposal: Proposal,
    decision: str,
    reason: str = "",
    merge_into=None,
    lead_department=None,
    supporting_departments=(),
    forward_as_suggestion: bool = False,
    today: datetime.date | None = None,
) -> Proposal:
    """审查: 立案 (and 交办 at once when a lead department is named), 不予立案 (with the reason for
    the proposer, optionally forwarded as 意见建议), or 并案 into another proposal."""
    proposal = _lock(proposal)
    if not may_review(actor, proposal):
        raise PermissionDenied("只有提案工作委员会委员和工会主席、副主席、组织委员可以审查提案。")
    if decision not in DECISIONS:
        raise InvalidInput({"decision": "审查结论应为立案（accept）、不予立案（reject）或并案（merge）。"})
    _target(proposal, decision)
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if decision == "reject":
        if not reason:
            raise InvalidInput({"reason": "不予立案须写明理由，理由将告知提案人。"})
        fields = {"decision_reason": reason}
        note = f"不予立案：{reason}"
        if forward_as_suggestion:
            fields["kind"] = Proposal.Kind.SUGGESTION
            note += "（转作意见建议处理）"
        _apply(proposal, "reject", actor=actor, fields=fields, note=note)
    elif decision == "merge":
        target = _merge_target(proposal, merge_into)
        _apply(
            proposal,
            "merge",
            actor=actor,
            fields={"merged_into": target, "decision_reason": reason},
            note=f"并入提案《{target.title}》" + (f"：{reason}" if reason else ""),
        )
        joining = {proposal.proposer_id, *proposal.co_proposers.values_list("pk", flat=True)}
        joining.discard(target.proposer_id)
        target.co_proposers.add(*joining)
        names = "、".join(Member.objects.filter(pk__in=joining).values_list("name", flat=True))
        _note(
            target,
            actor=actor,
            kind="merge_in",
            note=f"提案《{proposal.title}》并入本案" + (f"，{names} 成为联名提案人" if names else ""),
            action="congress.proposal.merge_in",
        )
    else:
        departments = None
        if lead_department not in (None, ""):
            departments = _departments(proposal.org, lead_department, supporting_departments)
        number = _next_number(proposal.congress)
        _apply(
            proposal,
            "accept",
            actor=actor,
            fields={"number": number, "decision_reason": reason},
            note=f"立案，第 {number} 号" + (f"：{reason}" if reason else ""),
        )
        if departments:
            _assign(proposal, actor=actor, lead=departments[0], supporting=departments[1], today=today)
    return proposal


@transaction.atomic
def assign_proposal(
    *,
    actor,
    proposal: Proposal,
    lead_department,
    supporting_departments=(),
    today: datetime.date | None = None,
) -> Proposal:
    """交办: one lead department (主办), optional supporting ones (协办); the reply is due in
    `congress.reply_due_months` months."""
    proposal = _lock(proposal)
    if not may_review(actor, proposal):
        raise PermissionDenied("只有提案工作委员会委员和工会主席、副主席、组织委员可以交办提案。")
    _target(proposal, "assign")
    lead, supporting = _departments(proposal.org, lead_department, supporting_departments)
    _assign(proposal, actor=actor, lead=lead, supporting=supporting, today=today or timezone.localdate())
    return proposal


# ---- handling, reply, feedback ------------------------------------------------------------------------------


def _require_department(actor, proposal: Proposal, doing: str) -> None:
    if not in_lead_department(actor, proposal):
        raise PermissionDenied(f"只有主办部门的人员可以{doing}。")


@transaction.atomic
def record_progress(*, actor, proposal: Proposal, percent, note: str = "") -> Proposal:
    """The lead department reports how far the handling has come (a timeline entry)."""
    proposal = _lock(proposal)
    _require_department(actor, proposal, "登记办理进度")
    _target(proposal, "progress")
    try:
        value = int(percent)
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(percent, bool) or not 0 <= value <= 100:
        raise InvalidInput({"percent": "办理进度应为 0 到 100 之间的整数。"})
    note = (note or "").strip()
    _apply(proposal, "progress", actor=actor, fields={"progress": value}, percent=value, note=note)
    return proposal


@transaction.atomic
def reply_proposal(
    *, actor, proposal: Proposal, code: str, text: str, today: datetime.date | None = None
) -> Proposal:
    """答复 with an outcome code (A 已解决 · B 正在解决 · C 暂缓 · D 留作参考) and the measures and
    dates, or the reason. A second handling replies again; the first reply stays in the timeline."""
    proposal = _lock(proposal)
    _require_department(actor, proposal, "答复提案")
    _target(proposal, "reply")
    errors: dict[str, str] = {}
    if code not in Proposal.Code.values:
        errors["code"] = "答复类别应为 A、B、C 或 D。"
    text = _text(text, "text", "请填写答复内容：采取的措施和完成时间，或不能解决的原因。", errors)
    if errors:
        raise InvalidInput(errors)
    today = today or timezone.localdate()
    fields = {"reply_code": code, "reply_text": text, "replied_on": today}
    if code == Proposal.Code.A:
        fields["progress"] = 100
    _apply(
        proposal,
        "reply",
        actor=actor,
        fields=fields,
        note=f"{code} {Proposal.Code(code).label}：{text}",
    )
    return proposal


@transaction.atomic
def rate_proposal(
    *, actor, proposal: Proposal, rating: str, note: str = "", today: datetime.date | None = None
) -> Proposal:
    """The proposer rates the reply. 不满意 reopens it for a second handling once; otherwise, and
    always after the second handling, it is closed (办结)."""
    proposal = _lock(proposal)
    if not is_proposer(actor, proposal):
        raise PermissionDenied("只有提案人可以评价办理结果。")
    _target(proposal, "rate")
    if rating not in Proposal.Rating.values:
        raise InvalidInput({"rating": "评价应为满意、基本满意或不满意。"})
    today = today or timezone.localdate()
    note = (note or "").strip()
    label = Proposal.Rating(rating).label
    _apply(
        proposal, "rate", actor=actor, fields={"rating": rating}, note=label + (f"：{note}" if note else "")
    )
    if rules.after_rating(rating, proposal.reopened_once) == "reopen":
        due = add_months(today, value_for(proposal.org, "congress.reply_due_months"))
        _apply(
            proposal,
            "reopen",
            actor=actor,
            fields={"reopened_once": True, "reply_due_on": due},
            note=f"提案人不满意，退回 {proposal.lead_department} 再办理一次，{due:%Y-%m-%d} 前再次答复。",
        )
    else:
        _apply(proposal, "close", actor=actor, fields={"closed_on": today}, note="办结。")
    return proposal


@transaction.atomic
def mark_excellent(*, actor, proposal: Proposal, excellent: bool = True, note: str = "") -> Proposal:
    """优秀提案: chosen by the union's managers among accepted proposals (not a state change)."""
    proposal = _lock(proposal)
    if not can(actor, proposal.org, "congress.manage"):
        raise PermissionDenied("只有工会主席、副主席、组织委员可以评定优秀提案。")
    if excellent and (proposal.kind != Proposal.Kind.PROPOSAL or proposal.state not in AFTER_ACCEPT):
        label = STATE_LABELS[proposal.state]
        raise Conflict("bad_state", f"只有已立案的提案才能评为优秀提案（该提案为“{label}”）。")
    if proposal.excellent == bool(excellent):
        return proposal
    proposal.excellent = bool(excellent)
    proposal.save(update_fields=["excellent"])
    note = (note or "").strip()
    _note(
        proposal,
        actor=actor,
        kind="excellent" if excellent else "not_excellent",
        note=note or EVENT_LABELS["excellent" if excellent else "not_excellent"],
        action="congress.proposal.excellent" if excellent else "congress.proposal.not_excellent",
    )
    return proposal


def remind_overdue(*, org=None, today: datetime.date | None = None) -> list[Proposal]:
    """催办: one "remind" entry a day at most for each proposal whose reply is overdue."""
    today = today or timezone.localdate()
    reminded = []
    orgs = [org] if org is not None else None
    for proposal in overdue(orgs, today):
        with transaction.atomic():
            locked = _lock(proposal)
            if not rules.reply_overdue(locked.reply_due_on, locked.state, today):
                continue
            if locked.events.filter(kind="remind", at__date=today).exists():
                continue
            days = (today - locked.reply_due_on).days
            _note(
                locked,
                actor=None,
                kind="remind",
                note=f"答复已逾期 {days} 天（应于 {locked.reply_due_on:%Y-%m-%d} 前答复），请 {locked.lead_department} 尽快答复。",
                action="congress.proposal.remind",
            )
            reminded.append(locked)
    return reminded


# ---- 提案工作委员会 and departments ---------------------------------------------------------------------------


def _manager(actor, org, doing: str) -> None:
    if not can(actor, org, "congress.manage"):
        raise PermissionDenied(f"只有工会主席、副主席、组织委员可以{doing}。")


@transaction.atomic
def add_committee_member(*, actor, term: CongressTerm, member: Member) -> ProposalCommitteeMember:
    _manager(actor, term.org, "组成提案工作委员会")
    if member.org_id != term.org_id:
        raise InvalidInput({"member": "没有找到该会员。"})
    seat, created = ProposalCommitteeMember.objects.get_or_create(term=term, member=member)
    if not created:
        raise Conflict("already_member", f"{member.name} 已是提案工作委员会委员。")
    audit.record(
        actor=actor,
        org=term.org,
        action="congress.proposal_committee.add",
        obj=seat,
        changes={"term": term.number, "member": member.name},
    )
    return seat


@transaction.atomic
def remove_committee_member(*, actor, seat: ProposalCommitteeMember) -> None:
    term = seat.term
    _manager(actor, term.org, "调整提案工作委员会")
    audit.record(
        actor=actor,
        org=term.org,
        action="congress.proposal_committee.remove",
        obj=seat,
        changes={"term": term.number, "member": seat.member.name},
    )
    seat.delete()


@transaction.atomic
def set_committee(*, actor, term: CongressTerm, members: list[Member]) -> list[str]:
    """Name the whole committee at once (API); returns warnings on its size (5–7 by default)."""
    _manager(actor, term.org, "组成提案工作委员会")
    if any(m.org_id != term.org_id for m in members):
        raise InvalidInput({"members": "没有找到这些会员。"})
    before = sorted(term.proposal_committee.values_list("member__name", flat=True))
    term.proposal_committee.exclude(member__in=members).delete()
    for member in members:
        ProposalCommitteeMember.objects.get_or_create(term=term, member=member)
    after = sorted(m.name for m in members)
    audit.record(
        actor=actor,
        org=term.org,
        action="congress.proposal_committee.set",
        obj=term,
        changes={"members": [before, after]},
    )
    return committee_warnings(term)


def committee_warnings(term: CongressTerm) -> list[str]:
    size = value_for(term.org, "congress.proposal_committee_size")
    low, high = min(size), max(size)
    n = term.proposal_committee.count()
    if n and not low <= n <= high:
        return [f"提案工作委员会现有 {n} 人，通常为 {low}–{high} 人。"]
    return []


@transaction.atomic
def create_department(*, actor, org, name: str, users=()) -> Department:
    _manager(actor, org, "设置职能部门")
    errors: dict[str, str] = {}
    name = _text(name, "name", "请填写部门名称。", errors, 50)
    if not errors and Department.objects.filter(org=org, name=name).exists():
        errors["name"] = f"已有名为“{name}”的部门。"
    if errors:
        raise InvalidInput(errors)
    department = Department.objects.create(org=org, name=name)
    audit.record(
        actor=actor, org=org, action="congress.department.create", obj=department, changes={"name": name}
    )
    for user in users:
        add_department_user(actor=actor, department=department, user=user)
    return department


def _org_user(org, user):
    from jiaogong.accounts.models import RoleGrant

    if not RoleGrant.objects.filter(org=org, user=user).exists():
        raise InvalidInput({"user": "该用户不属于本单位，请先在本单位为其开设账号。"})


@transaction.atomic
def add_department_user(*, actor, department: Department, user) -> None:
    _manager(actor, department.org, "设置职能部门")
    _org_user(department.org, user)
    if department.users.filter(pk=user.pk).exists():
        raise Conflict("already_in_department", f"{actor_name(user)} 已在{department.name}。")
    department.users.add(user)
    audit.record(
        actor=actor,
        org=department.org,
        action="congress.department.add_user",
        obj=department,
        changes={"user": [None, user.username]},
    )


@transaction.atomic
def remove_department_user(*, actor, department: Department, user) -> None:
    _manager(actor, department.org, "设置职能部门")
    if not department.users.filter(pk=user.pk).exists():
        raise Conflict("not_in_department", f"{actor_name(user)} 不在{department.name}。")
    department.users.remove(user)
    audit.record(
        actor=actor,
        org=department.org,
        action="congress.department.remove_user",
        obj=department,
        changes={"user": [user.username, None]},
    )


# ---- selectors ------------------------------------------------------------------------------------------------


def with_relations(qs):
    return qs.select_related(
        "org", "congress__term", "congress__org", "proposer", "lead_department", "merged_into"
    )


def proposal_for(user, proposal_id, capability: str = "congress.view") -> Proposal:
    """The proposal, if the caller may see its org: another org's proposal is a 404 (API)."""
    try:
        proposal = with_relations(Proposal.objects).filter(pk=int(proposal_id)).first()
    except (TypeError, ValueError):
        proposal = None
    if proposal is None:
        raise Http404("没有找到该提案。")
    org_for(user, proposal.org_id, capability)
    return proposal


def proposal_in(org, proposal_id) -> Proposal:
    """The proposal within an org already resolved for the caller (pages)."""
    proposal = with_relations(Proposal.objects).filter(org=org, pk=proposal_id).first()
    if proposal is None:
        raise Http404("没有找到该提案。")
    return proposal


def proposals_of(congress: Congress, state: str = ""):
    qs = with_relations(congress.proposals.all()).annotate(n_seconds=Count("seconds", distinct=True))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("number", "created_at", "id")


def state_counts(congress: Congress) -> dict[str, int]:
    rows = congress.proposals.values_list("state").annotate(n=Count("id"))
    counts = dict.fromkeys(rules.STATES, 0)
    counts.update(dict(rows))
    return counts


def overdue(orgs, today: datetime.date) -> list[Proposal]:
    """Proposals being handled whose reply is late (rules.reply_overdue), the oldest due first.
    `orgs` is an org, a list of orgs, or None for every org."""
    qs = with_relations(Proposal.objects.filter(state__in=HANDLING, reply_due_on__lt=today))
    if orgs is not None:
        qs = qs.filter(org__in=orgs if isinstance(orgs, list | tuple) else [orgs])
    return [
        p for p in qs.order_by("reply_due_on", "id") if rules.reply_overdue(p.reply_due_on, p.state, today)
    ]


def departments_of(user, org):
    return Department.objects.filter(org=org, users=user)


def inbox(user, org, today: datetime.date) -> list[Proposal]:
    """A department's proposals to handle (assigned or reopened; replied ones await the rating),
    overdue first. The union's managers see every department's."""
    qs = Proposal.objects.filter(org=org, state__in=(*HANDLING, "replied"))
    if not can(user, org, "congress.manage"):
        mine = departments_of(user, org)
        qs = qs.filter(Q(lead_department__in=mine) | Q(supporting_departments__in=mine)).distinct()
    qs = with_relations(qs).annotate(n_reminders=Count("events", filter=Q(events__kind="remind")))
    items = list(qs)
    for p in items:
        p.is_overdue = rules.reply_overdue(p.reply_due_on, p.state, today)
        p.is_lead = p.lead_department_id in {d.pk for d in departments_of(user, org)}
    items.sort(
        key=lambda p: (not p.is_overdue, p.state == "replied", p.reply_due_on or datetime.date.max, p.pk)
    )
    return items


def decision_of(proposal: Proposal) -> str | None:
    if proposal.state in AFTER_ACCEPT:
        return "accept"
    return {"rejected": "reject", "merged": "merge"}.get(proposal.state)


def timeline(proposal: Proposal):
    return proposal.events.select_related("actor__member").order_by("at", "id")


def event_data(event: ProposalEvent) -> dict:
    return {
        "at": timezone.localtime(event.at).isoformat(),
        "kind": event.kind,
        "label": EVENT_LABELS.get(event.kind, event.kind),
        "from_state": event.from_state or None,
        "to_state": event.to_state or None,
        "note": event.note,
        "percent": event.percent,
        "actor": actor_name(event.actor),
    }


def proposal_data(proposal: Proposal) -> dict:
    """The proposal as the API gives it (API.md names kept; more fields added)."""
    seconds = list(proposal.seconds.select_related("member"))
    supporting = list(proposal.supporting_departments.all())
    co = list(proposal.co_proposers.all())
    lead = proposal.lead_department
    return {
        "id": proposal.pk,
        "congress": proposal.congress_id,
        "kind": proposal.kind,
        "kind_label": proposal.get_kind_display(),
        "number": proposal.number,
        "state": proposal.state,
        "state_label": proposal.get_state_display(),
        "title": proposal.title,
        "reasons": proposal.reasons,
        "measures": proposal.measures,
        "proposer": proposal.proposer_id,
        "proposer_name": proposal.proposer.name,
        "co_proposers": [m.pk for m in co],
        "co_proposer_names": [m.name for m in co],
        "seconds": len(seconds),
        "seconded_by": [s.member.name for s in seconds],
        "submitted_at": timezone.localtime(proposal.submitted_at).isoformat()
        if proposal.submitted_at
        else None,
        "decision": decision_of(proposal),
        "decision_reason": proposal.decision_reason,
        "merged_into": proposal.merged_into_id,
        "lead_department": lead.pk if lead else None,
        "lead_department_name": lead.name if lead else None,
        "supporting_departments": [d.pk for d in supporting],
        "supporting_department_names": [d.name for d in supporting],
        "assigned_on": proposal.assigned_on,
        "reply_due_on": proposal.reply_due_on,
        "overdue": rules.reply_overdue(proposal.reply_due_on, proposal.state, timezone.localdate()),
        "progress": proposal.progress,
        "reply": (
            {"code": proposal.reply_code, "text": proposal.reply_text, "replied_on": proposal.replied_on}
            if proposal.reply_code
            else None
        ),
        "rating": proposal.rating or None,
        "reopened_once": proposal.reopened_once,
        "closed_on": proposal.closed_on,
        "excellent": proposal.excellent,
        "history": [event_data(e) for e in timeline(proposal)],
    }
