"""Turning spreadsheet cells into values: numbers as numbers or numeric text, dates as date cells or text,
months as YYYY-MM or date cells. Each parser raises ValueError with the reason in Chinese."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from zhaoshang.core.files import unescaped
from zhaoshang.core.money import CENT, MAX_AMOUNT, MAX_FIGURE, MAX_PERCENT
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
    """A non-negative amount with at most two decimals, no larger than the column holds.

    The sign and the limit are checked before quantize(): a number with more digits than the decimal context
    holds (1e30, a forged cell) would make quantize() raise InvalidOperation instead of a cell error."""
    if isinstance(value, bool):
        raise ValueError("应为数字")
    from_cell = isinstance(value, (int, float))
    if from_cell:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        try:
            number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise ValueError(f"“{value}”不是数字") from None
    if not number.is_finite():
        raise ValueError(f"“{value}”不是数字")
    if from_cell and abs(number) <= Decimal("0.000001"):
        number = Decimal(0)  # a formula's zero with a float's tail (=0.3-0.1-0.2 gives -2.8e-17)
    if number < 0:
        raise ValueError("不能为负数")
    if number > limit:
        raise ValueError(f"数值过大，最大为 {limit:,}")
    rounded = number.quantize(CENT)
    if from_cell:
        if abs(number - rounded) > Decimal("0.000001"):  # a float's tail, not a third decimal someone typed
            raise ValueError("最多保留两位小数")
    elif number != rounded:
        raise ValueError("最多保留两位小数")
    return rounded


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
