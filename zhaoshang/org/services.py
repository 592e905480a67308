"""Writes to the organisation: units, groups, accounts and memberships, each audited."""

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.core.field_messages import full_clean
from zhaoshang.org import tree
from zhaoshang.org.models import AssessmentGroup, Membership, Unit

UNIT_FIELDS = ["name", "kind", "parent", "group", "sort_order", "is_active", "effective_from", "effective_to"]


def _unit_snapshot(unit: Unit) -> dict:
    values = {f: getattr(unit, f) for f in UNIT_FIELDS}
    values["parent"] = unit.parent.name if unit.parent_id else None
    values["group"] = unit.group.name if unit.group_id else None
    return values


@transaction.atomic
def unit_save(*, actor, unit: Unit, before: dict | None = None, source: str = Source.PAGE) -> Unit:
    """Create or update a unit (keeping the tree's paths right) and audit it.
    `before` is the unit's snapshot before the caller changed it (None for a new unit)."""
    if unit.parent_id is None and unit.pk is not None and Unit.objects.filter(parent=None).exclude(pk=unit.pk).exists():
        raise ValidationError({"parent": "已有顶级单位，请选择上级单位"})
    tree.check_parent(unit)
    full_clean(unit, exclude=["path"])
    is_new = unit.pk is None
    tree.save_with_path(unit)
    after = _unit_snapshot(unit)
    record(
        actor,
        action="unit.created" if is_new else "unit.updated",
        target=unit,
        unit=unit,
        source=source,
        data={k: [None, v] for k, v in after.items()} if is_new else diff(before or {}, after),
    )
    return unit


def unit_snapshot(unit: Unit) -> dict:
    return _unit_snapshot(unit) if unit.pk else {}


@transaction.atomic
def group_save(*, actor, group: AssessmentGroup, before: dict | None = None, source: str = Source.PAGE):
    is_new = group.pk is None
    if group.owner_id is None:  # a group belongs to a unit: the root's unless made for a county
        group.owner = Unit.objects.filter(parent=None).order_by("path").first()
    full_clean(group)
    group.save()
    after = {"name": group.name, "red_top_n": group.red_top_n, "black_bottom_m": group.black_bottom_m}
    record(
        actor,
        action="group.created" if is_new else "group.updated",
        target=group,
        source=source,
        data={k: [None, v] for k, v in after.items()} if is_new else diff(before or {}, after),
    )
    return group


def membership_record(*, actor, membership: Membership, action: str, data: dict, source: str) -> None:
    record(actor, action=action, target=membership, unit=membership.unit, source=source, data=data)
