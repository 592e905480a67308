"""The closed-month guard that every write path calls (services, imports, model saves)."""

from datetime import date

from zhaoshang.core.periods import month_label, month_start
from zhaoshang.reporting.models import ClosedMonth


class MonthClosed(Exception):
    """Raised when a write touches a closed month. Its text is shown to the user as it is."""

    def __init__(self, month: date):
        self.month = month
        super().__init__(f"{month_label(month)}已关账，不能修改该月数据；如需更正，请联系主管部门重新开放该月")


def is_closed(month: date) -> bool:
    return ClosedMonth.objects.filter(month=month_start(month)).exists()


def ensure_month_open(month: date | None) -> None:
    if month is not None and is_closed(month):
        raise MonthClosed(month_start(month))


def ensure_months_open(months) -> None:
    wanted = {month_start(m) for m in months if m is not None}
    if not wanted:
        return
    closed = sorted(ClosedMonth.objects.filter(month__in=wanted).values_list("month", flat=True))
    if closed:
        raise MonthClosed(closed[0])


def closed_months_in(months) -> set[date]:
    return set(ClosedMonth.objects.filter(month__in=list(months)).values_list("month", flat=True))
