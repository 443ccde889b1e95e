"""会费 and the ledger: every write checked, all-or-nothing, audited."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import Conflict, InvalidInput, NeedsConfirmation
from jiaogong.core.models import Org
from jiaogong.core.money import read_amount, to_money
from jiaogong.core.parsing import books_date_problem
from jiaogong.core.rules import value_for
from jiaogong.funds import rules
from jiaogong.funds.models import (
    EXPENSE_CATEGORIES,
    INCOME_CATEGORIES,
    REMITTANCE_CATEGORY,
    TRANSFER_CATEGORY,
    DuesPayment,
    DuesReminder,
    EntryComment,
    LedgerEntry,
    SalaryBase,
    YearSignOff,
)
from jiaogong.members.models import Member


def parse_month(text: str) -> datetime.date:
    """ "2026-11" → 2026-11-01; anything else is a Chinese message."""
    try:
        year, month = (int(part) for part in str(text).split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        raise InvalidInput({"month": f"月份应写作“2026-11”，而不是“{text}”。"}) from None


def parse_amount(value, *, field: str, label: str, errors: dict, positive: bool = True) -> Decimal | None:
    """A yuan amount with at most two decimals (a string or a number): core.money.read_amount."""
    amount, problem = read_amount(value, label=label, allow_zero=not positive)
    if problem:
        errors[field] = problem
    return amount


# ---- 会费 --------------------------------------------------------------------------------------


def dues_parameters(org) -> dict:
    return {
        "counted": list(value_for(org, "dues.base_components")),
        "retirees_exempt": bool(value_for(org, "dues.retirees_exempt")),
        "floor_unit": int(value_for(org, "dues.base_floor_unit")),
        "rate": Decimal(str(value_for(org, "dues.rate"))),
    }


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


@transaction.atomic
def put_salary_bases(
    *, actor, org, month: datetime.date, rows: list[dict], through: datetime.date | None = None
) -> dict:
    """The month's salary items per member (from the payroll sheet): every row is checked before
    anything is written; a member's month is replaced when sent again, unless that month's dues
    were already paid at a different amount. `through` applies the same bases to every month up to
    it (年度核定: bases set once for the rest of the year)."""
    months = months_between(month, through) if through else [month]
    if not months or (through and through.year != month.year):
        raise InvalidInput({"through": "年度核定的月份应在同一年内，且不早于起始月份。"})
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
    params = dues_parameters(org)
    results = [
        (member, amounts, rules.dues_for(amounts, retired=member.status == Member.Status.RETIRED, **params))
        for member, amounts in checked
    ]
    paid = {
        (p.member_id, p.month): p.amount
        for p in DuesPayment.objects.filter(
            org=org, month__in=months, member_id__in=[m.pk for m, _ in checked]
        )
    }
    for i, (member, _amounts, result) in enumerate(results, start=1):
        for m in months:
            if (member.pk, m) in paid and paid[(member.pk, m)] != result.amount:
                errors[f"{i}.member"] = (
                    f"第 {i} 行：{member.name} {m.year}年{m.month}月的会费已按 {paid[(member.pk, m)]} 元缴纳，"
                    f"新基数算出 {result.amount} 元，不能更改该月基数。"
                )
                break
    if errors:
        raise InvalidInput(errors, "工资基数有误，未保存任何内容。")
    # One statement per sheet: insert the month's rows, or replace a member's month sent again.
    SalaryBase.objects.bulk_create(
        [
            SalaryBase(
                org=org,
                member=member,
                month=m,
                components={k: str(v) for k, v in amounts.items()},
                pay=result.pay,
                base=result.base,
                dues=result.amount,
                exempt=result.exempt,
            )
            for m in months
            for member, amounts, result in results
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["member", "month"],
        update_fields=["org", "components", "pay", "base", "dues", "exempt", "recorded_at"],
    )
    total = sum((result.amount for _m, _a, result in results), Decimal("0.00"))
    audit.record(
        actor=actor,
        org=org,
        action="funds.salary_bases.put",
        object_repr=f"{month:%Y-%m} 工资基数" + (f"（至 {months[-1]:%Y-%m}）" if len(months) > 1 else ""),
        changes={
            "month": f"{month:%Y-%m}",
            "through": f"{months[-1]:%Y-%m}",
            "members": len(checked),
            "dues_total": str(total),
        },
    )
    return {"month": f"{month:%Y-%m}", "months": len(months), "members": len(checked), "total": total}


def dues_roll(org, month: datetime.date) -> dict:
    """The month's dues per member from the recorded bases, and their total."""
    # Only the columns the roll shows: no model instances, member rows or salary items to decode
    # (bench/funds.py: the 200 rolls of a district in 0.3 s instead of 1.1 s on SQLite, 2.3 s on PostgreSQL).
    rows = (
        SalaryBase.objects.filter(org=org, month=month)
        .order_by("member__name_pinyin", "member_id")
        .values_list("member_id", "member__name", "pay", "base", "dues", "exempt")
    )
    items = [
        {"member": member, "name": name, "pay": pay, "base": base, "amount": dues, "exempt": exempt}
        for member, name, pay, base, dues, exempt in rows
    ]
    return {
        "month": f"{month:%Y-%m}",
        "items": items,
        "total": sum((i["amount"] for i in items), Decimal("0.00")),
    }


