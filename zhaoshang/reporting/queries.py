"""Read-side questions about monthly reporting, shared by the month pages and the reminders."""

from datetime import date

from zhaoshang.org.models import TEAM_KINDS, Unit


def reporting_units(under: Unit | None = None, month: date | None = None):
    """Units expected to report every month: every active unit below the root (or below `under`, a county of a
    city install) except investment teams; for a `month`, only the units that count in it (Unit.active_in: a
    unit set up in December is not expected to report for November)."""
    units = Unit.objects.active_in(month) if month is not None else Unit.objects.filter(is_active=True)
    if under is not None:
        units = units.under(under).exclude(pk=under.pk)
    return (
        units.exclude(parent=None)
        .exclude(kind__in=TEAM_KINDS)
        .select_related("group")
        .order_by("group__sort_order", "sort_order", "name")
    )
