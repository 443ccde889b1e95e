"""兴趣小组 writes: clubs, joining and leaving, the leader election, the yearly plan and sessions,
the budget request → approval → spending against it. Checked first, written whole or not at all,
audited. The pages and the API both call these."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from jiaogong.activities.services import create_activity
from jiaogong.clubs import rules
from jiaogong.clubs.models import Budget, Club, ClubSession, Election, Membership, Plan, Spending, Vote
from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.money import parse_yuan, to_money
from jiaogong.core.parsing import clean_text
from jiaogong.core.permissions import can
from jiaogong.funds import services as funds
from jiaogong.members.models import Member

MAX_LINES = 30


def _year(value, errors: dict, field: str = "year") -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors[field] = "请填写年度，例如 2026。"
        return None
    if not 2000 <= year <= 2100:
        errors[field] = "年度应在 2000 至 2100 之间。"
        return None
    return year


def is_leader(user, club: Club) -> bool:
    member_id = getattr(user, "member_id", None)
    return member_id is not None and club.leader_id == member_id


def may_organise(user, club: Club) -> bool:
    """The club's leader, or a committee member who organises activities (activities.manage)."""
    return is_leader(user, club) or can(user, club.org, "activities.manage")


def _is_member(club: Club, member: Member) -> bool:
    return Membership.objects.filter(club=club, member=member, left_at__isnull=True).exists()


# ---- clubs and members ---------------------------------------------------------------------------


@transaction.atomic
def create_club(*, actor, org, name: str, description: str = "") -> Club:
    errors: dict[str, str] = {}
    name = clean_text(name, label="小组名称", max_length=50, required=True, errors=errors, field="name")
    description = clean_text(
        description, label="简介", max_length=2000, required=False, errors=errors, field="description"
    )
    if name and "name" not in errors and Club.objects.filter(org=org, name=name).exists():
        errors["name"] = f"本单位已有“{name}”。"
    if errors:
        raise InvalidInput(errors, "兴趣小组未创建。")
    try:
        with transaction.atomic():
            club = Club.objects.create(org=org, name=name, description=description, created_by=actor)
    except IntegrityError:
        raise InvalidInput({"name": f"本单位已有“{name}”。"}, "兴趣小组未创建。") from None
    audit.record(actor=actor, org=org, action="clubs.club.create", obj=club, changes=audit.snapshot(club))
    return club


@transaction.atomic
def join(*, actor, club: Club, member: Member | None) -> Membership:
    """A member joins a club (themselves: the views pass the user's own member)."""
    if member is None or member.org_id != club.org_id:
        raise DomainError("not_a_member", "只有本单位的会员才能加入兴趣小组（您的账号未关联会员档案）。")
    if member.status != Member.Status.ACTIVE:
        raise DomainError("not_active", f"{member.name}不是在册会员，不能加入兴趣小组。")
    if _is_member(club, member):
        raise Conflict("already_joined", f"{member.name}已经是“{club.name}”的成员。")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(org_id=club.org_id, club=club, member=member)
    except IntegrityError:
        raise Conflict("already_joined", f"{member.name}已经是“{club.name}”的成员。") from None
    audit.record(
        actor=actor,
        org=club.org_id,
        action="clubs.member.join",
        obj=membership,
        changes={"member": member.pk},
    )
    return membership


@transaction.atomic
def leave(*, actor, club: Club, member: Member | None) -> Membership:
    """A member leaves; a leader who leaves is no longer the leader (the members choose another)."""
    membership = (
        Membership.objects.select_for_update().filter(club=club, member=member, left_at__isnull=True).first()
        if member is not None
        else None
    )
    if membership is None:
        raise Conflict("not_joined", f"您不是“{club.name}”的成员。")
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    changes = {"member": member.pk}
    if club.leader_id == member.pk:
        Club.objects.filter(pk=club.pk).update(leader=None)
        club.leader = None
        changes["leader_cleared"] = True
    audit.record(actor=actor, org=club.org_id, action="clubs.member.leave", obj=membership, changes=changes)
    return membership


# ---- choosing the leader -------------------------------------------------------------------------


@transaction.atomic
def open_election(*, actor, club: Club) -> Election:
    """Start choosing a leader (the committee: activities.manage or clubs.approve)."""
    if not (can(actor, club.org, "activities.manage") or can(actor, club.org, "clubs.approve")):
        raise PermissionDenied("只有工会主席、副主席或组织活动的委员可以发起组长选举。")
    if not Membership.objects.filter(club=club, left_at__isnull=True).exists():
        raise DomainError("no_members", f"“{club.name}”还没有成员，不能选举组长。")
    try:
        with transaction.atomic():
            election = Election.objects.create(org_id=club.org_id, club=club, opened_by=actor)
    except IntegrityError:
        raise Conflict("election_open", f"“{club.name}”的组长选举正在进行中。") from None
    audit.record(actor=actor, org=club.org_id, action="clubs.election.open", obj=election, changes={})
    return election


