"""困难职工档案 writes: open a file, change it, review it each year (摸底), close it, record help.
Every write is checked whole first (InvalidInput with per-field Chinese messages, nothing
written), then written in one transaction and audited.

The category is never typed in: it is computed (rules.assess) from the figures and the rule
parameters in force, stored on the file with those inputs, and every computed category is kept
(CategoryChange) — at opening, on each change of the figures, at each review.

The audit trail is read by more people than the file (the vice-chairs, the auditor), so a file's
audit rows name what changed, with the figures, but not the text about health and family.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.rules import value_for
from jiaogong.hardship import rules
from jiaogong.hardship.models import (
    CAUSES,
    HOUSING,
    CategoryChange,
    FileRead,
    HardshipFile,
    HelpRecord,
    HouseholdMember,
    Review,
)
from jiaogong.members.models import Member

FIGURES = ("household_size", "annual_income", "rigid_expenses", "hardship_costs", "dibao_monthly")
PRIVATE_TEXT = ("member", "health", "housing_note", "note", "close_reason")
TEXT_FIELDS = {  # field: (label, max length)
    "health": ("本人健康状况", 200),
    "locality": ("所在地", 100),
    "housing_note": ("住房说明", 200),
    "note": ("备注", 500),
}
MAX_ROWS = 20


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _items(rows, *, field: str, label: str, errors: dict) -> list[dict]:
    """Income or expense items [{"kind", "amount"}]: blank rows dropped, the rest checked."""
    out = []
    for i, row in enumerate(rows or [], start=1):
        kind = str(row.get("kind") or "").strip()
        amount = row.get("amount")
        if not kind and _blank(amount):
            continue
        if not kind:
            errors[f"{field}.{i}.kind"] = f"{label}第 {i} 行：请填写项目。"
            continue
        if len(kind) > 20:
            errors[f"{field}.{i}.kind"] = f"{label}第 {i} 行：项目不能超过 20 个字。"
            continue
        value, problem = rules.parse_money(amount, label=f"{label}第 {i} 行金额", allow_zero=False)
        if problem:
            errors[f"{field}.{i}.amount"] = problem
            continue
        out.append({"kind": kind, "amount": str(value)})
    if len(out) > MAX_ROWS:
        errors[field] = f"{label}最多 {MAX_ROWS} 项。"
    return out


def _household(rows, *, today: datetime.date, errors: dict) -> list[dict]:
    out = []
    for i, row in enumerate(rows or [], start=1):
        row = {k: (v.strip() if isinstance(v, str) else v) for k, v in (row or {}).items()}
        if all(
            _blank(row.get(k))
            for k in ("name", "relation", "birth_year", "occupation", "health", "annual_income")
        ):
            continue
        where = f"家庭成员第 {i} 行："
        name, relation = str(row.get("name") or ""), str(row.get("relation") or "")
        if not name:
            errors[f"household.{i}.name"] = f"{where}请填写姓名。"
        elif len(name) > 50:
            errors[f"household.{i}.name"] = f"{where}姓名不能超过 50 个字。"
        if not relation:
            errors[f"household.{i}.relation"] = f"{where}请填写与职工的关系（如 配偶、儿子、母亲）。"
        elif len(relation) > 20:
            errors[f"household.{i}.relation"] = f"{where}关系不能超过 20 个字。"
        birth_year = None
        if not _blank(row.get("birth_year")):
            try:
                birth_year = int(str(row["birth_year"]))
            except ValueError:
                birth_year = -1
            if not (1900 <= birth_year <= today.year):
                errors[f"household.{i}.birth_year"] = (
                    f"{where}出生年份应为 1900 至 {today.year} 之间的四位数。"
                )
        for key, label, limit in (("occupation", "职业/状况", 50), ("health", "健康状况", 100)):
            if len(str(row.get(key) or "")) > limit:
                errors[f"household.{i}.{key}"] = f"{where}{label}不能超过 {limit} 个字。"
        income = None
        if not _blank(row.get("annual_income")):
            income, problem = rules.parse_money(row["annual_income"], label="年收入")
            if problem:
                errors[f"household.{i}.annual_income"] = where + problem
        out.append(
            {
                "name": name,
                "relation": relation,
                "birth_year": birth_year,
                "occupation": str(row.get("occupation") or ""),
                "health": str(row.get("health") or ""),
                "annual_income": income,
            }
        )
    if len(out) > MAX_ROWS:
        errors["household"] = f"家庭成员最多登记 {MAX_ROWS} 人。"
    return out


def _clean(org, data: dict, *, today: datetime.date) -> dict:
    """The archive fields checked: {field: value} or InvalidInput naming every bad field."""
    errors: dict[str, str] = {}
    income_items = _items(data.get("income_items"), field="income_items", label="收入明细", errors=errors)
    expense_items = _items(
        data.get("expense_items"), field="expense_items", label="刚性支出明细", errors=errors
    )
    household = _household(data.get("household"), today=today, errors=errors)

    raw = {k: data.get(k) for k in FIGURES}
    for field, items in (("annual_income", income_items), ("rigid_expenses", expense_items)):
        if items and _blank(raw[field]):
            raw[field] = str(sum((Decimal(i["amount"]) for i in items), Decimal(0)))
    if _blank(raw["household_size"]) and household:
        raw["household_size"] = len(household) + 1
    values, problems = rules.check_inputs(**raw)
    errors.update(problems)
    for field, items, label in (
        ("annual_income", income_items, "家庭年收入"),
        ("rigid_expenses", expense_items, "刚性支出"),
    ):
        if items and field not in errors:
            total = sum((Decimal(i["amount"]) for i in items), Decimal(0))
            if total != values[field]:
                errors[field] = f"{label}应等于明细合计 {total:.2f} 元。"
    if household and "household_size" not in errors and values["household_size"] < len(household) + 1:
        errors["household_size"] = (
            f"家庭人口数（含职工本人）不能少于登记的家庭成员 {len(household)} 人加本人，即 {len(household) + 1} 人。"
        )

    causes = data.get("causes") or []
    if isinstance(causes, str):
        causes = [causes]
    unknown = [c for c in causes if c not in CAUSES]
    if unknown:
        errors["causes"] = f"致困原因应为：{'、'.join(CAUSES.values())}。"
    causes = [c for c in CAUSES if c in causes]  # in the archive's order, no repeats

    text = {}
    for field, (label, limit) in TEXT_FIELDS.items():
        value = str(data.get(field) or "").strip()
        if len(value) > limit:
            errors[field] = f"{label}不能超过 {limit} 个字。"
        text[field] = value
    housing = str(data.get("housing") or "")
    if housing and housing not in HOUSING:
        errors["housing"] = f"住房情况应为：{'、'.join(HOUSING.values())}。"
    opened_on = data.get("opened_on") or today
    if not isinstance(opened_on, datetime.date):
        errors["opened_on"] = "建档日期格式不正确。"
    elif opened_on > today:
        errors["opened_on"] = "建档日期不能晚于今天。"
    if errors:
        raise InvalidInput(errors, "困难职工档案有误，未保存。")
    return {
        **values,
        **text,
        "major_incident": bool(data.get("major_incident")),
        "causes": causes,
        "housing": housing,
        "income_items": income_items,
        "expense_items": expense_items,
        "household": household,
        "opened_on": opened_on,
    }


def assess_for(
    org, *, household_size, annual_income, rigid_expenses, hardship_costs, dibao_monthly, major_incident
):
    """The category with the org's parameters in force, and the parameters used."""
    multiple = Decimal(value_for(org, "hardship.relative_multiple"))
    share = Decimal(value_for(org, "hardship.accident_cost_share"))
    result = rules.assess(
        household_size=household_size,
        annual_income=annual_income,
        rigid_expenses=rigid_expenses,
        hardship_costs=hardship_costs,
        dibao_monthly=dibao_monthly,
        major_incident=major_incident,
        relative_multiple=multiple,
        accident_cost_share=share,
    )
    return result, multiple, share