# ---- the ledger --------------------------------------------------------------------------------------


def lock_books(org) -> None:
    """Serialise the writers of one org's books for the rest of the transaction: every new entry
    and the 经审's year sign-off take this lock before they look at whether the year is signed,
    so an entry can never land in a year signed while it was being recorded.

    PostgreSQL: a FOR NO KEY UPDATE lock on the org's row (it does not block the FOR KEY SHARE
    locks that inserts of org-owned rows take, so only the books' writers wait for each other).
    SQLite: select_for_update is a no-op, but every transaction starts IMMEDIATE (settings:
    transaction_mode), which takes the database's write lock at BEGIN, so writers are already
    serialised there (funds/tests/test_concurrency.py races both on both databases)."""
    list(Org.objects.select_for_update(no_key=True).filter(pk=org.pk).values_list("pk", flat=True))


def categories(kind: str) -> list[str]:
    return INCOME_CATEGORIES if kind == LedgerEntry.Kind.INCOME else list(EXPENSE_CATEGORIES)


@transaction.atomic
def record_entry(
    *,
    actor,
    org,
    date,
    kind: str,
    category: str = "",
    amount,
    memo: str = "",
    subcategory: str = "",
    payee: str = "",
    account: str = LedgerEntry.Account.BANK,
    counter_account: str = "",
    from_dues: bool = False,
    confirm_warnings: bool = False,
    system: bool = False,
) -> LedgerEntry:
    """Record a voucher. An expense whose words point at a banned use (八不准), or that takes the
    会费 top-up over its ceiling, is refused with NeedsConfirmation (409 `needs_confirmation`,
    nothing written) unless `confirm_warnings`: the person acting saw the warnings and confirmed
    (the form's box, the API's `confirm: true`). A service recording on behalf of another module
    passes on its caller's confirmation and never confirms by itself. `system` lets the
    remittance service file its voucher under 上解上级支出."""
    errors: dict[str, str] = {}
    lock_books(org)
    if kind == LedgerEntry.Kind.TRANSFER:
        category = TRANSFER_CATEGORY
        if counter_account not in LedgerEntry.Account.values or counter_account == account:
            errors["counter_account"] = "内部转账请选择转入的另一个账户（库存现金与银行存款之间）。"
    elif counter_account:
        errors["counter_account"] = "只有内部转账填写转入账户。"
    if kind not in LedgerEntry.Kind.values:
        errors["kind"] = "收支应为 income（收入）、expense（支出）或 transfer（内部转账）。"
    elif kind == LedgerEntry.Kind.TRANSFER or (system and category == REMITTANCE_CATEGORY):
        pass
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
    elif problem := books_date_problem(date, today=timezone.localdate()):
        errors["date"] = problem
    elif year_signed(org, date.year):
        errors["date"] = (
            f"{date.year} 年度账目已经经审签字，不能再记账；更正请在本年度记调整凭证，并在摘要中注明原凭证。"
        )
    memo = (memo or "").strip()
    if not memo:
        errors["memo"] = "请填写摘要（这笔钱做什么用）。"
    elif len(memo) > 200:
        errors["memo"] = "摘要不能超过 200 字。"
    if from_dues and kind != LedgerEntry.Kind.EXPENSE:
        errors["from_dues"] = "只有支出可以标为会费列支。"
    if errors:
        raise InvalidInput(errors, "凭证有误，未记账。")
    payee = (payee or "").strip()[:100]
    warnings = []
    if kind == LedgerEntry.Kind.EXPENSE:
        warnings = rules.banned_use_warnings(category, subcategory, memo, payee)
        if from_dues:
            warnings += topup_warnings(org, date.year, extra=value)
    if warnings and not confirm_warnings:
        raise NeedsConfirmation(warnings, "这笔支出可能违反经费使用规定，请核实后确认再记账。")
    entry = LedgerEntry.objects.create(
        org=org,
        account=account,
        counter_account=counter_account if kind == LedgerEntry.Kind.TRANSFER else "",
        date=date,
        kind=kind,
        category=category,
        subcategory=subcategory,
        amount=value,
        payee=payee,
        memo=memo,
        from_dues=bool(from_dues),
        recorded_by=actor,
    )
    changes = audit.snapshot(entry)
    if warnings:
        changes["warnings_confirmed"] = warnings
    audit.record(actor=actor, org=org, action="funds.entry.create", obj=entry, changes=changes)
    entry.warnings = warnings
    return entry