@transaction.atomic
def cast_vote(*, actor, election: Election, voter: Member | None, candidate_id) -> Vote:
    """A club member votes once for a club member (themselves included). A second vote is refused
    by the database's unique constraint."""
    election = Election.objects.select_related("club").get(pk=election.pk)
    club = election.club
    if election.status != Election.Status.OPEN:
        raise Conflict("election_closed", "本次组长选举已经结束。")
    if voter is None or not _is_member(club, voter):
        raise DomainError("not_in_club", f"只有“{club.name}”的成员可以投票，请先加入小组。")
    candidate = Member.objects.filter(org_id=club.org_id, pk=_int(candidate_id)).first()
    if candidate is None or not _is_member(club, candidate):
        raise InvalidInput({"candidate": "请选择本小组的一名成员。"}, "选票无效，未投出。")
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                org_id=club.org_id, election=election, voter=voter, candidate=candidate
            )
    except IntegrityError:
        raise Conflict("already_voted", f"{voter.name}已经投过票，每人每次选举只能投一票。") from None
    audit.record(
        actor=actor,
        org=club.org_id,
        action="clubs.vote.cast",
        obj=vote,
        changes={"election": election.pk, "voter": voter.pk, "candidate": candidate.pk},
    )
    return vote


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def election_tally(election: Election) -> rules.Tally:
    """The count over current members' votes for current members (who left no longer counts)."""
    current = set(
        Membership.objects.filter(club_id=election.club_id, left_at__isnull=True).values_list(
            "member_id", flat=True
        )
    )
    votes = [
        c
        for v, c in Vote.objects.filter(election=election).values_list("voter_id", "candidate_id")
        if v in current and c in current
    ]
    return rules.tally(votes)


@transaction.atomic
def confirm_election(*, actor, election: Election) -> Election:
    """The chair (clubs.approve) confirms the result: the candidate with the most votes becomes the
    leader. A tie is refused with the tied names: the members vote again."""
    election = Election.objects.select_for_update().select_related("club", "club__org").get(pk=election.pk)
    club = election.club
    if not can(actor, club.org, "clubs.approve"):
        raise PermissionDenied("只有工会主席或副主席可以确认选举结果。")
    if election.status != Election.Status.OPEN:
        raise Conflict("election_closed", "本次组长选举已经结束。")
    result = election_tally(election)
    if not result.counts:
        raise DomainError("no_votes", "还没有人投票，不能确认结果。")
    if result.tied:
        names = dict(Member.objects.filter(pk__in=result.leaders).values_list("pk", "name"))
        votes = result.counts[0][1]
        raise DomainError(
            "tie",
            f"票数相同：{'、'.join(names[i] for i in result.leaders)}各得 {votes} 票，无法确定组长。"
            "请作废本次选举，重新投票。",
            extra={"tied": result.leaders},
        )
    winner = Member.objects.get(pk=result.winner)
    before = club.leader_id
    election.status = Election.Status.CONFIRMED
    election.winner = winner
    election.closed_by = actor
    election.closed_at = timezone.now()
    election.save(update_fields=["status", "winner", "closed_by", "closed_at"])
    Club.objects.filter(pk=club.pk).update(leader=winner)
    audit.record(
        actor=actor,
        org=club.org_id,
        action="clubs.election.confirm",
        obj=election,
        changes={"winner": winner.pk, "leader": [before, winner.pk], "counts": dict(result.counts)},
    )
    return election


@transaction.atomic
def cancel_election(*, actor, election: Election) -> Election:
    election = Election.objects.select_for_update().select_related("club__org").get(pk=election.pk)
    if not (
        can(actor, election.club.org, "clubs.approve") or can(actor, election.club.org, "activities.manage")
    ):
        raise PermissionDenied("只有工会主席、副主席或组织活动的委员可以作废选举。")
    if election.status != Election.Status.OPEN:
        raise Conflict("election_closed", "本次组长选举已经结束。")
    election.status = Election.Status.CANCELLED
    election.closed_by = actor
    election.closed_at = timezone.now()
    election.save(update_fields=["status", "closed_by", "closed_at"])
    audit.record(actor=actor, org=election.org_id, action="clubs.election.cancel", obj=election, changes={})
    return election


# ---- the plan and the sessions -------------------------------------------------------------------


