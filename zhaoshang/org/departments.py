"""Which 部门 may be handed a project's work (an approval step, a problem): the departments of the governments
above the project's unit, its county's and its city's. In a city-wide install this keeps one county's steps and
problems out of another county's bureaus; in a one-county install it is every department of the county."""

from django.db.models import Q, QuerySet

from zhaoshang.org.models import Unit, UnitKind


def _ancestor_ids(paths) -> set[int]:
    """Every unit on the given materialised paths ("/1/4/17/"): the units themselves and all above them."""
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def departments_serving(unit: Unit) -> QuerySet:
    return _departments_under(_ancestor_ids([unit.path]))


def departments_serving_any(units: QuerySet) -> QuerySet:
    """For the list filters: the departments serving any of `units` (those a user can read)."""
    return _departments_under(_ancestor_ids(units.values_list("path", flat=True)))


def serves(department: Unit, unit: Unit) -> bool:
    return department.parent_id is None or department.parent_id in _ancestor_ids([unit.path])


def _departments_under(parent_ids: set[int]) -> QuerySet:
    # A department with no parent belongs to no one county: it is offered everywhere.
    return Unit.objects.filter(
        Q(parent_id__in=parent_ids) | Q(parent=None), kind=UnitKind.DEPARTMENT, is_active=True
    ).order_by("sort_order", "name")