def _apply_assessment(file: HardshipFile) -> rules.Assessment:
    result, multiple, share = assess_for(
        file.org,
        household_size=file.household_size,
        annual_income=file.annual_income,
        rigid_expenses=file.rigid_expenses,
        hardship_costs=file.hardship_costs,
        dibao_monthly=file.dibao_monthly,
        major_incident=file.major_incident,
    )
    file.category = result.category
    file.categories = list(result.categories)
    file.reasons = list(result.reasons)
    file.per_capita_monthly = result.per_capita_display
    file.relative_multiple = multiple.quantize(Decimal("0.01"))  # as the columns store them
    file.accident_cost_share = share.quantize(Decimal("0.0001"))
    return result


def figures_of(file: HardshipFile) -> dict:
    """The inputs of the file's category, as JSON: what CategoryChange and Review keep."""
    return {
        "household_size": file.household_size,
        "annual_income": str(file.annual_income),
        "rigid_expenses": str(file.rigid_expenses),
        "hardship_costs": str(file.hardship_costs),
        "dibao_monthly": str(file.dibao_monthly),
        "major_incident": file.major_incident,
        "relative_multiple": str(file.relative_multiple),
        "accident_cost_share": str(file.accident_cost_share),
    }


def _history(file: HardshipFile, *, actor, cause: str) -> CategoryChange:
    return CategoryChange.objects.create(
        org_id=file.org_id,
        file=file,
        category=file.category,
        per_capita_monthly=file.per_capita_monthly,
        inputs=figures_of(file),
        reasons=file.reasons,
        cause=cause,
        actor=actor,
    )


