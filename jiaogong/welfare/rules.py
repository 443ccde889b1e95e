"""Pure rules of 送温暖 (no I/O): the 五必访 trigger table, when a visit is due,
greeting amounts by class of recipient.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from jiaogong.core.money import CENT, read_amount
from jiaogong.funds.caps import KINDS as CAPS_KINDS
from jiaogong.funds.models import EXPENSE_CATEGORIES

# The API's names of the 五必访 triggers (API.md "Welfare"); the rule table may relabel them,
# map them to other caps kinds and ledger lines, or add a school's own.
API_KINDS = (
    "hospitalized",
    "marriage",
    "childbirth",
    "death_member",
    "death_relative",
    "hardship",
    "retirement",
)


@dataclass(frozen=True)
class Trigger:
    key: str
    label: str
    caps_kinds: tuple[str, ...]  # the first is the default for a visit's money
    category: str
    subcategory: str


def triggers_from(table) -> dict[str, Trigger]:
    """The 五必访 triggers from the rule "welfare.triggers" (RULES.md §4: "the list is configurable;
    each trigger maps to a cap and a ledger category"). ValueError with a Chinese message when an
    entry names an unknown caps kind (festival and birthday are not 五必访) or ledger line."""
    if not isinstance(table, dict) or not table:
        raise ValueError("五必访事由表至少要有一项。")
    out = {}
    for key, entry in table.items():
        key = str(key).strip()
        if not key or not isinstance(entry, dict):
            raise ValueError('五必访事由表的每一项应为 {"label": …, "caps_kinds": […], "category": …}。')
        label = str(entry.get("label") or "").strip()
        if not label:
            raise ValueError(f"事由 {key} 缺少名称（label）。")
        kinds = entry.get("caps_kinds") or []
        if isinstance(kinds, str):
            kinds = [kinds]
        if not kinds:
            raise ValueError(f"事由“{label}”缺少慰问标准类别（caps_kinds）。")
        for kind in kinds:
            if kind not in CAPS_KINDS or kind in ("festival", "birthday"):
                raise ValueError(f"事由“{label}”的慰问标准类别 {kind} 不是五必访的类别。")
        category = str(entry.get("category") or "").strip()
        subcategory = str(entry.get("subcategory") or "").strip()
        if category not in EXPENSE_CATEGORIES:
            raise ValueError(f"事由“{label}”的记账科目应为：{'、'.join(EXPENSE_CATEGORIES)}。")
        if subcategory and subcategory not in EXPENSE_CATEGORIES[category]:
            raise ValueError(
                f"事由“{label}”的明细科目应为：{'、'.join(EXPENSE_CATEGORIES[category]) or '（无）'}。"
            )
        out[key] = Trigger(key, label, tuple(kinds), category, subcategory)
    return out


def validate_triggers(table) -> None:
    """The check the rules page runs on a table the chair types."""
    triggers_from(table)


def visit_due_on(reported_on: datetime.date, days: int) -> datetime.date:
    """RULES.md §4 "visit due": within `days` (default 7) of the event being reported."""
    return reported_on + datetime.timedelta(days=int(days))


def due_state(due_on: datetime.date, today: datetime.date, *, visited: bool, window: int = 2) -> str:
    """ "visited", "overdue" (past the due date), "due" (due within `window` days) or "later"."""
    if visited:
        return "visited"
    if due_on < today:
        return "overdue"
    if due_on <= today + datetime.timedelta(days=window):
        return "due"
    return "later"


def parse_yuan(text, *, allow_zero: bool = False) -> Decimal:
    """An amount typed on a form (yuan, at most two decimals); ValueError in Chinese otherwise
    (core.money.read_amount)."""
    value, problem = read_amount(text, label="金额", allow_zero=allow_zero)
    if problem == "金额应填写数字（元），例如 100 或 50.00。":
        problem = "金额应为数字，如 300 或 300.00。"  # this module's wording
    if problem:
        raise ValueError(problem)
    return value


def greeting_amount(
    klass: str, hardship: bool, amounts: dict[str, Decimal], hardship_extra: Decimal
) -> Decimal:
    """A recipient's amount in a greeting batch: the amount of their class (在职 / 退休 / 本月生日;
    0 when that class is not included), plus the extra for a 困难职工家庭 when the member is one.
    0 means the member is not in the batch."""
    base = amounts.get(klass) or Decimal("0.00")
    extra = (hardship_extra or Decimal("0.00")) if hardship else Decimal("0.00")
    return (base + extra).quantize(CENT)
