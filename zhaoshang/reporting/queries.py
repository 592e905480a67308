"""Read-side questions about monthly reporting, shared by the month pages and the reminders."""

from zhaoshang.org.models import Unit, UnitKind


def reporting_units(under: Unit | None = None):
    """Units expected to report every month: every active unit below the root (or below `under`, a county of a
    city install) except investment teams."""
    units = Unit.objects.filter(is_active=True)
    if under is not None:
        units = units.under(under).exclude(pk=under.pk)
    return (
        units.exclude(parent=None)
        .exclude(kind=UnitKind.TEAM)
        .select_related("group")
        .order_by("group__sort_order", "sort_order", "name")
    )