def _audit_changes(before: dict, after: dict) -> dict:
    changes = audit.diff(before, after)
    for field in PRIVATE_TEXT + ("household", "causes"):
        if field in changes:
            changes[field] = ["（已修改，内容见档案）", None]
    return changes


def _state(file: HardshipFile) -> dict:
    state = audit.snapshot(file)
    state.pop("updated_at", None)
    state.pop("created_at", None)
    state["household"] = [
        [h.name, h.relation, h.birth_year, h.occupation, h.health, str(h.annual_income)]
        for h in file.household.all()
    ]
    return state


def _write_household(file: HardshipFile, rows: list[dict]) -> None:
    file.household.all().delete()
    HouseholdMember.objects.bulk_create([HouseholdMember(file=file, **row) for row in rows])


def _member(org, member) -> Member | None:
    member_id = member.pk if isinstance(member, Member) else member
    try:
        return Member.objects.get(org=org, pk=int(member_id))
    except (Member.DoesNotExist, ValueError, TypeError):
        return None


@transaction.atomic
def create_file(
    *,
    actor,
    org,
    member,
    household_size,
    annual_income,
    rigid_expenses,
    hardship_costs,
    dibao_monthly,
    **more,
) -> HardshipFile:
    """Open a family's file (interfaces §2). `more`: causes (keys of models.CAUSES), health,
    locality, housing, housing_note, note, major_incident, opened_on, household (rows of name,
    relation, birth_year, occupation, health, annual_income), income_items and expense_items
    ([{kind, amount}]; a blank total is their sum)."""
    today = timezone.localdate()
    data = {
        "household_size": household_size,
        "annual_income": annual_income,
        "rigid_expenses": rigid_expenses,
        "hardship_costs": hardship_costs,
        "dibao_monthly": dibao_monthly,
        **more,
    }
    unknown = set(more) - {
        "causes",
        "health",
        "locality",
        "housing",
        "housing_note",
        "note",
        "major_incident",
        "opened_on",
        "household",
        "income_items",
        "expense_items",
    }
    if unknown:
        raise TypeError(f"unknown hardship file fields: {sorted(unknown)}")
    found = _member(org, member)
    member_error = {}
    if found is None:
        member_error["member"] = "没有找到该职工（须为本单位名册中的人员）。"
    elif HardshipFile.objects.filter(member=found, closed_on__isnull=True).exists():
        member_error["member"] = f"{found.name}已有未销档的困难职工档案，请在原档案上修改或复核。"
    try:
        clean = _clean(org, data, today=today)
    except InvalidInput as e:
        raise InvalidInput({**member_error, **e.fields}, e.message) from None
    if member_error:
        raise InvalidInput(member_error, "困难职工档案有误，未保存。")
    household = clean.pop("household")
    file = HardshipFile(org=org, member=found, created_by=actor, **clean)
    _apply_assessment(file)
    try:
        with transaction.atomic():
            file.save()
    except IntegrityError:
        raise InvalidInput(
            {"member": f"{found.name}已有未销档的困难职工档案。"}, "困难职工档案有误，未保存。"
        ) from None
    _write_household(file, household)
    _history(file, actor=actor, cause="create")
    changes = _audit_changes({}, _state(file))
    audit.record(actor=actor, org=org, action="hardship.file.create", obj=file, changes=changes)
    return file


