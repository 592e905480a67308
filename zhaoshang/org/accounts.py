"""Accounts: which units and accounts a system administrator manages, and every change to an account, audited.

Where one installation serves a city, the root's system admin manages every unit and account; a county's system
admin (its membership below the root) manages only its own subtree: the units there, and the accounts whose every
membership lies there. It may not grant a membership outside it.

Every change to an account is in the audit log (created, its fields changed or deactivated, a membership added,
removed or changed, its password reset by an admin or changed by its user), filed under the unit of the
account's membership so that a county's auditor sees its own county's accounts. No password, nor its hash, ever
reaches the log.
"""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.core.field_messages import full_clean
from zhaoshang.org import scoping
from zhaoshang.org.models import AssessmentGroup, Membership, Role, Unit, User, subtree_q

ACCOUNT_FIELDS = ["username", "full_name", "phone", "is_active"]

# --- Who manages what -----------------------------------------------------------------------------------------------


def managed_roots(admin) -> list[Unit] | None:
    """The units whose subtrees `admin` manages; None for all of them (a command without --user, a superuser, a
    system admin at the root)."""
    if admin is None or admin.is_superuser:
        return None
    units = [m.unit for m in scoping.memberships(admin) if m.role == Role.SYSTEM_ADMIN]
    if any(unit.parent_id is None for unit in units):
        return None
    return units


def managed_paths(admin) -> list[str] | None:
    roots = managed_roots(admin)
    return None if roots is None else [unit.path for unit in roots]


def manages_all(admin) -> bool:
    return managed_roots(admin) is None


def managed_units(admin) -> QuerySet:
    roots = managed_roots(admin)
    units = Unit.objects.all()
    return units if roots is None else units.filter(subtree_q(roots))


def managed_groups(admin) -> QuerySet:
    """The 考核组 a system admin sees and assigns: those owned by units it manages (a group of no owner is the
    root's)."""
    roots = managed_roots(admin)
    groups = AssessmentGroup.objects.all()
    return groups if roots is None else groups.filter(subtree_q(roots, "owner"))


def manages_unit(admin, unit: Unit) -> bool:
    paths = managed_paths(admin)
    return paths is None or any(unit.path.startswith(path) for path in paths)


def managed_users(admin) -> QuerySet:
    """Every account for the root's admin; for a county's, the accounts with a membership in its subtree and
    none outside it (an account that also works for the city or a neighbouring county is not the county's to
    switch off), and never a superuser."""
    roots = managed_roots(admin)
    users = User.objects.all()
    if roots is None:
        return users
    inside = Membership.objects.filter(subtree_q(roots, "unit"), user=OuterRef("pk"))
    outside = Membership.objects.filter(user=OuterRef("pk")).exclude(subtree_q(roots, "unit"))
    return users.filter(Exists(inside), ~Exists(outside), is_superuser=False)


def check_grant(admin, unit: Unit) -> None:
    """A membership may only be granted on a unit the admin manages."""
    if not manages_unit(admin, unit):
        raise ValidationError({"unit": f"“{unit.name}”不在您管理的范围内，不能授予该单位的角色"})


# --- Passwords ------------------------------------------------------------------------------------------------------

# Characters nobody misreads on paper or a phone screen (no 0/O, 1/l/I), and symbols with no meaning to Excel.
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"
_SYMBOLS = "#%*+?@"


def generate_password(length: int = 12) -> str:
    """A random initial password meeting the 等保 policy: every kind of character, starting with a letter (a cell
    starting with a symbol could be taken for a formula)."""
    pool = _UPPER + _LOWER + _DIGITS + _SYMBOLS
    while True:
        chars = [secrets.choice(_UPPER + _LOWER)] + [secrets.choice(pool) for _ in range(length - 1)]
        if all(any(c in kind for c in chars) for kind in (_UPPER, _LOWER, _DIGITS, _SYMBOLS)):
            return "".join(chars)


