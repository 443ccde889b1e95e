"""慰问 given to members, checked against the caps in force (caps.py) before any money moves.

`decide` answers the question for one member; `give` records the 慰问 and its voucher; `give_festival`
gives a festival's goods to a list of members at once, all-or-nothing. The welfare and
activities modules call these, so every 慰问 of the union meets the same rules.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import DomainError, InvalidInput
from jiaogong.core.permissions import can
from jiaogong.core.rules import value_for
from jiaogong.funds import caps as caps_rules
from jiaogong.funds import services
from jiaogong.funds.models import Benefit, LedgerEntry
from jiaogong.members.models import Member

FESTIVALS = ("元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆")

# Where each kind's money is booked (总工办发〔2017〕32号): festival, birthday, marriage, birth
# and retirement 慰问 are 集体福利; illness and death are 送温暖 under 维权支出.
LEDGER_LINE = {
    "festival": ("职工活动支出", "集体福利"),
    "birthday": ("职工活动支出", "集体福利"),
    "marriage": ("职工活动支出", "集体福利"),
    "birth": ("职工活动支出", "集体福利"),
    "retirement": ("职工活动支出", "集体福利"),
    "hospital": ("维权支出", "送温暖"),
    "hospital_surgery": ("维权支出", "送温暖"),
    "death_member": ("维权支出", "送温暖"),
    "death_relative": ("维权支出", "送温暖"),
    # 家庭重大困难或意外 (五必访): 困难帮扶 under 维权支出.
    "hardship": ("维权支出", "困难帮扶"),
}


def caps_in_force(org) -> caps_rules.Caps:
    keys = [
        f"caps.{name}"
        for name in ("festival_total", "festival_each", "birthday", *caps_rules.PER_EVENT_KINDS)
    ]
    values = {key: value_for(org, key) for key in keys}
    values["caps.allowed_forms"] = value_for(org, "caps.allowed_forms")
    # No number exists for 家庭重大困难 (RULES.md §3): the rule ships 0, meaning "not set", i.e. no cap.
    if not values.get("caps.hardship"):
        values["caps.hardship"] = None
    return caps_rules.Caps.from_values(values)


def given(member, year: int) -> list[caps_rules.Payment]:
    """What the member has received in the year (festival and birthday caps count these)."""
    return [
        caps_rules.Payment(b.kind, b.festival, b.amount, b.date)
        for b in Benefit.objects.filter(member=member, date__year=year).only(
            "kind", "festival", "amount", "date"
        )
    ]


def _payment(kind, festival, form, amount, date) -> caps_rules.Payment:
    errors: dict[str, str] = {}
    if kind not in caps_rules.KINDS:
        errors["kind"] = "请选择慰问类别。"
    if form not in caps_rules.FORMS:
        errors["form"] = "请选择慰问形式。"
    value = services.parse_amount(amount, field="amount", label="金额", errors=errors)
    if not isinstance(date, datetime.date):
        errors["date"] = "请填写发放日期。"
    elif date > timezone.localdate():
        errors["date"] = "不能登记未来日期的发放。"
    festival = (festival or "").strip() if kind == "festival" else ""
    if kind == "festival" and not festival:
        errors["festival"] = "节日慰问请选择节日。"
    if errors:
        raise InvalidInput(errors, "慰问信息有误，未登记。")
    return caps_rules.Payment(kind, festival, value, date, form)


def decide(*, org, member, kind, form, amount, date, festival="", override_reason="") -> caps_rules.Decision:
    payment = _payment(kind, festival, form, amount, date)
    return caps_rules.check(
        payment, caps=caps_in_force(org), given=given(member, date.year), override_reason=override_reason
    )


def _check_override(actor, org, override_reason: str) -> str:
    reason = (override_reason or "").strip()
    if reason and not can(actor, org, "funds.benefits.override"):
        raise InvalidInput(
            {"override_reason": "超标准发放须由工会主席填写理由。"}, "超标准发放须由工会主席填写理由。"
        )
    return reason[:200]


def _refuse(decision: caps_rules.Decision, member) -> None:
    remaining = None if decision.remaining is None else str(decision.remaining)
    raise DomainError(decision.code, f"{member.name}：{decision.rule}", extra={"remaining": remaining})


@transaction.atomic
def give(
    *,
    actor,
    org,
    member: Member,
    kind: str,
    form: str,
    amount,
    date: datetime.date,
    festival: str = "",
    memo: str = "",
    override_reason: str = "",
    account: str = LedgerEntry.Account.BANK,
    book: bool = True,
    ledger_line: tuple[str, str] | None = None,
    confirm_warnings: bool = False,
) -> Benefit:
    """One 慰问: refused with the rule (422 `cap_exceeded` / `form_not_allowed`) or recorded with
    its expense voucher (`book=False` when the caller books the money itself; `ledger_line`
    (category, subcategory) books it elsewhere than the kind's LEDGER_LINE, e.g. as the 五必访
    trigger table says)."""
    if member.org_id != org.pk:
        raise InvalidInput({"member": "不是本工会的会员。"})
    reason = _check_override(actor, org, override_reason)
    # Lock the member's row: two 慰问 recorded at once must not both fit the same allowance.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    decision = decide(
        org=org,
        member=member,
        kind=kind,
        form=form,
        amount=amount,
        date=date,
        festival=festival,
        override_reason=reason,
    )
    if not decision.allowed:
        _refuse(decision, member)
    payment = _payment(kind, festival, form, amount, date)
    entry = None
    if book:
        category, subcategory = ledger_line or LEDGER_LINE[kind]
        entry = services.record_entry(
            actor=actor,
            org=org,
            date=date,
            kind=LedgerEntry.Kind.EXPENSE,
            category=category,
            subcategory=subcategory,
            amount=payment.amount,
            account=account,
            payee=member.name,
            memo=_memo(payment, member, memo),
            confirm_warnings=confirm_warnings,
        )
    benefit = Benefit.objects.create(
        org=org,
        member=member,
        kind=kind,
        festival=payment.festival,
        form=form,
        amount=payment.amount,
        date=date,
        memo=(memo or "").strip()[:200],
        entry=entry,
        override_reason=reason if decision.overridden else "",
        override_rule=decision.rule if decision.overridden else "",
        overridden_by=actor if decision.overridden else None,
        recorded_by=actor,
    )
    audit.record(
        actor=actor, org=org, action="funds.benefit.create", obj=benefit, changes=audit.snapshot(benefit)
    )
    return benefit


def _memo(payment, member, memo) -> str:
    what = (
        f"{payment.festival}节日慰问" if payment.kind == "festival" else caps_rules.KIND_LABELS[payment.kind]
    )
    text = f"{what}（{caps_rules.FORM_LABELS[payment.form]}）{member.name}"
    return f"{text}：{memo.strip()}"[:200] if memo and memo.strip() else text


def give_festival(
    *,
    actor,
    org,
    members: list[Member],
    festival: str,
    form: str,
    amount,
    date: datetime.date,
    memo: str = "",
    account: str = LedgerEntry.Account.BANK,
    confirm_warnings: bool = False,
) -> tuple[LedgerEntry, list[Benefit]]:
    """A statutory festival's goods for every member listed, at the same amount each, in one
    voucher: `give_batch` with one amount. All-or-nothing: if any member would go over a cap,
    nothing is recorded and every such member is named with the rule. No override here: a member
    over the cap is taken off the list or given less. `memo` names the goods or the supplier."""
    if not members:
        raise InvalidInput({"members": "请选择发放的会员。"})
    if festival not in FESTIVALS:
        raise InvalidInput({"festival": f"请选择节日：{'、'.join(FESTIVALS)}。"})
    return give_batch(
        actor=actor,
        org=org,
        kind="festival",
        lines=[(m, amount) for m in members],
        form=form,
        date=date,
        festival=festival,
        memo=memo,
        payee=memo,
        account=account,
        confirm_warnings=confirm_warnings,
    )


def allowance(org, member, year: int) -> dict:
    """What the member has received this year and what the festival and birthday caps leave."""
    caps = caps_in_force(org)
    rows = list(Benefit.objects.filter(member=member, date__year=year).order_by("date", "id"))
    festival_spent = sum((b.amount for b in rows if b.kind == "festival"), Decimal("0.00"))
    return {
        "rows": rows,
        "festival_spent": festival_spent,
        "festival_left": None
        if caps.festival_total is None
        else max(caps.festival_total - festival_spent, 0),
        "birthday_given": any(b.kind == "birthday" for b in rows),
        "caps": caps,
    }


# ---- batches with per-person amounts (节日慰问 by class of recipient, 生日慰问 of a month) ----------

BATCH_KINDS = ("festival", "birthday")


def _batch_payments(kind, festival, form, lines, date) -> list[tuple[Member, caps_rules.Payment]]:
    if kind not in BATCH_KINDS:
        raise InvalidInput({"kind": "批量慰问只用于节日慰问和生日慰问。"})
    if not lines:
        raise InvalidInput({"members": "请选择发放的会员。"})
    seen = set()
    out = []
    for member, amount in lines:
        if member.pk in seen:
            raise InvalidInput({"members": f"{member.name}在名单中出现了两次。"})
        seen.add(member.pk)
        out.append((member, _payment(kind, festival, form, amount, date)))
    return out


def check_batch(
    *, org, kind, festival, form, lines, date
) -> list[tuple[Member, caps_rules.Payment, caps_rules.Decision]]:
    """Each (member, amount) of a batch checked against what the member has received this year:
    the preview of `give_batch` (nothing is written)."""
    payments = _batch_payments(kind, festival, form, lines, date)
    caps = caps_in_force(org)
    ids = [m.pk for m, _ in payments]
    prior: dict[int, list] = {pk: [] for pk in ids}
    for b in Benefit.objects.filter(member_id__in=ids, date__year=date.year):
        prior[b.member_id].append(caps_rules.Payment(b.kind, b.festival, b.amount, b.date))
    out = []
    for member, payment in payments:
        if member.org_id != org.pk:
            raise InvalidInput({"members": f"{member.name}不是本工会的会员。"})
        out.append((member, payment, caps_rules.check(payment, caps=caps, given=prior[member.pk])))
    return out


@transaction.atomic
def give_batch(
    *,
    actor,
    org,
    kind: str,
    lines: list[tuple[Member, object]],
    form: str,
    date: datetime.date,
    festival: str = "",
    memo: str = "",
    payee: str = "",
    account: str = LedgerEntry.Account.BANK,
    confirm_warnings: bool = False,
) -> tuple[LedgerEntry, list[Benefit]]:
    """A festival's or the month's birthday 慰问 for every (member, amount) listed, in one voucher
    for the total. Like `give_festival`, all-or-nothing and without override: if any member would
    go over a cap (or the form is not allowed), nothing is recorded and every such member is named.
    The festival name is the caller's to check (statutory ones and the org's extra festivals)."""
    ids = [m.pk for m, _ in lines]
    list(Member.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
    checked = check_batch(org=org, kind=kind, festival=festival, form=form, lines=lines, date=date)
    refusals = []
    for member, _payment, decision in checked:
        if not decision.allowed:
            if decision.code == "form_not_allowed":
                raise DomainError("form_not_allowed", decision.rule)
            refusals.append(f"{member.name}：{decision.rule}")
    if refusals:
        raise DomainError("cap_exceeded", f"{len(refusals)} 人超出慰问标准，未发放：" + "；".join(refusals))
    total = sum((p.amount for _m, p, _d in checked), Decimal("0.00"))
    what = f"{checked[0][1].festival}节日慰问" if kind == "festival" else caps_rules.KIND_LABELS[kind]
    category, subcategory = LEDGER_LINE[kind]
    amounts = {p.amount for _m, p, _d in checked}
    each = f" × {amounts.pop():.2f} 元" if len(amounts) == 1 else f"，合计 {total:.2f} 元"
    text = f"{what}（{caps_rules.FORM_LABELS[form]}）{len(checked)} 人{each}"
    if memo and memo.strip():
        text = f"{text}：{memo.strip()}"
    entry = services.record_entry(
        actor=actor,
        org=org,
        date=date,
        kind=LedgerEntry.Kind.EXPENSE,
        category=category,
        subcategory=subcategory,
        amount=total,
        account=account,
        payee=(payee or "").strip()[:100],
        memo=text[:200],
        confirm_warnings=confirm_warnings,
    )
    benefits = Benefit.objects.bulk_create(
        [
            Benefit(
                org=org,
                member=m,
                kind=kind,
                festival=p.festival,
                form=form,
                amount=p.amount,
                date=date,
                memo=(memo or "").strip()[:200],
                entry=entry,
                recorded_by=actor,
            )
            for m, p, _d in checked
        ]
    )
    audit.record(
        actor=actor,
        org=org,
        action=f"funds.benefit.{kind}_batch",
        obj=entry,
        changes={
            "kind": kind,
            "festival": festival,
            "form": form,
            "total": str(total),
            "members": len(checked),
        },
    )
    return entry, benefits
