"""互助保障 writes: a yearly plan, enrolment (all active members in one step, or chosen ones),
withdrawing an enrolment, and claims (submitted → paid / refused with a reason). Checked first,
written whole or not at all, audited.

No ledger posting: premiums and payments are the members', the federation's mutual-aid fund's
and the insurer's money, not the school union's.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.money import parse_yuan
from jiaogong.core.parsing import clean_text
from jiaogong.members.models import Member
from jiaogong.mutual_aid import rules
from jiaogong.mutual_aid.models import Claim, Enrolment, Plan


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def create_plan(
    *,
    actor,
    org,
    name: str,
    year,
    premium,
    covers_from: datetime.date | None,
    covers_to: datetime.date | None,
    note: str = "",
) -> Plan:
    """Open a year's plan (e.g. 2026年职工住院医疗互助保障, 50 元/人, 2026-01-01 to 2026-12-31)."""
    errors: dict[str, str] = {}
    name = clean_text(name, label="保障项目", max_length=100, required=True, errors=errors, field="name")
    note = clean_text(note, label="说明", max_length=500, required=False, errors=errors, field="note")
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = "请填写年度，例如 2026。"
    else:
        if not 2000 <= year <= 2100:
            errors["year"] = "年度应在 2000 至 2100 之间。"
    value, problem = parse_yuan(premium, label="每人保费")
    if problem:
        errors["premium"] = problem
    if not isinstance(covers_from, datetime.date):
        errors["covers_from"] = "请填写保障期开始日期。"
    if not isinstance(covers_to, datetime.date):
        errors["covers_to"] = "请填写保障期结束日期。"
    elif isinstance(covers_from, datetime.date) and covers_to < covers_from:
        errors["covers_to"] = "保障期结束日期不能早于开始日期。"
    duplicate = f"本单位 {year} 年已有“{name}”。"
    if not errors and Plan.objects.filter(org=org, name=name, year=year).exists():
        errors["name"] = duplicate
    if errors:
        raise InvalidInput(errors, "互助保障项目有误，未创建。")
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                org=org,
                name=name,
                year=year,
                premium=value,
                covers_from=covers_from,
                covers_to=covers_to,
                note=note,
                created_by=actor,
            )
    except IntegrityError:
        raise InvalidInput({"name": duplicate}, "互助保障项目有误，未创建。") from None
    audit.record(
        actor=actor, org=org, action="mutual_aid.plan.create", obj=plan, changes=audit.snapshot(plan)
    )
    return plan


@transaction.atomic
def enrol(*, actor, plan: Plan, members: list | None = None) -> list[Enrolment]:
    """Enrol members at the plan's premium: `members` (Members or ids) or, when None, every active
    member not enrolled yet. A chosen person already enrolled, not active or of another org refuses
    the whole batch."""
    plan = _locked(plan)
    already = set(Enrolment.objects.filter(plan=plan).values_list("member_id", flat=True))
    if members is None:
        people = list(Member.objects.filter(org_id=plan.org_id, status="active").exclude(pk__in=already))
        if not people:
            raise Conflict("nobody", "在册会员都已参保，没有需要新增的人。")
    else:
        ids = [m.pk if isinstance(m, Member) else m for m in members]
        if not ids:
            raise InvalidInput({"members": "请至少选择一位会员。"}, "未参保任何人。")
        found = {
            m.pk: m
            for m in Member.objects.filter(org_id=plan.org_id, pk__in=[i for i in ids if isinstance(i, int)])
        }
        errors = {}
        people = []
        for i in ids:
            m = found.get(i)
            if m is None:
                errors["members"] = "没有找到所选会员。"
            elif m.status != "active":
                errors["members"] = f"{m.name}不是在册会员（{m.get_status_display()}），不能参保。"
            elif m.pk in already:
                errors["members"] = f"{m.name}已经参保。"
            elif m not in people:
                people.append(m)
        if errors:
            raise InvalidInput(errors, "参保名单有误，未参保任何人。")
    today = timezone.localdate()
    made = Enrolment.objects.bulk_create(
        [
            Enrolment(
                org_id=plan.org_id,
                plan=plan,
                member=m,
                premium=plan.premium,
                enrolled_on=today,
                enrolled_by=actor,
            )
            for m in people
        ]
    )
    audit.record(
        actor=actor,
        org=plan.org_id,
        action="mutual_aid.enrolment.add",
        obj=plan,
        changes={
            "members": [m.pk for m in people],
            "premium": str(plan.premium),
            "all_active": members is None,
        },
    )
    return made


