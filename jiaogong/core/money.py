"""Money is Decimal with two places, quantized in one place."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """Round a yuan amount to the cent, half up (the accounting convention)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
