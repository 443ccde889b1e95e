"""拨缴经费 and 上解.

The school pays 2 % of its whole payroll (工会法 第四十三条) into the union's account, by the
15th on last month's payroll; the union keeps its share (60 %) and remits the rest to the
federation. Each month: the payroll total and the due, the money received (with the late fee
where the province charges one), the remittance owed and sent. The federation sees its schools.
"""

import calendar
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import InvalidInput
from jiaogong.core.money import to_money
from jiaogong.core.rules import value_for
from jiaogong.funds import rules, services
from jiaogong.funds.models import (
    REMITTANCE_CATEGORY,
    AllocationMonth,
    AllocationPayment,
    LedgerEntry,
    Remittance,
    SalaryBase,
)

ZERO = Decimal("0.00")


def _percent(share: Decimal) -> str:
    """0.0200 → "2", 0.40 → "40", 0.125 → "12.5"."""
    return f"{(Decimal(share) * 100).normalize():f}"


def parameters(org) -> dict:
    return {
        "rate": Decimal(str(value_for(org, "funds.allocation_rate"))),
        "due_day": int(value_for(org, "funds.allocation_due_day")),
        "late_fee_daily": Decimal(str(value_for(org, "funds.late_fee_daily"))),
        "school_share": Decimal(str(value_for(org, "funds.school_share"))),
    }


def due_date(month: datetime.date, due_day: int) -> datetime.date:
    """The payroll month's 拨缴经费 is due on `due_day` of the next month (the month's last day
    if it is shorter)."""
    year, mon = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
    return datetime.date(year, mon, min(due_day, calendar.monthrange(year, mon)[1]))


def payroll_from_sheet(org, month: datetime.date) -> Decimal | None:
    """The payroll total of the month's imported salary sheet (every item of every member), as
    a suggestion; None when no sheet was imported."""
    rows = SalaryBase.objects.filter(org=org, month=month).values_list("components", flat=True)
    total, seen = Decimal(0), False
    for components in rows:
        seen = True
        for value in components.values():
            total += Decimal(str(value))
    return to_money(total) if seen else None


@transaction.atomic
def declare_payroll(*, actor, org, month: datetime.date, payroll_total) -> AllocationMonth:
    """The month's payroll total and the 拨缴经费 due on it (declared again to correct it; the
    money already received stays as it was)."""
    errors: dict[str, str] = {}
    total = services.parse_amount(payroll_total, field="payroll_total", label="工资总额", errors=errors)
    if month > timezone.localdate().replace(day=1):
        errors["month"] = "只能申报已发工资的月份。"
    if errors:
        raise InvalidInput(errors, "工资总额有误，未保存。")
    p = parameters(org)
    due = rules.allocation_due(total, p["rate"])
    values = {"payroll_total": total, "rate": p["rate"], "due": due, "due_on": due_date(month, p["due_day"])}
    allocation = AllocationMonth.objects.select_for_update().filter(org=org, month=month).first()
    if allocation is None:
        allocation = AllocationMonth.objects.create(org=org, month=month, recorded_by=actor, **values)
        audit.record(
            actor=actor,
            org=org,
            action="funds.allocation.declare",
            obj=allocation,
            changes=audit.snapshot(allocation),
        )
        return allocation
    received = paid_principal(allocation)
    if due < received:
        raise InvalidInput(
            {
                "payroll_total": f"已到账 {received:.2f} 元，应拨缴不能少于已到账金额；多缴部分请与学校财务核对后冲销。"
            },
            "工资总额有误，未保存。",
        )
    before = {k: str(getattr(allocation, k)) for k in values}
    for k, v in values.items():
        setattr(allocation, k, v)
    allocation.recorded_by = actor
    allocation.save()
    audit.record(
        actor=actor,
        org=org,
        action="funds.allocation.correct",
        obj=allocation,
        changes={k: [before[k], str(v)] for k, v in values.items() if before[k] != str(v)},
    )
    return allocation


def paid_principal(allocation: AllocationMonth) -> Decimal:
    return to_money(allocation.payments.aggregate(s=Sum("amount"))["s"] or 0)


