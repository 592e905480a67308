"""Who owns the things an install shares (closed months, groups and quotas, campaigns, economic figures, USD
rates) when it serves a whole city: each belongs to a unit and only the bureau of that unit or of a unit above
it manages it. A county's bureau manages its county; the root's bureau manages everything; a command run
without --user (actor None) acts for the system and may."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhaoshang.core.params import whole_number
from zhaoshang.org.models import Role, Unit
from zhaoshang.org.scoping import memberships


def bureau_units(user) -> list[Unit]:
    """The units whose subtree a bureau admin manages, highest first."""
    return sorted((m.unit for m in memberships(user) if m.role == Role.BUREAU_ADMIN), key=lambda u: u.path)


def managing_unit(user) -> Unit | None:
    """The unit a bureau admin acts for when it creates a shared thing (its highest bureau membership); the
    root for the system."""
    if user is None:
        return Unit.objects.filter(parent=None).order_by("path").first()
    units = bureau_units(user)
    return units[0] if units else None


def manages(user, unit: Unit | None) -> bool:
    """May this bureau admin manage what belongs to `unit` (the unit itself or one below its own)?"""
    if user is None:
        return True
    if unit is None:
        return False
    return any(unit.path.startswith(own.path) for own in bureau_units(user))


def managed_unit_named(user, wanted: str | None) -> Unit | None:
    """The unit a page's `unit` parameter names, among those this bureau manages; the bureau's own unit when the
    parameter is empty. 404 for any other unit (or no number), so a county's bureau cannot even learn whether a
    neighbour's unit exists."""
    if not wanted:
        return managing_unit(user)
    pk = whole_number(wanted)
    unit = Unit.objects.filter(pk=pk).first() if pk is not None else None
    if unit is None or not manages(user, unit):
        raise Http404("单位不存在或不在您的管理范围内")
    return unit


def is_root_bureau(user) -> bool:
    return user is None or any(unit.parent_id is None for unit in bureau_units(user))


def require_manages(user, unit: Unit | None, doing: str) -> None:
    if not manages(user, unit):
        raise PermissionDenied(f"您无权{doing}：不在您的管理范围内")


def require_root_bureau(user, doing: str) -> None:
    if not is_root_bureau(user):
        raise PermissionDenied(f"只有全市（全县）最上级的主管部门管理员可以{doing}")


def applies_to(owner: Unit | None, user_units: list[Unit]) -> bool:
    """Does a thing owned by `owner` apply to a user of these units: the owner is one of them, above one of them,
    or below one of them (a city's leaders see its counties' campaigns)."""
    if owner is None:
        return True
    return any(unit.path.startswith(owner.path) or owner.path.startswith(unit.path) for unit in user_units)
