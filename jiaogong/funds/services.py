"""会费 and the ledger: every write checked, all-or-nothing, audited."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.money import to_money
from jiaogong.core.rules import value_for
from jiaogong.funds import rules
from jiaogong.funds.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES, LedgerEntry, SalaryBase
from jiaogong.members.models import Member

MAX_AMOUNT = Decimal("9999999999.99")


def parse_month(text: str) -> datetime.date:
    """ "2026-11" → 2026-11-01; anything else is a Chinese message."""
    try:
        year, month = (int(part) for part in str(text).split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        raise InvalidInput({"month": f"月份应写作“2026-11”，而不是“{text}”。"}) from None


def parse_amount(value, *, field: str, label: str, errors: dict, positive: bool = True) -> Decimal | None:
    """A yuan amount with at most two decimals (a string or a number)."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        errors[field] = f"{label}应为金额（元），例如 2830.00。"
        return None
    if not amount.is_finite():
        errors[field] = f"{label}应为金额（元），例如 2830.00。"
        return None
    if amount > MAX_AMOUNT:
        errors[field] = f"{label}过大。"
        return None
    if amount != amount.quantize(Decimal("0.01")):
        errors[field] = f"{label}最多保留两位小数。"
        return None
    if amount < 0 or (positive and amount == 0):
        errors[field] = f"{label}应{'大于' if positive else '不小于'}零。"
        return None
    return amount.quantize(Decimal("0.01"))


# ---- 会费 --------------------------------------------------------------------------------------


def _dues_parameters(org) -> dict:
    return {
        "counted": list(value_for(org, "dues.base_components")),
        "retirees_exempt": bool(value_for(org, "dues.retirees_exempt")),
        "floor_unit": int(value_for(org, "dues.base_floor_unit")),
        "rate": Decimal(str(value_for(org, "dues.rate"))),
    }


@transaction.atomic
def put_salary_bases(*, actor, org, month: datetime.date, rows: list[dict]) -> dict:
    """The month's salary items per member (from the payroll sheet): every row is checked before
    anything is written; a member's month is replaced when sent again."""
    errors: dict[str, str] = {}
    members = {m.pk: m for m in Member.objects.filter(org=org)}
    seen: set[int] = set()
    checked = []
    for i, row in enumerate(rows, start=1):
        member = members.get(row.get("member")) if isinstance(row.get("member"), int) else None
        if member is None:
            errors[f"{i}.member"] = f"第 {i} 行：没有找到该会员。"
            continue
        if member.pk in seen:
            errors[f"{i}.member"] = f"第 {i} 行：{member.name} 在本月出现了两次。"
            continue
        seen.add(member.pk)
        components = row.get("components")
        if not isinstance(components, dict) or not components:
            errors[f"{i}.components"] = f"第 {i} 行：请填写 {member.name} 的工资项目和金额。"
            continue
        amounts = {}
        for name, value in components.items():
            name = str(name).strip()
            if not name:
                errors[f"{i}.components"] = f"第 {i} 行：工资项目缺少名称。"
                break
            amount = parse_amount(
                value, field=f"{i}.components.{name}", label=f"第 {i} 行{name}", errors=errors, positive=False
            )
            if amount is not None:
                amounts[name] = amount
        checked.append((member, amounts))
    if errors:
        raise InvalidInput(errors, "工资基数有误，未保存任何内容。")
    params = _dues_parameters(org)
    total = Decimal("0.00")
    for member, amounts in checked:
        result = rules.dues_for(amounts, retired=member.status == Member.Status.RETIRED, **params)
        SalaryBase.objects.update_or_create(
            member=member,
            month=month,
            defaults={
                "org": org,
                "components": {k: str(v) for k, v in amounts.items()},
                "pay": result.pay,
                "base": result.base,
                "dues": result.amount,
                "exempt": result.exempt,
            },
        )
        total += result.amount
    audit.record(
        actor=actor,
        org=org,
        action="funds.salary_bases.put",
        object_repr=f"{month:%Y-%m} 工资基数",
        changes={"month": f"{month:%Y-%m}", "members": len(checked), "dues_total": str(total)},
    )
    return {"month": f"{month:%Y-%m}", "members": len(checked), "total": total}


