"""Read-side questions about monthly reporting, shared by the month pages and the reminders."""

from zhaoshang.org.models import Unit, UnitKind


def reporting_units():
    """Units expected to report every month: every active unit below the root except investment teams."""
    return (
        Unit.objects.filter(is_active=True)
        .exclude(parent=None)
        .exclude(kind=UnitKind.TEAM)
        .select_related("group")
        .order_by("group__sort_order", "sort_order", "name")
    )
