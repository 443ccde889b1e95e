"""Money is Decimal with two places, quantized in one place."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """Round a yuan amount to the cent, half up (the accounting convention)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


# The largest amount a DecimalField(max_digits=12, decimal_places=2) holds.
MAX_AMOUNT = Decimal("9999999999.99")


def parse_yuan(value, *, label: str) -> tuple[Decimal | None, str]:
    """(the amount, "") or (None, the Chinese reason) for a yuan amount typed in a form or a sheet:
    a number above zero with at most two decimals ("1,200" and "1，200" are read as 1200)."""
    text = "" if value is None else str(value).strip().replace(",", "").replace("，", "")
    if not text:
        return None, f"请填写{label}。"
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None, f"{label}应填写数字（元），例如 100 或 50.00。"
    if not amount.is_finite():
        return None, f"{label}应填写数字（元），例如 100 或 50.00。"
    if amount != amount.quantize(CENT):
        return None, f"{label}最多保留两位小数。"
    if amount <= 0:
        return None, f"{label}应大于零。"
    if amount > MAX_AMOUNT:
        return None, f"{label}过大。"
    return amount.quantize(CENT), ""
