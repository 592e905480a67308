"""Reads of 宣传与培训, each through the reader's scope.

- Cases: those of the units the reader reads (ScopedQuerySet).
- Sessions: those whose owner the reader reads, and those held by a unit above one of the reader's units (a town's
  reporter reads its county bureau's sessions: "everyone in the subtree reads them"). The ancestors come from the
  materialised paths of the memberships, already read for the request.
- Attendees a session may list: the business accounts of the owner's subtree, each with its unit (its membership
  highest in that subtree)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from zhaoshang.org.models import BUSINESS_READ_ROLES, Membership, Unit, subtree_q
from zhaoshang.org.scoping import memberships, readable_unit_ids
from zhaoshang.outreach.models import Attendance, TrainingSession, TypicalCase


def cases_for(user):
    return TypicalCase.objects.readable_by(user)


def _ancestor_ids(user) -> set[int]:
    ids = set()
    for m in memberships(user):
        if m.role in BUSINESS_READ_ROLES:
            ids |= {int(part) for part in m.unit.path.strip("/").split("/") if part}
    return ids


def sessions_for(user):
    return TrainingSession.objects.filter(owner_id__in=readable_unit_ids(user) | _ancestor_ids(user))


def attendee_rows(owner: Unit) -> list[tuple[object, Unit]]:
    """(user, unit) for every active business account of `owner`'s subtree, by unit then name; one query."""
    rows = (
        Membership.objects.filter(subtree_q([owner], "unit"), role__in=BUSINESS_READ_ROLES, user__is_active=True)
        .select_related("user", "unit")
        .order_by("unit__path", "user__username")
    )
    chosen = {}
    for m in rows:
        chosen.setdefault(m.user_id, (m.user, m.unit))  # ordered by path: the highest unit first
    return sorted(chosen.values(), key=lambda pair: (pair[1].path, pair[0].username))


def hours(user, start: date, end: date, unit: Unit | None = None):
    """The attendances in [start, end] of the units the reader reads (under `unit` if given): per unit and per
    person, each (name…, sessions, hours). Two queries."""
    rows = Attendance.objects.readable_by(user).filter(session__held_on__range=(start, end))
    if unit is not None:
        rows = rows.under(unit)
    per_unit = list(
        rows.values("unit_id", "unit__name", "unit__path")
        .annotate(times=Count("id"), hours=Sum("session__hours"))
        .order_by("unit__path")
    )
    per_person = list(
        rows.values("user_id", "user__username", "user__full_name", "unit__name", "unit__path")
        .annotate(times=Count("id"), hours=Sum("session__hours"))
        .order_by("unit__path", "user__username")
    )
    for row in (*per_unit, *per_person):
        row["hours"] = tenths(row["hours"])
    return per_unit, per_person


def tenths(value) -> Decimal:
    """A sum of hours as a Decimal with one place (SQLite sums a decimal column as a float)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))
