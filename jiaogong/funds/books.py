"""The books: account balances, the running ledger, monthly and annual statements, budgets
against actuals, and the receipt scans kept with vouchers."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import ExtractMonth

from jiaogong.core import audit
from jiaogong.core.errors import InvalidInput
from jiaogong.core.money import to_money
from jiaogong.core.uploads import KINDS as UPLOAD_KINDS
from jiaogong.funds import services
from jiaogong.funds.models import (
    EXPENSE_CATEGORIES,
    INCOME_CATEGORIES,
    REMITTANCE_CATEGORY,
    Attachment,
    Budget,
    LedgerEntry,
)

ZERO = Decimal("0.00")
ACCOUNTS = LedgerEntry.Account


def effect(entry: LedgerEntry, account: str | None = None) -> Decimal:
    """What the entry does to the balance of `account` (None: of all the union's money)."""
    if entry.kind == LedgerEntry.Kind.TRANSFER:
        if account is None:
            return ZERO
        if entry.account == account:
            return -entry.amount
        return entry.amount if entry.counter_account == account else ZERO
    if account is not None and entry.account != account:
        return ZERO
    return entry.amount if entry.kind == LedgerEntry.Kind.INCOME else -entry.amount


def _signed(account: str | None):
    """The SQL expression of `effect` for an aggregate."""
    money = DecimalField(max_digits=14, decimal_places=2)
    if account is None:
        return Case(
            When(kind="income", then=F("amount")),
            When(kind="expense", then=-F("amount")),
            default=Value(ZERO),
            output_field=money,
        )
    return Case(
        When(kind="transfer", account=account, then=-F("amount")),
        When(kind="transfer", counter_account=account, then=F("amount")),
        When(kind="income", account=account, then=F("amount")),
        When(kind="expense", account=account, then=-F("amount")),
        default=Value(ZERO),
        output_field=money,
    )


def balance(org, *, before: datetime.date | None = None, account: str | None = None) -> Decimal:
    """The balance of the union's money (or of one account) before a date (None: everything)."""
    entries = LedgerEntry.objects.filter(org=org)
    if before is not None:
        entries = entries.filter(date__lt=before)
    total = entries.aggregate(total=Sum(_signed(account)))["total"]
    return to_money(total or 0)


def balances_by_org(using: str = "default") -> dict[str, str]:
    """{org id: balance of all the union's money} for every org with entries: a backup's manifest
    keeps it and a restore must reproduce it (core/backup.py)."""
    rows = (
        LedgerEntry.objects.using(using)
        .order_by()
        .values("org_id")
        .annotate(total=Sum(_signed(None)))
        .values_list("org_id", "total")
    )
    return {str(org_id): str(to_money(total or 0)) for org_id, total in sorted(rows)}


def account_balances(org) -> dict:
    return {
        "bank": balance(org, account=ACCOUNTS.BANK),
        "cash": balance(org, account=ACCOUNTS.CASH),
        "total": balance(org),
    }


def ledger_lines(org, year: int, account: str | None = None) -> dict:
    """The year's vouchers in order with the running balance (of one account, or of all)."""
    opening = balance(org, before=datetime.date(year, 1, 1), account=account)
    entries = LedgerEntry.objects.filter(org=org, date__year=year)
    if account is not None:
        entries = entries.filter(Q(account=account) | Q(counter_account=account))
    entries = list(
        entries.select_related("reverses", "reversed_by", "recorded_by").prefetch_related(
            "comments__author", "attachments"
        )
    )
    running = opening
    for entry in entries:
        entry.effect = effect(entry, account)
        running += entry.effect
        entry.balance = running
    return {"opening": opening, "entries": entries, "closing": running}


def monthly_statement(org, year: int) -> dict:
    """收支月报: for each month the opening balance, income, expense and closing balance, with
    the amounts per category (rows: categories, columns: months), and the year's totals."""
    rows = (
        LedgerEntry.objects.filter(org=org, date__year=year)
        .exclude(kind=LedgerEntry.Kind.TRANSFER)
        .annotate(month=ExtractMonth("date"))
        .values("month", "kind", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    income = {c: [ZERO] * 12 for c in INCOME_CATEGORIES}
    expense = {c: [ZERO] * 12 for c in [*EXPENSE_CATEGORIES, REMITTANCE_CATEGORY]}
    for row in rows:
        table = income if row["kind"] == "income" else expense
        table.setdefault(row["category"], [ZERO] * 12)[row["month"] - 1] = to_money(row["total"])
    months = []
    running = balance(org, before=datetime.date(year, 1, 1))
    for m in range(12):
        month_income = sum((v[m] for v in income.values()), ZERO)
        month_expense = sum((v[m] for v in expense.values()), ZERO)
        months.append(
            {
                "month": m + 1,
                "opening": running,
                "income": month_income,
                "expense": month_expense,
                "closing": running + month_income - month_expense,
            }
        )
        running += month_income - month_expense
    return {
        "year": year,
        "months": months,
        "income": income,
        "expense": expense,
        "opening": months[0]["opening"],
        "closing": running,
        "income_total": sum((m["income"] for m in months), ZERO),
        "expense_total": sum((m["expense"] for m in months), ZERO),
    }


# ---- budgets -------------------------------------------------------------------------------------


def budget_categories() -> list[tuple[str, str]]:
    return [("income", c) for c in INCOME_CATEGORIES] + [("expense", c) for c in EXPENSE_CATEGORIES]


@transaction.atomic
def set_budgets(*, actor, org, year: int, amounts: dict[tuple[str, str], object]) -> list[Budget]:
    """The year's budget, category by category, all-or-nothing. A blank amount leaves a category
    without a budget (an existing one is kept)."""
    allowed = set(budget_categories())
    errors: dict[str, str] = {}
    parsed: dict[tuple[str, str], Decimal] = {}
    for key, raw in amounts.items():
        kind, category = key
        field = f"{kind}:{category}"
        if key not in allowed:
            errors[field] = f"没有“{category}”这个{'收入' if kind == 'income' else '支出'}科目。"
            continue
        if raw is None or str(raw).strip() == "":
            continue
        value = services.parse_amount(
            raw, field=field, label=f"“{category}”预算", errors=errors, positive=False
        )
        if value is not None:
            parsed[key] = value
    if not 2000 <= year <= 2100:
        errors["year"] = "年度有误。"
    if errors:
        raise InvalidInput(errors, "预算有误，未保存。")
    saved = []
    for (kind, category), value in parsed.items():
        budget, created = Budget.objects.get_or_create(
            org=org, year=year, kind=kind, category=category, defaults={"amount": value, "updated_by": actor}
        )
        if not created and budget.amount != value:
            before = budget.amount
            budget.amount, budget.updated_by = value, actor
            budget.save(update_fields=["amount", "updated_by", "updated_at"])
            audit.record(
                actor=actor,
                org=org,
                action="funds.budget.update",
                obj=budget,
                changes={"amount": [str(before), str(value)]},
            )
        elif created:
            audit.record(
                actor=actor, org=org, action="funds.budget.create", obj=budget, changes=audit.snapshot(budget)
            )
        saved.append(budget)
    return saved


def budget_vs_actual(org, year: int) -> dict:
    """Per category: budget, actual (the ledger, reversals netted), what is left and the share
    used; `over` when the actual passes a budget."""
    totals = services.summary(org, year)
    budgets = {(b.kind, b.category): b.amount for b in Budget.objects.filter(org=org, year=year)}
    out = {"year": year, "income": [], "expense": [], "has_budget": bool(budgets)}
    for kind, category in budget_categories():
        actual = totals[kind].get(category, ZERO)
        budget = budgets.get((kind, category))
        out[kind].append(
            {
                "category": category,
                "budget": budget,
                "actual": actual,
                "left": None if budget is None else budget - actual,
                "used": None if not budget else (actual / budget * 100).quantize(Decimal("1")),
                "over": budget is not None and kind == "expense" and actual > budget,
            }
        )
    for kind in ("income", "expense"):
        out[f"{kind}_budget"] = sum((r["budget"] or ZERO for r in out[kind]), ZERO)
        out[f"{kind}_actual"] = sum((r["actual"] for r in out[kind]), ZERO)
    out["remitted"] = totals["expense"].get(REMITTANCE_CATEGORY, ZERO)
    return out


# ---- receipt scans -------------------------------------------------------------------------------

MAX_ATTACHMENT = UPLOAD_KINDS["voucher_attachment"].max_bytes  # core/uploads.py: one table of upload points
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


def sniff(head: bytes) -> str | None:
    """The content type from the file's first bytes (the name and the browser's word are not
    trusted), or None when it is not a JPEG, PNG or PDF."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


@transaction.atomic
def add_attachment(*, actor, entry: LedgerEntry, upload) -> Attachment:
    services.lock_books(entry.org)  # not into a year being signed this moment
    if services.year_signed(entry.org, entry.date.year):
        raise InvalidInput({"file": f"{entry.date.year} 年度账目已经经审签字，不能再添加附件。"})
    if upload is None:
        raise InvalidInput({"file": "请选择收据或发票的照片、扫描件（JPG、PNG 或 PDF）。"})
    if upload.size > MAX_ATTACHMENT:
        raise InvalidInput({"file": "附件不能超过 10 MB。"})
    if upload.size == 0:
        raise InvalidInput({"file": "文件是空的。"})
    head = upload.read(8)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise InvalidInput({"file": "只能上传 JPG、PNG 图片或 PDF 文件。"})
    name = (getattr(upload, "name", "") or "附件").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        entry=entry, name=name, content_type=content_type, size=upload.size, uploaded_by=actor
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record(
        actor=actor,
        org=entry.org,
        action="funds.attachment.create",
        obj=attachment,
        changes={"entry": entry.pk, "name": name, "size": upload.size},
    )
    return attachment
