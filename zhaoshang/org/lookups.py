"""unit_from_request: the one way a page reads the unit it looks at (the `?unit=` parameter)."""

from django.http import Http404

from zhaoshang.core.params import whole_number
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import home_unit


def unit_from_request(request) -> Unit:
    """?unit=ID within what the user may read (404 outside), by default the user's own top unit."""
    wanted = request.GET.get("unit")
    if wanted:
        pk = whole_number(wanted)
        unit = Unit.objects.readable_by(request.user).filter(pk=pk).first() if pk is not None else None
        if unit is None:
            raise Http404("单位不存在或不在您的权限范围内")
        return unit
    unit = home_unit(request.user)
    if unit is None:
        raise Http404("没有可查看的单位")
    return unit
