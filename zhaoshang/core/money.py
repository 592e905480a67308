"""Money: Decimal throughout, parsed by one parser with its limits, rounded once, half-up (四舍五入), when shown.
How figures are shown in 亿元, percentages, points and lights is core.formats."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
WAN_PER_YI = Decimal("10000")
# The largest values the columns hold: amounts are DecimalField(16, 2); targets and economic figures (18, 2);
# growth rates (8, 2). Input beyond them is refused with a message rather than overflowing in the database.
MAX_AMOUNT = Decimal("99999999999999.99")
MAX_FIGURE = Decimal("9999999999999999.99")
MAX_PERCENT = Decimal("999999.99")
FLOAT_TAIL = Decimal("0.000001")  # what a float cell may carry beyond its two decimals


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


def parse_amount(value, *, limit: Decimal = MAX_AMOUNT, noun: str = "") -> Decimal:
    """The one amount parser every form, grid, import and service uses: a non-negative number with at most two
    decimals, no larger than the column holds (`limit`), from a number or text such as "1,000.25". Raises
    ValueError with the reason users see; `noun` ("金额", "目标值") starts the reasons of the paths that name it.

    The sign and the limit are checked before quantize(): a number with more digits than the decimal context
    holds (1e30, a forged cell) would make quantize() raise InvalidOperation instead of a refusal. A float (a
    spreadsheet cell) may carry a binary tail (=0.3-0.1-0.2 gives -2.8e-17): a tail is not a third decimal."""
    if isinstance(value, bool):
        raise ValueError("应为数字")
    number = to_decimal(value)
    from_float = isinstance(value, float)
    if from_float and abs(number) <= FLOAT_TAIL:
        number = Decimal(0)
    if number < 0:
        raise ValueError(f"{noun}不能为负数")
    if number > limit:
        raise ValueError(f"{noun}数值过大，最大为 {limit:,}")
    rounded = number.quantize(CENT)
    if abs(number - rounded) > (FLOAT_TAIL if from_float else 0):
        raise ValueError(f"{noun}最多保留两位小数")
    return rounded


def round_half_up(value: Decimal, places: Decimal = CENT) -> Decimal:
    return Decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def format_amount(value, places: Decimal = CENT) -> str:
    """1234.5 → '1,234.50'; None → '—'."""
    if value is None:
        return "—"
    rounded = round_half_up(Decimal(value), places)
    return f"{rounded:,}"
