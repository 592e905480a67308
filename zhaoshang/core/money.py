"""Money and percentages: Decimal throughout, rounded once, half-up (四舍五入), when shown."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
WAN_PER_YI = Decimal("10000")
# The largest values the columns hold: amounts are DecimalField(16, 2); targets and economic figures (18, 2);
# growth rates (8, 2). Input beyond them is refused with a message rather than overflowing in the database.
MAX_AMOUNT = Decimal("99999999999999.99")
MAX_FIGURE = Decimal("9999999999999999.99")
MAX_PERCENT = Decimal("999999.99")


def to_decimal(value) -> Decimal:
    """Parse user input (number, numeric text with thousands separators) into a Decimal; ValueError otherwise."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError("不是数字")
    elif isinstance(value, (int, float)):
        result = Decimal(str(value))
    else:
        text = str(value or "").strip().replace(",", "").replace("，", "")
        if not text:
            raise ValueError("不能为空")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}”不是数字") from None
    if not result.is_finite():
        raise ValueError(f"“{value}”不是数字")
    return result


def round_half_up(value: Decimal, places: Decimal = CENT) -> Decimal:
    return Decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def format_amount(value, places: Decimal = CENT) -> str:
    """1234.5 → '1,234.50'; None → '—'."""
    if value is None:
        return "—"
    rounded = round_half_up(Decimal(value), places)
    return f"{rounded:,}"


def wan_to_yi(value: Decimal) -> Decimal:
    return Decimal(value) / WAN_PER_YI


def format_percent(ratio) -> str:
    """A ratio (0.4567) shown as a percentage with one decimal: '45.7%'."""
    if ratio is None:
        return "—"
    return f"{round_half_up(Decimal(ratio) * 100, TENTH)}%"