@transaction.atomic
def save_plan(*, actor, club: Club, year, text: str) -> Plan:
    if not may_organise(actor, club):
        raise PermissionDenied("只有组长或组织活动的委员可以编写活动计划。")
    errors: dict[str, str] = {}
    year = _year(year, errors)
    text = clean_text(text, label="活动计划", max_length=10000, required=True, errors=errors, field="text")
    if errors:
        raise InvalidInput(errors, "活动计划未保存。")
    plan = Plan.objects.select_for_update().filter(club=club, year=year).first()
    before = plan.text if plan else None
    if plan is None:
        plan = Plan.objects.create(org_id=club.org_id, club=club, year=year, text=text, updated_by=actor)
    else:
        plan.text = text
        plan.updated_by = actor
        plan.save(update_fields=["text", "updated_by", "updated_at"])
    audit.record(
        actor=actor,
        org=club.org_id,
        action="clubs.plan.save",
        obj=plan,
        changes={"year": year, "text": [before, text]},
    )
    return plan


@transaction.atomic
def add_session(
    *,
    actor,
    club: Club,
    title: str,
    starts_at,
    ends_at,
    location: str = "",
    description: str = "",
    capacity: int | None = None,
    rrule: str = "",
) -> ClubSession:
    """A club session: an activity of kind "club" (a series with `rrule`) linked to the club."""
    if not may_organise(actor, club):
        raise PermissionDenied("只有组长或组织活动的委员可以安排小组活动。")
    activity = create_activity(
        actor=actor,
        org=club.org,
        title=title,
        kind="club",
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        rrule=rrule,
        location=location,
        description=description,
    )
    session = ClubSession.objects.create(org_id=club.org_id, club=club, activity=activity)
    audit.record(
        actor=actor,
        org=club.org_id,
        action="clubs.session.create",
        obj=session,
        changes={"activity": activity.pk},
    )
    return session


# ---- the budget ----------------------------------------------------------------------------------


def parse_lines(lines, errors: dict) -> list[dict]:
    """[{"item", "amount"}] → the same with the amount as a two-place string; a message per bad line."""
    out = []
    if not isinstance(lines, list | tuple) or not lines:
        errors["lines"] = "请至少填写一项预算明细（项目和金额）。"
        return out
    if len(lines) > MAX_LINES:
        errors["lines"] = f"预算明细不能超过 {MAX_LINES} 项。"
        return out
    for i, line in enumerate(lines, start=1):
        item = str((line or {}).get("item", "") if isinstance(line, dict) else "").strip()
        raw = (line or {}).get("amount") if isinstance(line, dict) else None
        if not item:
            errors[f"lines.{i}"] = f"第 {i} 项：请填写项目。"
            continue
        if len(item) > 100:
            errors[f"lines.{i}"] = f"第 {i} 项：项目不能超过 100 个字。"
            continue
        amount, problem = parse_yuan(raw, label="金额")
        if problem:
            errors[f"lines.{i}"] = f"第 {i} 项（{item}）：{problem}"
            continue
        out.append({"item": item, "amount": str(amount)})
    return out


@transaction.atomic
def request_budget(*, actor, club: Club, year, lines, note: str = "") -> Budget:
    """The leader asks for the year's budget, line by line; the amount is their sum."""
    if not may_organise(actor, club):
        raise PermissionDenied("只有组长或组织活动的委员可以申请小组经费。")
    errors: dict[str, str] = {}
    year = _year(year, errors)
    parsed = parse_lines(lines, errors)
    note = clean_text(note, label="说明", max_length=500, required=False, errors=errors, field="note")
    if errors:
        raise InvalidInput(errors, "经费申请有误，未提交。")
    total = sum((Decimal(line["amount"]) for line in parsed), Decimal("0.00"))
    if total > Decimal("9999999999.99"):
        raise InvalidInput({"lines": "申请金额过大。"}, "经费申请有误，未提交。")
    live = Budget.objects.filter(club=club, year=year).exclude(status=Budget.Status.REFUSED).first()
    if live is not None:
        raise Conflict(
            "budget_exists",
            f"“{club.name}”{year} 年已有经费申请（{live.get_status_display()}），不能重复申请。",
        )
    try:
        with transaction.atomic():
            budget = Budget.objects.create(
                org_id=club.org_id,
                club=club,
                year=year,
                lines=parsed,
                requested=total,
                note=note,
                requested_by=actor,
            )
    except IntegrityError:
        raise Conflict("budget_exists", f"“{club.name}”{year} 年已有经费申请，不能重复申请。") from None
    audit.record(
        actor=actor,
        org=club.org_id,
        action="clubs.budget.request",
        obj=budget,
        changes={"year": year, "requested": str(total), "lines": parsed},
    )
    return budget


def _decidable(actor, budget: Budget) -> Budget:
    budget = Budget.objects.select_for_update().select_related("club", "club__org").get(pk=budget.pk)
    if not can(actor, budget.club.org, "clubs.approve"):
        raise PermissionDenied("只有工会主席或副主席可以审批小组经费。")
    if budget.status != Budget.Status.PENDING:
        raise Conflict("already_decided", f"这份经费申请已经{budget.get_status_display()}。")
    return budget