def _locked(file: HardshipFile) -> HardshipFile:
    return HardshipFile.objects.select_for_update().select_related("org", "member").get(pk=file.pk)


def _current(file: HardshipFile) -> dict:
    return {
        **{k: getattr(file, k) for k in FIGURES},
        "major_incident": file.major_incident,
        "causes": list(file.causes),
        "housing": file.housing,
        "income_items": list(file.income_items),
        "expense_items": list(file.expense_items),
        "opened_on": file.opened_on,
        **{k: getattr(file, k) for k in TEXT_FIELDS},
        "household": [
            {
                "name": h.name,
                "relation": h.relation,
                "birth_year": h.birth_year,
                "occupation": h.occupation,
                "health": h.health,
                "annual_income": h.annual_income,
            }
            for h in file.household.all()
        ],
    }


@transaction.atomic
def update_file(*, actor, file: HardshipFile, cause: str = "edit", **fields) -> HardshipFile:
    """Change the archive fields given (the others stay); the category is recomputed and, when
    it or its inputs changed, the new one kept in the history."""
    file = _locked(file)
    if not file.is_open:
        raise Conflict("closed", f"该档案已于 {file.closed_on:%Y-%m-%d} 销档，不能再修改。")
    allowed = set(_current(file))
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown hardship file fields: {sorted(unknown)}")
    data = _current(file) | fields
    # A changed item list gives a new total unless a total is given with it.
    for total, items in (("annual_income", "income_items"), ("rigid_expenses", "expense_items")):
        if items in fields and total not in fields:
            data[total] = None if fields[items] else data[total]
    clean = _clean(file.org, data, today=timezone.localdate())
    before = _state(file)
    old_inputs = (figures_of(file), file.category)
    household = clean.pop("household")
    for key, value in clean.items():
        setattr(file, key, value)
    _apply_assessment(file)
    file.save()
    _write_household(file, household)
    if (figures_of(file), file.category) != old_inputs:
        _history(file, actor=actor, cause=cause)
    changes = _audit_changes(before, _state(file))
    if changes:
        audit.record(actor=actor, org=file.org, action="hardship.file.update", obj=file, changes=changes)
    return file


@transaction.atomic
def close_file(*, actor, file: HardshipFile, closed_on: datetime.date | None, reason: str) -> HardshipFile:
    """销档 (the family is no longer in hardship, left the school…), with its date and reason."""
    file = _locked(file)
    errors = {}
    if not file.is_open:
        raise Conflict("closed", f"该档案已于 {file.closed_on:%Y-%m-%d} 销档。")
    reason = (reason or "").strip()
    if not reason:
        errors["close_reason"] = "请填写销档原因。"
    elif len(reason) > 200:
        errors["close_reason"] = "销档原因不能超过 200 个字。"
    if not isinstance(closed_on, datetime.date):
        errors["closed_on"] = "请填写销档日期。"
    elif closed_on > timezone.localdate():
        errors["closed_on"] = "销档日期不能晚于今天。"
    elif closed_on < file.opened_on:
        errors["closed_on"] = f"销档日期不能早于建档日期 {file.opened_on:%Y-%m-%d}。"
    if errors:
        raise InvalidInput(errors, "销档信息有误，档案未销档。")
    file.closed_on, file.close_reason = closed_on, reason
    file.save(update_fields=["closed_on", "close_reason", "updated_at"])
    audit.record(
        actor=actor,
        org=file.org,
        action="hardship.file.close",
        obj=file,
        changes={"closed_on": [None, str(closed_on)], "close_reason": ["", "（见档案）"]},
    )
    return file