def topup_warnings(org, year: int, *, extra: Decimal = Decimal(0)) -> list[str]:
    """The 会费 top-up ceiling (RULES.md §3): activities paid from 会费 may be topped up from
    other union funds by at most N × the year's 会费 income."""
    dues_income, dues_funded = dues_funding(org, year)
    multiple = int(value_for(org, "funds.dues_topup_max_multiple"))
    excess = rules.dues_topup_excess(dues_income, dues_funded + extra, multiple)
    if not excess:
        return []
    return [
        f"{year} 年会费列支的活动支出 {dues_funded + extra:.2f} 元，超出会费收入 {dues_income:.2f} 元的部分"
        f"已超过补充上限（会费收入的 {multiple} 倍）{excess:.2f} 元。"
    ]


def dues_funding(org, year: int) -> tuple[Decimal, Decimal]:
    """(the year's 会费 income, its expenses marked 会费列支), reversals netted."""
    rows = dict(
        LedgerEntry.objects.filter(org=org, date__year=year)
        .filter(Q(kind="income", category="会费收入") | Q(kind="expense", from_dues=True))
        .values_list("kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return to_money(rows.get("income") or 0), to_money(rows.get("expense") or 0)


@transaction.atomic
def reverse_entry(*, actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """红字冲销: the opposite amount in the same account, kind and category, dated today."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "请写明冲销原因。"}, "请写明冲销原因。")
    if entry.reverses_id is not None:
        raise Conflict("is_reversal", "这是一笔冲销凭证，不能再冲销；如有错误请重新记账。")
    lock_books(entry.org)
    try:
        with transaction.atomic():
            reversal = LedgerEntry.objects.create(
                org=entry.org,
                account=entry.account,
                counter_account=entry.counter_account,
                from_dues=entry.from_dues,
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
        .exclude(kind=LedgerEntry.Kind.TRANSFER)
        .values("kind", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    income = {c: Decimal("0.00") for c in INCOME_CATEGORIES}
    expense = {c: Decimal("0.00") for c in [*EXPENSE_CATEGORIES, REMITTANCE_CATEGORY]}
    for row in rows:
        (income if row["kind"] == "income" else expense)[row["category"]] = to_money(row["total"])
    balance = rules.balance(
        [("income", v) for v in income.values()] + [("expense", v) for v in expense.values()]
    )
    return {"year": year, "income": income, "expense": expense, "balance": balance}


# ---- dues collection -------------------------------------------------------------------------------


def unpaid(org, month: datetime.date):
    """The month's dues not yet collected (exempt members owe nothing)."""
    paid = DuesPayment.objects.filter(org=org, month=month).values("member_id")
    return (
        SalaryBase.objects.filter(org=org, month=month, dues__gt=0)
        .exclude(member_id__in=paid)
        .select_related("member")
        .order_by("member__name_pinyin", "member_id")
    )


@transaction.atomic
def collect_payroll(
    *, actor, org, month: datetime.date, paid_on: datetime.date, skip: list[int] = ()
) -> LedgerEntry:
    """工资代扣: the dues of everyone not yet paid this month (but the members in `skip`, who were
    not on this month's payroll), in one ledger entry."""
    rows = list(unpaid(org, month).exclude(member_id__in=list(skip)).select_for_update(of=("self",)))
    if not rows:
        raise Conflict("nothing_due", f"{month.year}年{month.month}月没有待收的会费（请先录入工资基数）。")
    # A member who paid in person while this request waited for the rows' locks: the list the
    # finance member saw is out of date, so nothing is collected (PostgreSQL re-checks locked rows
    # against the row only, not against the payments the query looked up).
    _refuse_paid_meanwhile(org, month, [r.member for r in rows])
    total = sum((r.dues for r in rows), Decimal("0.00"))
    entry = record_entry(
        actor=actor,
        org=org,
        date=paid_on,
        kind=LedgerEntry.Kind.INCOME,
        category="会费收入",
        amount=total,
        memo=f"{month.year}年{month.month}月会费（工资代扣，{len(rows)} 人）",
    )
    try:
        with transaction.atomic():
            DuesPayment.objects.bulk_create(
                DuesPayment(
                    org=org,
                    member=r.member,
                    month=month,
                    amount=r.dues,
                    method=DuesPayment.Method.PAYROLL,
                    entry=entry,
                    paid_on=paid_on,
                )
                for r in rows
            )
    except IntegrityError:  # the unique (member, month) is the last word on a concurrent payment
        _refuse_paid_meanwhile(org, month, [r.member for r in rows])
        raise Conflict("already_paid", _PAID_MEANWHILE.format(month=month, names="部分会员")) from None
    audit.record(
        actor=actor,
        org=org,
        action="funds.dues.collect_payroll",
        obj=entry,
        changes={"month": f"{month:%Y-%m}", "members": len(rows), "total": str(total)},
    )
    return entry


_PAID_MEANWHILE = (
    "{names} {month.year}年{month.month}月的会费刚刚已登记缴纳（可能是他人同时在办理），"
    "本次未收取任何会费，请刷新页面后重新操作。"
)


def _refuse_paid_meanwhile(org, month: datetime.date, members) -> None:
    names = list(
        DuesPayment.objects.filter(org=org, month=month, member__in=members)
        .order_by("member__name_pinyin", "member_id")
        .values_list("member__name", flat=True)
    )
    if names:
        shown = "、".join(names[:5]) + (f" 等 {len(names)} 人" if len(names) > 5 else "")
        raise Conflict("already_paid", _PAID_MEANWHILE.format(month=month, names=shown))


@transaction.atomic
def collect_individual(*, actor, org, member, month: datetime.date, paid_on: datetime.date) -> DuesPayment:
    """A member pays their month in person (arrears, or not on the payroll)."""
    # Locks the member's month like collect_payroll does, so the two wait for each other.
    row = unpaid(org, month).filter(member=member).select_for_update(of=("self",)).first()
    if row is not None and DuesPayment.objects.filter(member=member, month=month).exists():
        row = None  # paid through the payroll while this request waited for the lock
    if row is None:
        if DuesPayment.objects.filter(member=member, month=month).exists():
            raise Conflict("already_paid", f"{member.name} {month.year}年{month.month}月的会费已经缴纳。")
        raise Conflict("nothing_due", f"{member.name} {month.year}年{month.month}月没有应缴会费。")
    entry = record_entry(
        actor=actor,
        org=org,
        date=paid_on,
        kind=LedgerEntry.Kind.INCOME,
        category="会费收入",
        amount=row.dues,
        payee=member.name,
        memo=f"{member.name} {month.year}年{month.month}月会费（个人缴纳）",
    )
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                org=org,
                member=member,
                month=month,
                amount=row.dues,
                method=DuesPayment.Method.INDIVIDUAL,
                entry=entry,
                paid_on=paid_on,
            )
    except IntegrityError:
        raise Conflict(
            "already_paid", f"{member.name} {month.year}年{month.month}月的会费已经缴纳。"
        ) from None
    audit.record(actor=actor, org=org, action="funds.dues.collect_individual", obj=payment)
    return payment


def arrears(org, today: datetime.date | None = None) -> list[dict]:
    """Members who owe dues for a month before the current one: who, which months, how much."""
    today = today or timezone.localdate()
    current = today.replace(day=1)
    paid = DuesPayment.objects.filter(org=org).values("member_id", "month")
    owed: dict[int, dict] = {}
    rows = (
        SalaryBase.objects.filter(org=org, month__lt=current, dues__gt=0)
        .select_related("member")
        .order_by("member__name_pinyin", "member_id", "month")
    )
    paid_pairs = set(paid.values_list("member_id", "month"))
    for r in rows:
        if (r.member_id, r.month) in paid_pairs:
            continue
        item = owed.setdefault(r.member_id, {"member": r.member, "months": [], "total": Decimal("0.00")})
        item["months"].append(r.month)
        item["total"] += r.dues
    return list(owed.values())


@transaction.atomic
def remind(*, actor, org, member, method: str, today: datetime.date | None = None) -> DuesReminder:
    """催缴: record that the member was reminded of what they owe now (months and amount)."""
    if method not in DuesReminder.Method.values:
        raise InvalidInput({"method": "请选择催缴方式：当面、电话、微信/短信或书面通知。"})
    owed = next((a for a in arrears(org, today) if a["member"].pk == member.pk), None)
    if owed is None:
        raise Conflict("nothing_owed", f"{member.name}没有欠缴会费，无需催缴。")
    reminder = DuesReminder.objects.create(
        org=org,
        member=member,
        months=[f"{m:%Y-%m}" for m in owed["months"]],
        amount=owed["total"],
        method=method,
        reminded_by=actor,
    )
    audit.record(
        actor=actor, org=org, action="funds.dues.remind", obj=reminder, changes=audit.snapshot(reminder)
    )
    return reminder


def last_reminders(org) -> dict[int, DuesReminder]:
    """Each member's latest 催缴."""
    latest: dict[int, DuesReminder] = {}
    for r in DuesReminder.objects.filter(org=org).order_by("member_id", "-reminded_at", "-id"):
        latest.setdefault(r.member_id, r)
    return latest


def dues_of_member(member) -> list[dict]:
    """A member's own months: base, dues, and when and how they were paid."""
    payments = {p.month: p for p in DuesPayment.objects.filter(member=member)}
    return [
        {
            "month": r.month,
            "base": r.base,
            "dues": r.dues,
            "exempt": r.exempt,
            "payment": payments.get(r.month),
        }
        for r in SalaryBase.objects.filter(member=member).order_by("-month")
    ]


# ---- 经审 ---------------------------------------------------------------------------------------


def year_signed(org, year: int) -> bool:
    return YearSignOff.objects.filter(org=org, year=year).exists()


@transaction.atomic
def sign_off_year(*, actor, org, year: int, opinion: str) -> YearSignOff:
    opinion = (opinion or "").strip()
    if not opinion:
        raise InvalidInput({"opinion": "请填写审查意见。"}, "请填写审查意见。")
    if year >= timezone.localdate().year:
        raise InvalidInput({"year": f"{year} 年度尚未结束，年度结束后才能签字。"}, f"{year} 年度尚未结束。")
    # After the lock no entry of the year is being recorded: the figures below are the ones signed.
    lock_books(org)
    try:
        with transaction.atomic():
            signed = YearSignOff.objects.create(org=org, year=year, opinion=opinion, signed_by=actor)
    except IntegrityError:
        raise Conflict("year_signed", f"{year} 年度已经签字。") from None
    totals = summary(org, year)
    audit.record(
        actor=actor,
        org=org,
        action="funds.year.sign_off",
        obj=signed,
        changes={
            "year": year,
            "entries": LedgerEntry.objects.filter(org=org, date__year=year).count(),
            "income": str(sum(totals["income"].values(), Decimal("0.00"))),
            "expense": str(sum(totals["expense"].values(), Decimal("0.00"))),
        },
    )
    return signed


@transaction.atomic
def comment_entry(*, actor, entry: LedgerEntry, text: str) -> EntryComment:
    text = (text or "").strip()
    if not text:
        raise InvalidInput({"text": "请填写意见。"}, "请填写意见。")
    if len(text) > 500:
        raise InvalidInput({"text": "意见不能超过 500 字。"}, "意见过长。")
    comment = EntryComment.objects.create(entry=entry, author=actor, text=text)
    audit.record(actor=actor, org=entry.org, action="funds.entry.comment", obj=entry, changes={"text": text})
    return comment
