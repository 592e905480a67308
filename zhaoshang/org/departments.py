"""Which 部门 may be handed a project's work (an approval step, a problem), and which 招商小分队 may be credited
with a project: those of the governments above the project's unit, its county's and its city's. In a city-wide
install this keeps one county's steps and problems out of another county's bureaus, and its projects off another
county's teams; in a one-county install it is every department and team of the county."""

from django.db.models import Q, QuerySet

from zhaoshang.org.models import TEAM_KINDS, Unit, UnitKind
from zhaoshang.org.tree import ancestor_ids


def _ancestor_ids(paths) -> set[int]:
    """Every unit on the given materialised paths ("/1/4/17/"): the units themselves and all above them."""
    return {i for path in paths for i in ancestor_ids(path)}


def departments_serving(unit: Unit) -> QuerySet:
    return _serving(UnitKind.DEPARTMENT, _ancestor_ids([unit.path]))


def departments_serving_any(units: QuerySet) -> QuerySet:
    """For the list filters: the departments serving any of `units` (those a user can read)."""
    return _serving(UnitKind.DEPARTMENT, _ancestor_ids(units.values_list("path", flat=True)))


def teams_serving_any(units: QuerySet) -> QuerySet:
    """The investment teams a project of any of `units` may be credited to (the ledger's forms and filters)."""
    return _serving(TEAM_KINDS, _ancestor_ids(units.values_list("path", flat=True)))


def serves(department: Unit, unit: Unit) -> bool:
    """Does this 部门 (or 招商小分队) belong to a government above `unit`?"""
    return department.parent_id is None or department.parent_id in _ancestor_ids([unit.path])


def home_county(unit: Unit) -> Unit:
    """The county (县区) a unit belongs to, or the root where there is none above it (a one-county install's
    root, or a city's own units)."""
    above = Unit.objects.filter(pk__in=ancestor_ids(unit.path))
    return above.filter(kind=UnitKind.COUNTY).order_by("-path").first() or above.order_by("path").first()


def may_work_on(owner: Unit, unit: Unit) -> bool:
    """May `owner` be given work about a project of `unit` (a meeting decision that names the project): a unit of
    the project's own county, or one above it. A neighbouring county's units may not: the task would show them
    the project."""
    county = home_county(unit)
    return owner.path.startswith(county.path) or county.path.startswith(owner.path)


def _serving(kinds, parent_ids: set[int]) -> QuerySet:
    # A department or team with no parent belongs to no one county: it is offered everywhere.
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    return Unit.objects.filter(Q(parent_id__in=parent_ids) | Q(parent=None), kind__in=kinds, is_active=True).order_by(
        "sort_order", "name"
    )
