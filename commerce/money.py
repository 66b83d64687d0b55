"""Money is an integer in minor units with a currency code. Rates are Decimals."""

from decimal import ROUND_HALF_UP, Decimal


def tax_amount(*, amount: int, rate_percent: Decimal | int | float) -> int:
    """Return the tax on `amount` minor units at `rate_percent` %, rounded half up to a whole unit."""
    rate = Decimal(str(rate_percent))
    return int((Decimal(amount) * rate / Decimal(100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
