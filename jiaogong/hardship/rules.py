"""困难职工 categories (RULES.md §4, "困难职工 categories"), as pure functions: no I/O.

    per-capita monthly = (household disposable income − rigid expenses) / 12 / household size

- 深度困难 (deep): per-capita monthly < the local 低保 (per person, per month);
- 相对困难 (relative): per-capita monthly < `hardship.relative_multiple` × 低保 (default 2);
- 意外致困 (accident): the year's hardship costs > `hardship.accident_cost_share` (0.80) of the
  household income, or an injury/death in a major incident (a flag);
- otherwise none.

Precedence (our decision, documented): the income tests come first and deep before relative —
a deep family is also below 2 × 低保, and "deep" is the more severe finding. Accident is tested
independently and can hold together with either: the *primary* category is deep, else relative,
else accident, else none, and every test that holds is reported among the reasons (and in
`categories`), so an accident on top of an income hardship is never lost.

Arithmetic is exact Decimal. The tests compare without dividing — (income − rigid) against
低保 × 12 × size — so nothing is rounded before the comparison; the per-capita figure shown is
rounded to the fen only for display. "Below" is strict: exactly at a threshold is not below it
(a family exactly at the 低保 is relative, not deep; exactly at 2 × 低保 is none; costs exactly
80 % of income are not an accident).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DEEP, RELATIVE, ACCIDENT, NONE = "deep", "relative", "accident", "none"
LABELS = {DEEP: "深度困难", RELATIVE: "相对困难", ACCIDENT: "意外致困", NONE: "非困难"}
PRECEDENCE = (DEEP, RELATIVE, ACCIDENT)  # the primary category is the first that holds
CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")


@dataclass(frozen=True)
class Assessment:
    category: str  # the primary one: deep | relative | accident | none
    categories: tuple[str, ...]  # every category whose test holds, in PRECEDENCE order
    per_capita_monthly: Decimal  # exact
    reasons: tuple[str, ...]  # Chinese, one line per test that holds (or why none holds)

    @property
    def label(self) -> str:
        return LABELS[self.category]

    @property
    def per_capita_display(self) -> Decimal:
        return self.per_capita_monthly.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(value, *, label: str, allow_zero: bool = True) -> tuple[Decimal | None, str]:
    """(the amount, "") or (None, the Chinese reason): yuan, at most two decimals, not negative."""
    text = "" if value is None else str(value).strip().replace(",", "").replace("，", "")
    if not text:
        return None, f"请填写{label}（没有请填 0）。" if allow_zero else f"请填写{label}。"
    if isinstance(value, float):
        text = repr(value)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None, f"{label}应填写数字（元），例如 36000 或 1200.50。"
    if not amount.is_finite():
        return None, f"{label}应填写数字（元），例如 36000 或 1200.50。"
    if abs(amount) > MAX_MONEY:  # before quantize, which fails on a number this long (a 500)
        return None, f"{label}过大。" if amount > 0 else f"{label}不能为负数；没有请填 0。"
    if amount != amount.quantize(CENT):
        return None, f"{label}最多保留两位小数。"
    if amount < 0:
        return None, f"{label}不能为负数；没有请填 0。"
    if amount == 0 and not allow_zero:
        return None, f"{label}应大于零。"
    if amount > MAX_MONEY:
        return None, f"{label}过大。"
    return amount.quantize(CENT), ""


def parse_household_size(value) -> tuple[int | None, str]:
    """(the size, "") or (None, the reason): a whole number of people, at least 1 (the worker)."""
    if value is None or str(value).strip() == "":
        return None, "请填写家庭人口数（含职工本人）。"
    if isinstance(value, bool):
        return None, "家庭人口数应为整数。"
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None, "家庭人口数应为整数。"
    if not number.is_finite() or number != number.to_integral_value():
        return None, "家庭人口数应为整数。"
    if number < 1:
        return None, "家庭人口数至少为 1（职工本人）。"
    if number > 30:
        return None, "家庭人口数过大，请核实。"
    return int(number), ""


def check_inputs(
    *, household_size, annual_income, rigid_expenses, hardship_costs, dibao_monthly
) -> tuple[dict, dict]:
    """(the parsed values, {field: Chinese message}) for the five figures of a file."""
    values: dict = {}
    errors: dict[str, str] = {}
    values["household_size"], problem = parse_household_size(household_size)
    if problem:
        errors["household_size"] = problem
    for field, label, raw, allow_zero in (
        ("annual_income", "家庭年收入", annual_income, True),
        ("rigid_expenses", "刚性支出", rigid_expenses, True),
        ("hardship_costs", "当年致困支出", hardship_costs, True),
        ("dibao_monthly", "当地低保标准", dibao_monthly, False),
    ):
        values[field], problem = parse_money(raw, label=label, allow_zero=allow_zero)
        if problem:
            errors[field] = problem
    return values, errors


def per_capita_monthly(annual_income: Decimal, rigid_expenses: Decimal, household_size: int) -> Decimal:
    """(household disposable income − rigid expenses) / 12 / household size, exact enough to
    display (the category tests do not use it: they compare without dividing)."""
    return (Decimal(annual_income) - Decimal(rigid_expenses)) / Decimal(12) / Decimal(household_size)


def assess(
    *,
    household_size: int,
    annual_income: Decimal,
    rigid_expenses: Decimal,
    hardship_costs: Decimal,
    dibao_monthly: Decimal,
    major_incident: bool = False,
    relative_multiple: Decimal | int = Decimal(2),
    accident_cost_share: Decimal = Decimal("0.80"),
) -> Assessment:
    """The category of a household (RULES.md §4, 困难职工 categories). Inputs must already be
    valid (see check_inputs); a bad one raises ValueError."""
    for name, value in (
        ("annual_income", annual_income),
        ("rigid_expenses", rigid_expenses),
        ("hardship_costs", hardship_costs),
        ("dibao_monthly", dibao_monthly),
        ("relative_multiple", relative_multiple),
        ("accident_cost_share", accident_cost_share),
    ):
        if isinstance(value, float) or not isinstance(value, Decimal | int) or isinstance(value, bool):
            raise ValueError(f"{name} must be a Decimal, not {type(value).__name__}")
    if not isinstance(household_size, int) or isinstance(household_size, bool) or household_size < 1:
        raise ValueError("household_size must be a whole number ≥ 1")
    income, rigid, costs = Decimal(annual_income), Decimal(rigid_expenses), Decimal(hardship_costs)
    dibao, multiple, share = Decimal(dibao_monthly), Decimal(relative_multiple), Decimal(accident_cost_share)
    if income < 0 or rigid < 0 or costs < 0:
        raise ValueError("income, rigid expenses and hardship costs are never negative")
    if dibao <= 0 or multiple < 1 or not (0 < share <= 1):
        raise ValueError("dibao > 0, relative_multiple ≥ 1 and 0 < accident_cost_share ≤ 1")

    disposable = income - rigid
    yearly_dibao_household = dibao * 12 * household_size  # 低保 for the whole household, a year
    per_capita = per_capita_monthly(income, rigid, household_size)
    shown = per_capita.quantize(CENT, rounding=ROUND_HALF_UP)
    holds: list[str] = []
    reasons: list[str] = []
    if disposable < yearly_dibao_household:
        holds.append(DEEP)
        reasons.append(f"家庭人均月收入 {shown} 元，低于当地低保标准 {dibao} 元。")
    elif disposable < multiple * yearly_dibao_household:
        holds.append(RELATIVE)
        reasons.append(
            f"家庭人均月收入 {shown} 元，不低于低保标准 {dibao} 元，但低于其 {_plain(multiple)} 倍 "
            f"{(multiple * dibao).quantize(CENT)} 元。"
        )
    if costs > share * income:
        holds.append(ACCIDENT)
        percent = _plain(share * 100)
        if income > 0:
            reasons.append(
                f"当年致困支出 {costs} 元，超过家庭年收入 {income} 元的 {percent}%"
                f"（{(share * income).quantize(CENT)} 元）。"
            )
        else:
            reasons.append(f"家庭年收入为 0，当年致困支出 {costs} 元。")
    if major_incident:
        if ACCIDENT not in holds:
            holds.append(ACCIDENT)
        reasons.append("家庭成员在重大事故中伤亡。")
    if not holds:
        reasons.append(
            f"家庭人均月收入 {shown} 元，不低于低保标准的 {_plain(multiple)} 倍 "
            f"{(multiple * dibao).quantize(CENT)} 元，且无意外致困情形。"
        )
    ordered = tuple(c for c in PRECEDENCE if c in holds)
    return Assessment(
        category=ordered[0] if ordered else NONE,
        categories=ordered,
        per_capita_monthly=per_capita,
        reasons=tuple(reasons),
    )


def _plain(value: Decimal) -> str:
    """2 → "2", 2.50 → "2.5", 80.00 → "80"."""
    value = Decimal(value)
    text = format(value.normalize(), "f")
    return text


def review_due(*, last_checked_year: int | None, year: int) -> bool:
    """RULES.md §4, annual review: a file is re-checked each year (摸底). A file opened or reviewed
    in `year` has been checked that year; otherwise it is due."""
    return last_checked_year is None or last_checked_year < year
