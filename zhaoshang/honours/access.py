"""Who sees and changes a round of honours.

- The owner's bureau (a bureau admin whose units hold the owner) writes: settings, 提议, adding and removing units,
  deciding nominations, 定稿. Whoever else reads the owner (its leaders) reads the whole round.
- A unit below the owner (a township's reporter or head) sees the round: while it is a draft only its own
  nominations (to add them), once 已定稿 the whole decision.
- Anyone else (another county) gets 404."""

from django.db.models import Q

from zhaoshang.honours.models import HonoursRound, Nomination
from zhaoshang.org import scoping
from zhaoshang.org.models import BUSINESS_READ_ROLES, Unit
from zhaoshang.org.tree import ancestor_ids


def _above_ids(user) -> set[int]:
    """The units above (and at) the user's own units: a round owned by one of them concerns the user's units."""
    ids = set()
    for m in scoping.memberships(user):
        if m.role in BUSINESS_READ_ROLES:
            ids.update(ancestor_ids(m.unit.path))
    return ids


def readable_rounds(user):
    if not scoping.reads_business_data(user):
        return HonoursRound.objects.none()
    whole = Q(owner_id__in=scoping.readable_unit_ids(user))
    return HonoursRound.objects.filter(whole | Q(owner_id__in=_above_ids(user))).select_related(
        "owner", "publication__scheme"
    )


def reads_whole(user, honours: HonoursRound) -> bool:
    """Reads the proposed units and every nomination (the owner's bureau and leaders; anyone once 已定稿)."""
    return honours.owner_id in scoping.readable_unit_ids(user) or honours.is_final


def may_manage(user, honours: HonoursRound) -> bool:
    return scoping.is_bureau_admin(user) and honours.owner_id in scoping.editable_unit_ids(user)


def nominating_units(user, honours: HonoursRound):
    """The units the user may nominate for: those it writes (its own unit; a bureau its subtree), below the owner."""
    return Unit.objects.filter(
        pk__in=scoping.editable_unit_ids(user), path__startswith=honours.owner.path, is_active=True
    ).order_by("path")


def visible_nominations(user, honours: HonoursRound):
    rows = honours.nominations.select_related("unit").prefetch_related("projects")
    if honours.owner_id in scoping.readable_unit_ids(user):
        return rows
    if honours.is_final:  # the decision: those passed, and the unit's own whatever their outcome
        return rows.filter(Q(status="approved") | Q(unit_id__in=scoping.readable_unit_ids(user)))
    return rows.filter(unit_id__in=scoping.readable_unit_ids(user))


def nomination_in(user, honours, pk) -> Nomination | None:
    return visible_nominations(user, honours).filter(pk=pk).first()