@transaction.atomic
def approve_budget(*, actor, budget: Budget, amount=None, reason: str = "") -> Budget:
    """Approve the request, for the amount asked or less (the reason says why it is less)."""
    budget = _decidable(actor, budget)
    errors: dict[str, str] = {}
    if amount in (None, ""):
        value = budget.requested
    else:
        value, problem = parse_yuan(amount, label="批准金额")
        if problem:
            errors["amount"] = problem
        elif value > budget.requested:
            errors["amount"] = f"批准金额不能超过申请金额 {budget.requested} 元。"
    reason = clean_text(
        reason, label="审批意见", max_length=500, required=False, errors=errors, field="reason"
    )
    if errors:
        raise InvalidInput(errors, "经费申请未审批。")
    budget.status = Budget.Status.APPROVED
    budget.approved = value
    budget.reason = reason
    budget.decided_by = actor
    budget.decided_at = timezone.now()
    budget.save(update_fields=["status", "approved", "reason", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        org=budget.org_id,
        action="clubs.budget.approve",
        obj=budget,
        changes={"requested": str(budget.requested), "approved": str(value), "reason": reason},
    )
    return budget


@transaction.atomic
def refuse_budget(*, actor, budget: Budget, reason: str) -> Budget:
    budget = _decidable(actor, budget)
    errors: dict[str, str] = {}
    reason = clean_text(
        reason, label="不批准的理由", max_length=500, required=True, errors=errors, field="reason"
    )
    if errors:
        raise InvalidInput(errors, "经费申请未审批。")
    budget.status = Budget.Status.REFUSED
    budget.reason = reason
    budget.decided_by = actor
    budget.decided_at = timezone.now()
    budget.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record(
        actor=actor, org=budget.org_id, action="clubs.budget.refuse", obj=budget, changes={"reason": reason}
    )
    return budget


def spent(budget: Budget) -> Decimal:
    return to_money(Spending.objects.filter(budget=budget).aggregate(s=Sum("amount"))["s"] or 0)


@transaction.atomic
def record_spending(
    *,
    actor,
    budget: Budget,
    date: datetime.date | None,
    amount,
    memo: str,
    payee: str = "",
    confirm_warnings: bool = False,
) -> Spending:
    """The finance member (funds.write) spends against an approved budget: a voucher under
    职工活动支出 / 文体活动 in the ledger. More than what is left is refused, with the figures; a
    memo pointing at a banned use (八不准) waits for the finance member's confirmation."""
    budget = Budget.objects.select_for_update().select_related("club", "club__org").get(pk=budget.pk)
    org = budget.club.org
    if not can(actor, org, "funds.write"):
        raise PermissionDenied("只有财务委员可以登记小组经费支出。")
    if budget.status != Budget.Status.APPROVED:
        raise Conflict("not_approved", f"“{budget.club.name}”{budget.year} 年的经费尚未批准，不能支出。")
    errors: dict[str, str] = {}
    value, problem = parse_yuan(amount, label="金额")
    if problem:
        errors["amount"] = problem
    memo = clean_text(memo, label="摘要", max_length=150, required=True, errors=errors, field="memo")
    payee = clean_text(payee, label="收款人", max_length=100, required=False, errors=errors, field="payee")
    if not isinstance(date, datetime.date):
        errors["date"] = "请填写日期。"
    elif date.year != budget.year:
        errors["date"] = f"这是 {budget.year} 年的预算，支出日期应在 {budget.year} 年内。"
    if errors:
        raise InvalidInput(errors, "支出未登记。")
    already = spent(budget)
    left = rules.budget_left(budget.approved, [already])
    if not rules.fits_budget(approved=budget.approved, spent=[already], amount=value):
        message = (
            f"超出预算：“{budget.club.name}”{budget.year} 年批准 {budget.approved} 元，已支出 {already} 元，"
            f"剩余 {left} 元，本次 {value} 元，未登记。"
        )
        raise DomainError(
            "over_budget",
            message,
            fields={"amount": message},
            extra={"approved": str(budget.approved), "spent": str(already), "left": str(left)},
        )
    entry = funds.record_entry(
        actor=actor,
        org=org,
        date=date,
        kind="expense",
        category="职工活动支出",
        subcategory="文体活动",
        amount=value,
        memo=f"{budget.club.name}：{memo}",
        payee=payee,
        confirm_warnings=confirm_warnings,
    )
    spending = Spending.objects.create(
        org_id=budget.org_id,
        budget=budget,
        date=date,
        amount=value,
        memo=memo,
        ledger_entry=entry,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        org=budget.org_id,
        action="clubs.spending.record",
        obj=spending,
        changes={"budget": budget.pk, "amount": str(value), "entry": entry.pk, "left": str(left - value)},
    )
    return spending
