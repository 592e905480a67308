"""Who decides 认定: the bureau admins of the item's unit or of a unit above it (a county's bureau its county, the
city's bureau the whole city), and the accounts a bureau granted the 认定 role (Verifier) for a subtree. Never
another county's items: every list and every decision is cut to these subtrees."""

from django.core.exceptions import PermissionDenied

from zhaoshang.org.models import Role, Unit
from zhaoshang.org.scoping import memberships


def deciding_units(user) -> list[Unit]:
    """The units whose subtrees this account decides, highest first, nested ones dropped (cached per request)."""
    cached = getattr(user, "_zs_deciding_units", None)
    if cached is not None:
        return cached
    from zhaoshang.verification.models import Verifier  # noqa: PLC0415  models import nothing of this module

    units = [m.unit for m in memberships(user) if m.role == Role.BUREAU_ADMIN]
    if getattr(user, "is_authenticated", False):
        units += [g.unit for g in Verifier.objects.filter(user=user, unit__is_active=True).select_related("unit")]
    units.sort(key=lambda u: u.path)
    top: list[Unit] = []
    for unit in units:
        if not any(unit.path.startswith(kept.path) for kept in top):
            top.append(unit)
    if getattr(user, "is_authenticated", False):
        user._zs_deciding_units = top
    return top


def may_decide(user) -> bool:
    return bool(deciding_units(user))


def decides(user, unit) -> bool:
    """May this account decide the items of `unit` (a project's 责任单位)? None is the system (a command)."""
    if user is None:
        return True
    return unit is not None and any(unit.path.startswith(own.path) for own in deciding_units(user))


def require_decides(user, unit) -> None:
    if not decides(user, unit):
        raise PermissionDenied("您无权认定该单位的项目")
