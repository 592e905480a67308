from datetime import date

from zhaoshang.core.params import month_param
from zhaoshang.core.periods import add_months, current_month


def period_from(request) -> date:
    """?month=YYYY-MM, by default last month (the month being reported on); never a future month."""
    return month_param(request, add_months(current_month(), -1))


def recent_months(count: int = 24) -> list[date]:
    return [add_months(current_month(), -i) for i in range(count)]
