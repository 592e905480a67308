"""Month arithmetic. A month is always the date of its first day."""

import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def month_start(day: date) -> date:
    if isinstance(day, datetime):
        day = day.date()
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def schedule_rate(month: int, monthly_split: list | None = None) -> Decimal:
    """序时进度 at the end of month M: M/12, or the target's own cumulative share for that month (its 按月分解).
    The one place 序时 is computed: the report, the dashboard's target line, the bulletin and the 调度 material."""
    if monthly_split and len(monthly_split) == 12 and monthly_split[month - 1] not in (None, ""):
        return Decimal(str(monthly_split[month - 1]))
    return Decimal(month) / Decimal(12)


def parse_month(text: str) -> date:
    """'2026-05' (also 2026/5, 2026年5月) → date(2026, 5, 1); ValueError with a Chinese message otherwise."""
    match = _MONTH_RE.match(str(text or ""))
    if not match:
        raise ValueError(f"月份格式应为 YYYY-MM，例如 2026-05，收到“{text}”")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(f"月份不存在：“{text}”")
    return date(year, month, 1)


def format_month(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def today() -> date:
    return timezone.localdate()


def current_month() -> date:
    return month_start(today())


def months_between(first: date, last: date) -> list[date]:
    """Every month from first to last, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def year_months(year: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13)]


def parse_past_month(text: str) -> date:
    """parse_month, refusing a month that has not begun: no one reports, reads or issues the future."""
    month = parse_month(text)
    if month > current_month():
        raise ValueError(f"不能选择未来月份（{month_label(month)}）")
    return month
