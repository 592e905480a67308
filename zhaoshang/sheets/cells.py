"""Turning spreadsheet cells into values: numbers as numbers or numeric text, dates as date cells or text,
months as YYYY-MM or date cells. Each parser raises ValueError with the reason in Chinese."""

from datetime import date, datetime
from decimal import Decimal

from zhaoshang.core.files import unescaped
from zhaoshang.core.money import MAX_AMOUNT, MAX_FIGURE, MAX_PERCENT, parse_amount
from zhaoshang.core.periods import month_start, parse_month


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """A cell's text; one the product's own export escaped (core.files.safe_text) reads as it was written."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescaped(str(value).strip())


def amount(value, *, limit: Decimal = MAX_AMOUNT) -> Decimal:
    """A non-negative amount with at most two decimals, no larger than the column holds (core.money.parse_amount)."""
    return parse_amount(value, limit=limit)


def figure(value) -> Decimal:
    """A target or an economic figure: as amount(), with the larger columns those have."""
    return amount(value, limit=MAX_FIGURE)


def signed(value) -> Decimal:
    """A number that may be negative (a growth rate), at most two decimals."""
    if isinstance(value, str) and value.strip().startswith(("-", "－")):
        return -amount(value.strip().lstrip("-－"), limit=MAX_PERCENT)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return -amount(-value, limit=MAX_PERCENT)
    return amount(value, limit=MAX_PERCENT)


def month(value) -> date:
    if isinstance(value, datetime):
        return month_start(value.date())
    if isinstance(value, date):
        return month_start(value)
    return parse_month(text(value))


def day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"日期格式应为 YYYY-MM-DD，收到“{value}”") from None


def whole(value) -> int:
    number = amount(value, limit=MAX_FIGURE)
    if number != number.to_integral_value():
        raise ValueError("应为整数")
    return int(number)
