"""Which units a user may read and write. Every scoped query in the product starts here.

- reporter: reads its unit's subtree, writes its own unit only;
- unit head and bureau admin: read and write their units' subtrees (the bureau sits at the root);
- leader: reads its subtree, writes nothing;
- system admin and auditor: no business data at all (等保 separation of duties).
The answers are cached on the user object for the length of a request.
"""

from django.core.exceptions import PermissionDenied

from zhaoshang.org.models import BUSINESS_READ_ROLES, Membership, Role, Unit, UnitKind, subtree_q

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
    return set(_subtree_kinds(units))


def _subtree_kinds(units: list[Unit]) -> dict[int, str]:
    if not units:
        return {}
    return dict(Unit.objects.filter(subtree_q(units)).values_list("pk", "kind"))


def _readable_kinds(user) -> dict[int, str]:
    """{unit id: kind} of the units the user reads: one query a request, answering both questions below."""
    cached = getattr(user, "_zs_readable_kinds", None)
    if cached is None:
        cached = _subtree_kinds([m.unit for m in memberships(user) if m.role in BUSINESS_READ_ROLES])
        if getattr(user, "is_authenticated", False):
            user._zs_readable_kinds = cached
    return cached


def readable_unit_ids(user) -> set[int]:
    cached = getattr(user, "_zs_readable", None)
    if cached is None:
        cached = set(_readable_kinds(user))
        if getattr(user, "is_authenticated", False):
            user._zs_readable = cached
    return cached


def readable_department_ids(user) -> set[int]:
    """The 部门 among the units the user reads (none for a town's users): the rows placed through a department
    (an approval step's, a problem's) need asking about only when there is one."""
    return {pk for pk, kind in _readable_kinds(user).items() if kind == UnitKind.DEPARTMENT}


def reads_whole_tree(user) -> bool:
    """Reads business data at the root, so every row of the install: a list needs no filter on units at all."""
    return any(m.role in BUSINESS_READ_ROLES and m.unit.parent_id is None for m in memberships(user))


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