def dues_roll(org, month: datetime.date) -> dict:
    """The month's dues per member from the recorded bases, and their total."""
    rows = (
        SalaryBase.objects.filter(org=org, month=month)
        .select_related("member")
        .order_by("member__name_pinyin", "member_id")
    )
    items = [
        {
            "member": r.member_id,
            "name": r.member.name,
            "pay": r.pay,
            "base": r.base,
            "amount": r.dues,
            "exempt": r.exempt,
        }
        for r in rows
    ]
    return {
        "month": f"{month:%Y-%m}",
        "items": items,
        "total": sum((i["amount"] for i in items), Decimal("0.00")),
    }


# ---- the ledger --------------------------------------------------------------------------------------


def categories(kind: str) -> list[str]:
    return INCOME_CATEGORIES if kind == LedgerEntry.Kind.INCOME else list(EXPENSE_CATEGORIES)


@transaction.atomic
def record_entry(
    *,
    actor,
    org,
    date,
    kind: str,
    category: str,
    amount,
    memo: str = "",
    subcategory: str = "",
    payee: str = "",
    account: str = LedgerEntry.Account.BANK,
) -> LedgerEntry:
    errors: dict[str, str] = {}
    if kind not in LedgerEntry.Kind.values:
        errors["kind"] = "收支应为 income（收入）或 expense（支出）。"
    elif category not in categories(kind):
        errors["category"] = f"科目应为：{'、'.join(categories(kind))}。"
    elif subcategory and subcategory not in EXPENSE_CATEGORIES.get(category, []):
        options = EXPENSE_CATEGORIES.get(category, [])
        errors["subcategory"] = (
            f"“{category}”的明细科目应为：{'、'.join(options)}。"
            if options
            else f"“{category}”没有明细科目。"
        )
    if account not in LedgerEntry.Account.values:
        errors["account"] = "账户应为 bank（银行存款）或 cash（库存现金）。"
    value = parse_amount(amount, field="amount", label="金额", errors=errors)
    if not isinstance(date, datetime.date):
        errors["date"] = "请填写日期。"
    elif date > timezone.localdate():
        errors["date"] = "不能记录未来日期的凭证。"
    memo = (memo or "").strip()
    if not memo:
        errors["memo"] = "请填写摘要（这笔钱做什么用）。"
    elif len(memo) > 200:
        errors["memo"] = "摘要不能超过 200 字。"
    if errors:
        raise InvalidInput(errors, "凭证有误，未记账。")
    entry = LedgerEntry.objects.create(
        org=org,
        account=account,
        date=date,
        kind=kind,
        category=category,
        subcategory=subcategory,
        amount=value,
        payee=(payee or "").strip()[:100],
        memo=memo,
        recorded_by=actor,
    )
    audit.record(actor=actor, org=org, action="funds.entry.create", obj=entry, changes=audit.snapshot(entry))
    return entry


@transaction.atomic
def reverse_entry(*, actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """红字冲销: the opposite amount in the same account, kind and category, dated today."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "请写明冲销原因。"}, "请写明冲销原因。")
    if entry.reverses_id is not None:
        raise Conflict("is_reversal", "这是一笔冲销凭证，不能再冲销；如有错误请重新记账。")
    try:
        with transaction.atomic():
            reversal = LedgerEntry.objects.create(
                org=entry.org,
                account=entry.account,
                date=timezone.localdate(),
                kind=entry.kind,
                category=entry.category,
                subcategory=entry.subcategory,
                amount=-entry.amount,
                payee=entry.payee,
                memo=f"冲销 {entry.date:%Y-%m-%d} 第 {entry.pk} 号凭证：{reason}"[:200],
                reverses=entry,
                recorded_by=actor,
            )
    except IntegrityError:
        raise Conflict("already_reversed", "这笔凭证已经冲销过了。") from None
    audit.record(
        actor=actor,
        org=entry.org,
        action="funds.entry.reverse",
        obj=reversal,
        changes={"reverses": entry.pk, "amount": str(reversal.amount), "reason": reason},
    )
    return reversal


def summary(org, year: int) -> dict:
    """Income and expense per category for the year (reversals net out), and the balance."""
    rows = (
        LedgerEntry.objects.filter(org=org, date__year=year)
        .values("kind", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    income = {c: Decimal("0.00") for c in INCOME_CATEGORIES}
    expense = {c: Decimal("0.00") for c in EXPENSE_CATEGORIES}
    for row in rows:
        (income if row["kind"] == "income" else expense)[row["category"]] = to_money(row["total"])
    balance = rules.balance(
        [("income", v) for v in income.values()] + [("expense", v) for v in expense.values()]
    )
    return {"year": year, "income": income, "expense": expense, "balance": balance}
