"""Money is Decimal with two places, quantized in one place."""

import re
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """Round a yuan amount to the cent, half up (the accounting convention)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


# The bounds of any one amount typed, pasted, imported or posted: a cent to just under ten million
# yuan (a school union's whole year is far below it; 1e30 used to crash the quantize below).
MIN_AMOUNT = CENT
MAX_AMOUNT = Decimal("9999999.99")
# Plain decimal notation only: digits, one point, at most a sign. No exponent ("1e3"), no "NaN",
# no "Infinity", no underscores ("1_000", which Decimal() accepts).
_PLAIN = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")


def read_amount(value, *, label: str, allow_zero: bool = False) -> tuple[Decimal | None, str]:
    """(the amount, "") or (None, the Chinese reason): the one parser of yuan amounts for forms,
    the API and imports. Text ("1,200", "1，200", "50.5") or a number (an Excel cell, JSON); a
    boolean is refused (JSON true is not 1 yuan); at most two decimals; 0.01–9,999,999.99 (zero
    too when `allow_zero`)."""
    example = f"{label}应填写数字（元），例如 100 或 50.00。"
    if isinstance(value, bool):
        return None, example
    if isinstance(value, float | Decimal | int):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            return None, example
        text = format(number, "f")  # a number's exponent is no typing mistake: 1e30 is just too big
    else:
        text = "" if value is None else str(value).strip().replace(",", "").replace("，", "")
    if not text:
        return None, f"请填写{label}。"
    if len(text) > 40:
        return None, f"{label}过大，不能超过 {MAX_AMOUNT:,} 元。"
    if not _PLAIN.fullmatch(text):
        if re.fullmatch(r"-?\d+(\.\d*)?e[+-]?\d+", text, flags=re.IGNORECASE):
            return None, f"{label}请直接写数字（元），不要用科学计数法。"
        return None, example
    amount = Decimal(text)
    if amount < 0:
        return None, f"{label}不能为负数。"
    if amount > MAX_AMOUNT:
        return None, f"{label}过大，不能超过 {MAX_AMOUNT:,} 元。"
    if amount != amount.quantize(CENT):
        return None, f"{label}最多保留两位小数。"
    if amount == 0 and not allow_zero:
        return None, f"{label}应大于零。"
    return amount.quantize(CENT), ""


def parse_yuan(value, *, label: str) -> tuple[Decimal | None, str]:
    """(the amount, "") or (None, the Chinese reason) for a yuan amount typed in a form or a sheet:
    a number above zero with at most two decimals ("1,200" and "1，200" are read as 1200)."""
    amount, problem = read_amount(value, label=label)
    if problem == f"{label}不能为负数。":
        problem = f"{label}应大于零。"  # this helper's wording: the amount must be positive
    return amount, problem
