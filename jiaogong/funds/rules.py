"""The money rules of RULES.md §3 as pure functions: no database, every number a parameter.

Amounts are Decimal yuan. Bases drop the part below the floor unit (10 yuan) before the rate is
applied, and dues are rounded half up to the fen (RULES.md: 4,297 → 4,290 → 21.45).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from jiaogong.core.money import CENT, to_money

# ---- 会费 --------------------------------------------------------------------------------------


def counted_pay(components: dict[str, Decimal], counted: list[str]) -> Decimal:
    """The salary items that count towards the dues base (default 岗位工资 + 薪级工资)."""
    return sum((Decimal(components.get(name, 0) or 0) for name in counted), Decimal(0))


def dues_base(pay: Decimal, floor_unit: int = 10) -> Decimal:
    """The base: the counted pay with the part below `floor_unit` dropped (4,297 → 4,290)."""
    if pay <= 0:
        return Decimal(0)
    unit = Decimal(floor_unit)
    return (Decimal(pay) / unit).to_integral_value(rounding=ROUND_DOWN) * unit


def dues_amount(base: Decimal, rate: Decimal = Decimal("0.005")) -> Decimal:
    """The month's dues: base × rate, rounded half up to the fen (4,290 × 0.5 % = 21.45)."""
    return to_money(Decimal(base) * Decimal(rate))


@dataclass(frozen=True)
class Dues:
    pay: Decimal  # the counted salary items
    base: Decimal
    amount: Decimal
    exempt: str = ""  # why nothing is due, or ""


def dues_for(
    components: dict[str, Decimal],
    *,
    counted: list[str],
    retired: bool = False,
    retirees_exempt: bool = True,
    floor_unit: int = 10,
    rate: Decimal = Decimal("0.005"),
) -> Dues:
    pay = to_money(counted_pay(components, counted))
    base = dues_base(pay, floor_unit)
    if retired and retirees_exempt:
        return Dues(pay, base, Decimal("0.00"), "退休会员免缴")
    return Dues(pay, base, dues_amount(base, rate))


# ---- 拨缴经费 and 上解 ---------------------------------------------------------------------------------


def allocation_due(payroll_total: Decimal, rate: Decimal = Decimal("0.02")) -> Decimal:
    """拨缴经费: the employer pays 2 % of the total payroll (工会法 第四十三条)."""
    return to_money(Decimal(payroll_total) * Decimal(rate))


def split(amount: Decimal, keep_share: Decimal = Decimal("0.60")) -> tuple[Decimal, Decimal]:
    """(kept, remitted): the school keeps its share rounded to the fen, the rest goes up, so the
    two always add up to the amount."""
    kept = to_money(Decimal(amount) * Decimal(keep_share))
    return kept, to_money(amount) - kept


def late_fee(arrears: Decimal, due_on: datetime.date, paid_on: datetime.date, daily: Decimal) -> Decimal:
    """滞纳金: `daily` (e.g. 5 ‰) of the arrears for each day after the due date; off (0) by default."""
    days = (paid_on - due_on).days
    if days <= 0 or not daily:
        return Decimal("0.00")
    return to_money(Decimal(arrears) * Decimal(daily) * days)


# ---- the ledger --------------------------------------------------------------------------------------


def balance(entries) -> Decimal:
    """Income minus expense over (kind, amount) pairs; a reversal carries the opposite sign."""
    total = Decimal(0)
    for kind, amount in entries:
        total += Decimal(amount) if kind == "income" else -Decimal(amount)
    return total.quantize(CENT)


# ---- warnings ------------------------------------------------------------------------------------

# 八不准 and the festival-gift ban (RULES.md §3, "banned"): words in a voucher that point at a use
# union funds may not pay for. A warning, not a refusal: the words may be innocent ("退还购物卡押金").
BANNED_USES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("购物卡", "代金券", "提货券", "消费卡", "充值卡", "礼品卡"),
        "不得以购物卡、代金券等形式发放节日慰问（八不准）。",
    ),
    (("宴请", "聚餐", "接待餐", "公款吃喝"), "工会经费不得用于宴请或公款吃喝（八不准）。"),
    (("奖金", "津贴", "加班费", "补贴", "绩效"), "工会经费不得用于发放奖金、津贴或补贴（八不准）。"),
    (("高档", "娱乐场所", "夜总会", "KTV", "洗浴", "高尔夫"), "工会经费不得用于高消费娱乐（八不准）。"),
    (("小金库", "账外"), "工会经费不得设立“小金库”（八不准）。"),
    (("学校账户", "行政账户", "转入学校", "借给学校"), "工会经费不得与学校行政经费混用或挪用（八不准）。"),
    (("集资", "摊派"), "工会经费不得用于集资、摊派（八不准）。"),
)
FESTIVAL_WORDS = ("节日", "元旦", "春节", "清明", "劳动节", "五一", "端午", "中秋", "国庆", "过节")
CASH_WORDS = ("现金", "红包", "慰问金")


def banned_use_warnings(*texts: str) -> list[str]:
    """The 八不准 rules the words of an expense voucher (category, memo, payee…) point at."""
    text = " ".join(t for t in texts if t)
    found = [message for words, message in BANNED_USES if any(w in text for w in words)]
    if any(w in text for w in FESTIVAL_WORDS) and any(w in text for w in CASH_WORDS):
        found.insert(0, "节日慰问不得发放现金（八不准）。")
    return found


def dues_topup_excess(dues_income: Decimal, dues_funded_expense: Decimal, max_multiple: int = 3) -> Decimal:
    """How far the union funds' top-up of activities paid from 会费 goes over the ceiling of
    `max_multiple` × the year's 会费 income (0.00 when within it). The top-up is what those
    activities cost beyond the 会费 collected."""
    dues_income = Decimal(dues_income)
    topup = max(Decimal(dues_funded_expense) - dues_income, Decimal(0))
    return max(topup - dues_income * max_multiple, Decimal(0)).quantize(CENT)
