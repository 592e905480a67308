from datetime import date

from django.http import Http404

from zhaoshang.core.params import month_param, whole_number
from zhaoshang.core.periods import add_months, current_month
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import home_unit, readable_unit_ids


def period_from(request) -> date:
    """?month=YYYY-MM, by default last month (the month being reported on); never a future month."""
    return month_param(request, add_months(current_month(), -1))


def root_from(request) -> Unit:
    """?unit=ID within what the user may read (404 outside), by default the user's own top unit."""
    wanted = request.GET.get("unit")
    if wanted:
        pk = whole_number(wanted)
        unit = Unit.objects.filter(pk=pk, pk__in=readable_unit_ids(request.user)).first() if pk is not None else None
        if unit is None:
            raise Http404("单位不存在或不在您的权限范围内")
        return unit
    unit = home_unit(request.user)
    if unit is None:
        raise Http404("没有可查看的单位")
    return unit


def recent_months(count: int = 24) -> list[date]:
    return [add_months(current_month(), -i) for i in range(count)]