@transaction.atomic
def withdraw(*, actor, enrolment: Enrolment) -> None:
    """Take a person off the plan (enrolled by mistake). Not once they have a claim on it."""
    plan = _locked(enrolment.plan)
    if Claim.objects.filter(plan=plan, member_id=enrolment.member_id).exists():
        raise Conflict("has_claims", f"{enrolment.member.name}在本期已有理赔记录，不能退保。")
    audit.record(
        actor=actor,
        org=plan.org_id,
        action="mutual_aid.enrolment.withdraw",
        obj=plan,
        changes={"member": enrolment.member_id, "premium": str(enrolment.premium)},
    )
    enrolment.delete()


@transaction.atomic
def submit_claim(
    *, actor, plan: Plan, member, event_on: datetime.date | None, kind: str, amount_claimed, note: str = ""
) -> Claim:
    """A claim of an enrolled member for an event inside the coverage period."""
    plan = _locked(plan)
    errors: dict[str, str] = {}
    member_id = member.pk if isinstance(member, Member) else member
    found = (
        Member.objects.filter(org_id=plan.org_id, pk=member_id).first()
        if isinstance(member_id, int)
        else None
    )
    if found is None:
        errors["member"] = "请选择会员。"
    if kind not in Claim.Kind.values:
        errors["kind"] = "请选择类别：住院、意外伤害、重大疾病或其他。"
    amount, problem = parse_yuan(amount_claimed, label="申请金额")
    if problem:
        errors["amount_claimed"] = problem
    note = clean_text(note, label="说明", max_length=200, required=False, errors=errors, field="note")
    if not isinstance(event_on, datetime.date):
        errors["event_on"] = "请填写事故/住院日期。"
    elif event_on > timezone.localdate():
        errors["event_on"] = "事故/住院日期不能晚于今天。"
    elif found is not None:
        refusal = rules.claim_refusal(
            enrolled=Enrolment.objects.filter(plan=plan, member=found).exists(),
            covers_from=plan.covers_from,
            covers_to=plan.covers_to,
            event_on=event_on,
        )
        if refusal:
            errors["member" if "未参加" in refusal else "event_on"] = refusal
    if errors:
        raise InvalidInput(errors, "理赔申请有误，未登记。")
    claim = Claim.objects.create(
        org_id=plan.org_id,
        plan=plan,
        member=found,
        event_on=event_on,
        kind=kind,
        amount_claimed=amount,
        note=note,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        org=plan.org_id,
        action="mutual_aid.claim.submit",
        obj=claim,
        changes=audit.snapshot(claim, ["plan", "member", "event_on", "kind", "amount_claimed"]),
    )
    return claim


def _open(claim: Claim) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != Claim.Status.SUBMITTED:
        raise Conflict("decided", f"这笔理赔已经是“{claim.get_status_display()}”，不能再改。")
    return claim


@transaction.atomic
def pay_claim(*, actor, claim: Claim, amount_paid, paid_on: datetime.date | None) -> Claim:
    """The insurer / the fund paid: the amount (at most what was claimed) and the date."""
    claim = _open(claim)
    errors: dict[str, str] = {}
    amount, problem = parse_yuan(amount_paid, label="赔付金额")
    if problem:
        errors["amount_paid"] = problem
    else:
        refusal = rules.payment_refusal(amount_claimed=claim.amount_claimed, amount_paid=amount)
        if refusal:
            errors["amount_paid"] = refusal
    if not isinstance(paid_on, datetime.date):
        errors["paid_on"] = "请填写赔付日期。"
    elif paid_on > timezone.localdate():
        errors["paid_on"] = "赔付日期不能晚于今天。"
    elif paid_on < claim.event_on:
        errors["paid_on"] = "赔付日期不能早于事故/住院日期。"
    if errors:
        raise InvalidInput(errors, "赔付记录有误，未登记。")
    claim.status, claim.amount_paid, claim.paid_on = Claim.Status.PAID, amount, paid_on
    claim.save(update_fields=["status", "amount_paid", "paid_on"])
    audit.record(
        actor=actor,
        org=claim.org_id,
        action="mutual_aid.claim.pay",
        obj=claim,
        changes={"status": ["submitted", "paid"], "amount_paid": str(amount), "paid_on": str(paid_on)},
    )
    return claim


@transaction.atomic
def refuse_claim(*, actor, claim: Claim, reason: str) -> Claim:
    claim = _open(claim)
    errors: dict[str, str] = {}
    reason = clean_text(
        reason, label="不予赔付原因", max_length=200, required=True, errors=errors, field="reason"
    )
    if errors:
        raise InvalidInput(errors, "请写明不予赔付的原因。")
    claim.status, claim.reason = Claim.Status.REFUSED, reason
    claim.save(update_fields=["status", "reason"])
    audit.record(
        actor=actor,
        org=claim.org_id,
        action="mutual_aid.claim.refuse",
        obj=claim,
        changes={"status": ["submitted", "refused"], "reason": reason},
    )
    return claim