def remitted(allocation: AllocationMonth) -> Decimal:
    return to_money(allocation.remittances.aggregate(s=Sum("amount"))["s"] or 0)


def late_fee_for(allocation: AllocationMonth, amount: Decimal, paid_on: datetime.date) -> Decimal:
    daily = parameters(allocation.org)["late_fee_daily"]
    return rules.late_fee(amount, allocation.due_on, paid_on, daily)


@transaction.atomic
def receive(*, actor, allocation: AllocationMonth, amount, paid_on: datetime.date) -> AllocationPayment:
    """拨缴经费 received for the month: an income voucher (拨缴经费收入) for the amount and the
    late fee the province charges on it."""
    allocation = AllocationMonth.objects.select_for_update().get(pk=allocation.pk)
    errors: dict[str, str] = {}
    value = services.parse_amount(amount, field="amount", label="到账金额", errors=errors)
    outstanding = allocation.due - paid_principal(allocation)
    if value is not None and value > outstanding:
        errors["amount"] = (
            f"本月应拨缴 {allocation.due:.2f} 元，尚欠 {outstanding:.2f} 元，到账金额不能超过尚欠金额。"
        )
    if not isinstance(paid_on, datetime.date):
        errors["paid_on"] = "请填写到账日期。"
    elif paid_on < allocation.month:
        errors["paid_on"] = "到账日期不能早于工资月份。"
    if errors:
        raise InvalidInput(errors, "拨缴经费到账有误，未记账。")
    fee = late_fee_for(allocation, value, paid_on)
    memo = f"{allocation.month:%Y年%m月}拨缴经费（工资总额 {allocation.payroll_total:.2f} 元 × {_percent(allocation.rate)}%）"
    if fee:
        memo += f"，含滞纳金 {fee:.2f} 元"
    entry = services.record_entry(
        actor=actor,
        org=allocation.org,
        date=paid_on,
        kind=LedgerEntry.Kind.INCOME,
        category="拨缴经费收入",
        amount=value + fee,
        memo=memo,
        payee="学校行政",
    )
    payment = AllocationPayment.objects.create(
        allocation=allocation, amount=value, late_fee=fee, paid_on=paid_on, entry=entry
    )
    audit.record(
        actor=actor,
        org=allocation.org,
        action="funds.allocation.receive",
        obj=payment,
        changes={
            "month": f"{allocation.month:%Y-%m}",
            "amount": str(value),
            "late_fee": str(fee),
            "entry": entry.pk,
        },
    )
    return payment


def remittance_due(allocation: AllocationMonth) -> Decimal:
    """The federation's share of what was received for the month."""
    share = parameters(allocation.org)["school_share"]
    return rules.split(paid_principal(allocation), share)[1]


@transaction.atomic
def remit(*, actor, allocation: AllocationMonth, amount, remitted_on: datetime.date) -> Remittance:
    """上解: the federation's share sent up, an expense voucher (上解上级支出)."""
    allocation = AllocationMonth.objects.select_for_update().get(pk=allocation.pk)
    errors: dict[str, str] = {}
    value = services.parse_amount(amount, field="amount", label="上解金额", errors=errors)
    outstanding = remittance_due(allocation) - remitted(allocation)
    if value is not None and value > outstanding:
        errors["amount"] = (
            f"本月应上解 {remittance_due(allocation):.2f} 元，尚欠 {outstanding:.2f} 元，上解金额不能超过尚欠金额。"
        )
    if not isinstance(remitted_on, datetime.date):
        errors["remitted_on"] = "请填写上解日期。"
    if errors:
        raise InvalidInput(errors, "上解有误，未记账。")
    org = allocation.org
    share = parameters(org)["school_share"]
    entry = services.record_entry(
        actor=actor,
        org=org,
        date=remitted_on,
        kind=LedgerEntry.Kind.EXPENSE,
        category=REMITTANCE_CATEGORY,
        amount=value,
        memo=f"上解{allocation.month:%Y年%m月}拨缴经费（{_percent(1 - share)}%）",
        payee=org.parent.name if org.parent_id else "上级工会",
        system=True,
    )
    remittance = Remittance.objects.create(
        allocation=allocation, amount=value, remitted_on=remitted_on, entry=entry
    )
    audit.record(
        actor=actor,
        org=org,
        action="funds.remittance.create",
        obj=remittance,
        changes={"month": f"{allocation.month:%Y-%m}", "amount": str(value), "entry": entry.pk},
    )
    return remittance


