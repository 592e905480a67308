"""How the product shows a figure, one place for the pages, the exports, the bulletin and the meeting materials:
万元 in 亿元, a ratio as a percentage, a gap to 序时进度 in percentage points, a light in words. Each is rounded
half-up once, here (core.money); amounts themselves are core.money.format_amount."""

from decimal import Decimal

from zhaoshang.core.money import TENTH, WAN_PER_YI, format_amount, round_half_up

# The words of the lights: progress (green, yellow, red) and approval steps (yellow, red); no light reads "—".
LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", None: "—"}


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def wan_to_yi(value) -> Decimal:
    """万元 → 亿元, unrounded."""
    return _d(value) / WAN_PER_YI


def format_yi(value) -> str:
    """万元 → '12.34亿元'."""
    return f"{format_amount(wan_to_yi(value))}亿元"


def percent(ratio) -> Decimal | None:
    """A ratio (0.4567) as the percentage shown, a number: 45.7; None stays None."""
    return None if ratio is None else round_half_up(_d(ratio) * 100, TENTH)


def format_percent(ratio) -> str:
    """A ratio (0.4567) shown as '45.7%'; None → '—'."""
    return "—" if ratio is None else f"{percent(ratio)}%"


def points(gap) -> Decimal | None:
    """A gap already in percentage points (progress.rules.gap_pp) as shown: -12.3; None stays None."""
    return None if gap is None else round_half_up(_d(gap), TENTH)


def light_label(light, *, none: str = "—") -> str:
    """'绿灯' / '黄灯' / '红灯'; `none` for no light ('—' on pages and in documents, '' in a spreadsheet cell)."""
    return none if light is None else LIGHT_LABELS[light]


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """A whole number in Chinese numerals, as a rank is read out: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十,
    105 → 一百零五 (up to 9999; larger ones stay in Arabic figures)."""
    if n < 0 or n > 9999:
        return str(n)
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 20:
        return "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")
    words, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            words += ("零" if zero and words else "") + CHINESE_DIGITS[digit] + name
            zero = False
        else:
            zero = True
    return words