def check_password_policy(password: str, user: User) -> None:
    """The configured validators (the 等保 policy, common passwords, likeness to the user's name)."""
    validate_password(password, user)


# --- Writes, each audited -------------------------------------------------------------------------------------------


def snapshot(user: User) -> dict:
    return {field: getattr(user, field) for field in ACCOUNT_FIELDS} if user.pk else {}


def _membership_data(membership: Membership, *, before: Membership | None = None, removed: bool = False) -> dict:
    unit, role = membership.unit.name, Role(membership.role).label
    if removed:
        return {"unit": unit, "role": [role, None]}
    if before is None:
        return {"unit": unit, "role": [None, role]}
    return diff({"unit": before.unit.name, "role": Role(before.role).label}, {"unit": unit, "role": role})


@transaction.atomic
def account_create(
    *,
    actor,
    username: str,
    full_name: str = "",
    phone: str = "",
    unit: Unit,
    role: str,
    password: str | None,
    source: str = Source.PAGE,
) -> User:
    """A new account with one membership. With a password, that password is an initial one: the user must
    change it at first sign-in. Without one (a dry run, about to be rolled back, need not pay for hashing) the
    account has no usable password until an admin sets one."""
    check_grant(actor, unit)
    user = User(username=username, full_name=full_name, phone=phone, must_change_password=password is not None)
    user.set_unusable_password()
    full_clean(user, exclude=["password"])
    if password is not None:
        check_password_policy(password, user)
        user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, unit=unit, role=role)
    account_created(actor=actor, user=user, unit=unit, source=source)
    membership_added(actor=actor, membership=membership, source=source)
    return user


def account_created(*, actor, user: User, unit: Unit | None, source: str) -> None:
    data = {field: [None, value] for field, value in snapshot(user).items()}
    data["must_change_password"] = [None, user.must_change_password]
    record(actor, action="account.created", target=user, unit=unit, source=source, data=data)


def account_updated(*, actor, user: User, before: dict, source: str) -> None:
    """After `user`'s fields were saved: the changed ones, `is_active` [true, false] for a deactivation."""
    changes = diff(before, snapshot(user))
    if changes:
        record(actor, action="account.updated", target=user, source=source, data=changes)


def _record_membership(actor, action: str, membership: Membership, source: str, data: dict) -> None:
    """A membership's change is audited on its user, at its unit."""
    record(actor, action=action, target=membership.user, unit=membership.unit, source=source, data=data)


def membership_added(*, actor, membership: Membership, source: str) -> None:
    _record_membership(actor, "account.membership_added", membership, source, _membership_data(membership))


def membership_removed(*, actor, membership: Membership, source: str) -> None:
    data = _membership_data(membership, removed=True)
    _record_membership(actor, "account.membership_removed", membership, source, data)


def membership_changed(*, actor, membership: Membership, before: Membership, source: str) -> None:
    changes = _membership_data(membership, before=before)
    if changes:
        _record_membership(actor, "account.membership_changed", membership, source, changes)


@transaction.atomic
def account_password_reset(*, actor, user: User, source: str = Source.ADMIN) -> None:
    """An admin has just set `user`'s password: the user must choose its own at its next sign-in (unless the
    admin reset its own). Audited as who reset whose password, without the password."""
    user.must_change_password = getattr(actor, "pk", None) != user.pk
    user.save(update_fields=["must_change_password"])
    record(
        actor,
        action="account.password_reset",
        target=user,
        source=source,
        data={"username": user.username, "must_change_password": user.must_change_password},
    )


@transaction.atomic
def account_password_change(*, user: User, password: str, ip: str | None = None) -> None:
    """The user chose its own password (the page has checked the old one): the forced change is over."""
    check_password_policy(password, user)
    was_forced = user.must_change_password
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(
        user,
        action="account.password_changed",
        target=user,
        source=Source.PAGE,
        ip=ip,
        data={"must_change_password": [was_forced, False]} if was_forced else {},
    )