# ---- the year at a glance ------------------------------------------------------------------------


def year_status(org, year: int, today: datetime.date | None = None) -> dict:
    """Month by month: payroll, due, received, late fees, arrears (overdue when past the due
    date), the remittance owed and sent; with the year's totals."""
    today = today or timezone.localdate()
    share = parameters(org)["school_share"]
    allocations = list(
        AllocationMonth.objects.filter(org=org, month__year=year)
        .annotate(paid=Sum("payments__amount", distinct=False))
        .order_by("month")
    )
    fees = dict(
        AllocationPayment.objects.filter(allocation__org=org, allocation__month__year=year)
        .values_list("allocation_id")
        .annotate(s=Sum("late_fee"))
        .order_by()
    )
    sent = dict(
        Remittance.objects.filter(allocation__org=org, allocation__month__year=year)
        .values_list("allocation_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    rows = []
    for a in allocations:
        paid = to_money(a.paid or 0)
        owed_up = rules.split(paid, share)[1]
        up = to_money(sent.get(a.pk) or 0)
        arrears = a.due - paid
        rows.append(
            {
                "allocation": a,
                "month": a.month,
                "payroll_total": a.payroll_total,
                "due": a.due,
                "due_on": a.due_on,
                "paid": paid,
                "late_fee": to_money(fees.get(a.pk) or 0),
                "arrears": arrears,
                "overdue": arrears > 0 and today > a.due_on,
                "days_late": max((today - a.due_on).days, 0) if arrears > 0 else 0,
                "remit_due": owed_up,
                "remitted": up,
                "remit_arrears": owed_up - up,
            }
        )
    totals = {
        k: sum((r[k] for r in rows), ZERO)
        for k in (
            "payroll_total",
            "due",
            "paid",
            "late_fee",
            "arrears",
            "remit_due",
            "remitted",
            "remit_arrears",
        )
    }
    return {"year": year, "rows": rows, "totals": totals, "school_share": share}


def federation_overview(federation, year: int) -> list[dict]:
    """Every school below the federation with its year's 拨缴经费 and 上解: due, received,
    arrears, the share owed upward, remitted, outstanding. Three grouped queries in all."""
    schools = list(federation.children.order_by("name"))
    ids = [s.pk for s in schools]
    due = dict(
        AllocationMonth.objects.filter(org_id__in=ids, month__year=year)
        .values_list("org_id")
        .annotate(s=Sum("due"))
        .order_by()
    )
    paid = dict(
        AllocationPayment.objects.filter(allocation__org_id__in=ids, allocation__month__year=year)
        .values_list("allocation__org_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    sent = dict(
        Remittance.objects.filter(allocation__org_id__in=ids, allocation__month__year=year)
        .values_list("allocation__org_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    # The share owed upward is per month (each month's split rounds to the fen).
    owed: dict[int, Decimal] = {}
    per_month = (
        AllocationPayment.objects.filter(allocation__org_id__in=ids, allocation__month__year=year)
        .values_list("allocation__org_id", "allocation_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    shares = {s.pk: parameters(s)["school_share"] for s in schools}
    for org_id, _allocation_id, amount in per_month:
        owed[org_id] = owed.get(org_id, ZERO) + rules.split(to_money(amount), shares[org_id])[1]
    out = []
    for school in schools:
        d, p, o, r = (
            to_money(due.get(school.pk) or 0),
            to_money(paid.get(school.pk) or 0),
            owed.get(school.pk, ZERO),
            to_money(sent.get(school.pk) or 0),
        )
        out.append(
            {
                "org": school,
                "due": d,
                "paid": p,
                "arrears": d - p,
                "remit_due": o,
                "remitted": r,
                "remit_arrears": o - r,
                "declared": school.pk in due,
            }
        )
    return out