@transaction.atomic
def review_file(
    *,
    actor,
    file: HardshipFile,
    reviewed_on: datetime.date | None,
    conclusion: str,
    note: str = "",
    **figures,
) -> Review:
    """The yearly 摸底: keep (the figures stand; the category is recomputed with the parameters in
    force), adjust (new figures given in `figures`, recomputed) or close (the note is the reason).
    The review keeps the figures and the category as they then were."""
    file = _locked(file)
    if not file.is_open:
        raise Conflict("closed", f"该档案已于 {file.closed_on:%Y-%m-%d} 销档，不能再复核。")
    errors = {}
    today = timezone.localdate()
    if not isinstance(reviewed_on, datetime.date):
        errors["reviewed_on"] = "请填写复核日期。"
    elif reviewed_on > today:
        errors["reviewed_on"] = "复核日期不能晚于今天。"
    elif reviewed_on < file.opened_on:
        errors["reviewed_on"] = f"复核日期不能早于建档日期 {file.opened_on:%Y-%m-%d}。"
    if conclusion not in Review.Conclusion.values:
        errors["conclusion"] = "复核结论应为：维持、调整或销档。"
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = "复核说明不能超过 500 个字。"
    if conclusion == Review.Conclusion.CLOSE and not note:
        errors["note"] = "销档请在复核说明中写明原因。"
    unknown = set(figures) - {*FIGURES, "major_incident"}
    if unknown:
        raise TypeError(f"unknown review figures: {sorted(unknown)}")
    given = {k: v for k, v in figures.items() if k == "major_incident" or not _blank(v)}
    merged = {k: given.get(k, getattr(file, k)) for k in FIGURES}
    parsed, problems = rules.check_inputs(**merged)
    errors.update(problems)
    unchanged = not problems and all(parsed[k] == getattr(file, k) for k in FIGURES)
    if "major_incident" in given:
        unchanged = unchanged and bool(given["major_incident"]) == file.major_incident
    figures = given
    if conclusion == Review.Conclusion.ADJUST and (not figures or unchanged):
        errors["conclusion"] = "选择“调整”时请填写变化后的家庭收入、支出或人口等数据。"
    if conclusion in (Review.Conclusion.KEEP, Review.Conclusion.CLOSE) and figures and not unchanged:
        errors["conclusion"] = "数据有变化，请选择“调整”。"
    if errors:
        raise InvalidInput(errors, "复核信息有误，未保存。")
    if conclusion == Review.Conclusion.ADJUST:
        file = update_file(
            actor=actor, file=file, cause="review", **{k: parsed.get(k, v) for k, v in given.items()}
        )
    elif conclusion == Review.Conclusion.KEEP:
        before = (figures_of(file), file.category)
        _apply_assessment(file)  # the parameters may have changed since
        file.save()
        if (figures_of(file), file.category) != before:
            _history(file, actor=actor, cause="review")
    review = Review.objects.create(
        org_id=file.org_id,
        file=file,
        reviewed_on=reviewed_on,
        year=reviewed_on.year,
        reviewer=actor,
        figures=figures_of(file),
        category=file.category,
        per_capita_monthly=file.per_capita_monthly,
        conclusion=conclusion,
        note=note,
    )
    audit.record(
        actor=actor,
        org=file.org,
        action="hardship.file.review",
        obj=file,
        changes={
            "review": [None, review.pk],
            "conclusion": [None, conclusion],
            "category": [None, file.category],
        },
    )
    if conclusion == Review.Conclusion.CLOSE:
        close_file(actor=actor, file=file, closed_on=reviewed_on, reason=note)
    return review


# ---- help records -----------------------------------------------------------------------------------

