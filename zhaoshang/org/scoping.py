"""Which units a user may read and write. Every scoped query in the product starts here.

- reporter: reads its unit's subtree, writes its own unit only;
- unit head and bureau admin: read and write their units' subtrees (the bureau sits at the root);
- leader: reads its subtree, writes nothing;
- system admin and auditor: no business data at all (等保 separation of duties).
The answers are cached on the user object for the length of a request.
"""

from django.core.exceptions import PermissionDenied

from zhaoshang.org.models import BUSINESS_READ_ROLES, Membership, Role, Unit, subtree_q

_WRITE_SUBTREE_ROLES = {Role.UNIT_HEAD, Role.BUREAU_ADMIN}


def memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_zs_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, unit__is_active=True).select_related("unit"))
        user._zs_memberships = cached
    return cached


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def _subtree_ids(units: list[Unit]) -> set[int]:
    if not units:
        return set()
    return set(Unit.objects.filter(subtree_q(units)).values_list("pk", flat=True))


def readable_unit_ids(user) -> set[int]:
    cached = getattr(user, "_zs_readable", None)
    if cached is None:
        cached = _subtree_ids([m.unit for m in memberships(user) if m.role in BUSINESS_READ_ROLES])
        if getattr(user, "is_authenticated", False):
            user._zs_readable = cached
    return cached


def editable_unit_ids(user) -> set[int]:
    cached = getattr(user, "_zs_editable", None)
    if cached is None:
        rows = memberships(user)
        cached = _subtree_ids([m.unit for m in rows if m.role in _WRITE_SUBTREE_ROLES])
        cached |= {m.unit_id for m in rows if m.role == Role.REPORTER}
        if getattr(user, "is_authenticated", False):
            user._zs_editable = cached
    return cached


def reads_business_data(user) -> bool:
    return has_role(user, *BUSINESS_READ_ROLES)


def is_bureau_admin(user) -> bool:
    return has_role(user, Role.BUREAU_ADMIN)


def require_bureau_admin(actor, doing: str) -> None:
    """For the services only the bureau may call (closing months, issuing bulletins): the pages check the role
    too, but a command run with `--user` reaches the service directly. None is the system (a command without
    --user) and may."""
    if actor is not None and not is_bureau_admin(actor):
        raise PermissionDenied(f"只有主管部门管理员可以{doing}")


def home_unit(user) -> Unit | None:
    """The unit a user acts for by default: its first business membership, highest in the tree."""
    rows = sorted((m for m in memberships(user) if m.role in BUSINESS_READ_ROLES), key=lambda m: m.unit.path)
    return rows[0].unit if rows else None