LEDGER = {  # help kind: (category, subcategory) of funds.models.EXPENSE_CATEGORIES
    HelpRecord.Kind.LIVING: ("维权支出", "困难帮扶"),
    HelpRecord.Kind.MEDICAL: ("维权支出", "困难帮扶"),
    HelpRecord.Kind.EDUCATION: ("维权支出", "困难帮扶"),
    HelpRecord.Kind.LEGAL: ("维权支出", "法律援助"),
    HelpRecord.Kind.EMPLOYMENT: ("维权支出", "困难帮扶"),
    HelpRecord.Kind.ACCIDENT: ("维权支出", "困难帮扶"),
}
MONEY_FORMS = (HelpRecord.Form.CASH, HelpRecord.Form.TRANSFER)


@transaction.atomic
def record_help(
    *,
    actor,
    file: HardshipFile,
    kind: str,
    given_on: datetime.date | None,
    form: str,
    amount=None,
    note: str = "",
    confirm_warnings: bool = False,
) -> HelpRecord:
    """One help given. Cash or a transfer has an amount; goods and services may (their cost). An
    amount is posted to the ledger (维权支出 / 困难帮扶; 法律援助 → 维权支出 / 法律援助) in the same
    transaction, and the voucher cited: a refused voucher writes nothing."""
    from jiaogong.funds import services as funds
    from jiaogong.funds.models import LedgerEntry

    file = _locked(file)
    if not file.is_open:
        raise Conflict("closed", f"该档案已于 {file.closed_on:%Y-%m-%d} 销档，不能再登记帮扶。")
    errors = {}
    if kind not in HelpRecord.Kind.values:
        errors["kind"] = f"帮扶类型应为：{'、'.join(HelpRecord.Kind.labels)}。"
    if form not in HelpRecord.Form.values:
        errors["form"] = f"帮扶形式应为：{'、'.join(HelpRecord.Form.labels)}。"
    today = timezone.localdate()
    if not isinstance(given_on, datetime.date):
        errors["given_on"] = "请填写帮扶日期。"
    elif given_on > today:
        errors["given_on"] = "帮扶日期不能晚于今天。"
    value = None
    if not _blank(amount):
        value, problem = rules.parse_money(amount, label="金额", allow_zero=False)
        if problem:
            errors["amount"] = problem
    elif form in MONEY_FORMS:
        errors["amount"] = "现金或转账帮扶请填写金额。"
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = "说明不能超过 200 个字。"
    if errors:
        raise InvalidInput(errors, "帮扶记录有误，未登记。")
    entry = None
    label = HelpRecord.Kind(kind).label
    if value is not None:
        category, subcategory = LEDGER[kind]
        try:
            entry = funds.record_entry(
                actor=actor,
                org=file.org,
                date=given_on,
                kind=LedgerEntry.Kind.EXPENSE,
                category=category,
                subcategory=subcategory,
                amount=value,
                memo=f"困难职工帮扶：{label}（困难职工档案第 {file.pk} 号）",
                payee=file.member.name,
                account=LedgerEntry.Account.CASH
                if form == HelpRecord.Form.CASH
                else LedgerEntry.Account.BANK,
                confirm_warnings=confirm_warnings,
            )
        except InvalidInput as e:
            where = {"date": "given_on", "amount": "amount"}
            raise InvalidInput(
                {where.get(k, "amount"): v for k, v in e.fields.items()}, "帮扶记录未登记：" + e.message
            ) from None
    record = HelpRecord.objects.create(
        org_id=file.org_id,
        file=file,
        kind=kind,
        given_on=given_on,
        amount=value,
        form=form,
        note=note,
        ledger_entry=entry,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        org=file.org,
        action="hardship.help.record",
        obj=record,
        changes=audit.snapshot(record, ["file", "kind", "given_on", "amount", "form", "ledger_entry"]),
    )
    return record


def log_export(user, files) -> list[FileRead]:
    """An export reads every file in it: one read row each (via export)."""
    return FileRead.objects.bulk_create(
        [FileRead(org_id=f.org_id, file=f, user=user, via=FileRead.Via.EXPORT) for f in files]
    )
