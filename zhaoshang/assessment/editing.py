"""The scheme pages' writes: a scheme's heading, its items one by one, deleting a scheme, and the figures entered
per unit (`InputValue`). Each checks what the scheme file would (schema.check_item), is refused once the scheme
has a Publication, runs atomically and is audited."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from zhaoshang.assessment import schema
from zhaoshang.assessment.models import InputValue, Scheme, SchemeItem
from zhaoshang.audit.services import record
from zhaoshang.core.errors import Refused
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin, readable_unit_ids

INPUT_MAX = Decimal("99999999999999.9999")  # the column's DecimalField(18, 4)


def may_read(user, scheme: Scheme) -> bool:
    from zhaoshang.org.models import Role  # noqa: PLC0415
    from zhaoshang.org.scoping import has_role  # noqa: PLC0415

    return has_role(user, Role.BUREAU_ADMIN, Role.LEADER) and scheme.owner_id in readable_unit_ids(user)


def may_write(user, scheme: Scheme) -> bool:
    return user is None or (is_bureau_admin(user) and scheme.owner_id in editable_unit_ids(user))


def _require_write(actor, scheme):
    if not may_write(actor, scheme):
        raise PermissionDenied("只有制定方案的主管部门管理员可以修改考核方案")


def scheme_save(*, actor, scheme: Scheme, values: dict, source) -> Scheme:
    """A scheme's heading (name, year, period, note, and its group or units) created or changed."""
    creating = scheme.pk is None
    with transaction.atomic():
        if not creating:
            scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
            schema.refuse_if_published(scheme)
        _require_write(actor, scheme)
        before = None if creating else schema.dump(scheme)
        if values["period"].year != values["year"]:
            raise Refused(f"考核期不在考核年度{values['year']}年内", field="period")
        clash = Scheme.objects.filter(owner=scheme.owner, name=values["name"], year=values["year"])
        if clash.exclude(pk=scheme.pk).exists():
            raise Refused(f"{values['year']}年已有名为“{values['name']}”的方案", field="name")
        for field in ("name", "year", "period", "group", "note"):
            setattr(scheme, field, values[field])
        scheme.save()
        scheme.units.set([] if values["group"] else values["units"])
        after = schema.dump(scheme)
        if creating:
            record(actor, action="assessment.scheme_created", target=scheme, source=source, data={"scheme": after})
        elif before != after:
            record(
                actor,
                action="assessment.scheme_updated",
                target=scheme,
                source=source,
                data={k: [before.get(k), after.get(k)] for k in schema.TOP_KEYS if before.get(k) != after.get(k)},
            )
    return scheme


def item_save(*, actor, scheme: Scheme, item: SchemeItem | None, data: dict, source) -> SchemeItem:
    """An item written as the scheme file writes one (name, points, rule and the rule's keys), checked as a file's
    item is; a new item goes last."""
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        schema.refuse_if_published(scheme)
        _require_write(actor, scheme)
        index = item.position if item else scheme.items.count() + 1
        checked, errors = schema.check_item(index, data)
        if errors:
            raise ValidationError(errors)
        clash = scheme.items.filter(name=checked["name"])
        if clash.exclude(pk=item.pk if item else None).exists():
            raise Refused(f"方案中已有名为“{checked['name']}”的项目", field="name")
        before = schema._item_file(item) if item else None
        if item is None:
            last = scheme.items.aggregate(m=Max("position"))["m"] or 0
            item = SchemeItem(scheme=scheme, position=last + 1)
        item.name, item.points, item.rule = checked["name"], schema.as_decimal(checked["points"]), checked["rule"]
        item.params = {k: v for k, v in checked.items() if k not in schema.ITEM_BASE}
        item.save()
        after = schema._item_file(item)
        if before != after:
            action = "assessment.item_added" if before is None else "assessment.item_updated"
            record(actor, action=action, target=item, source=source, data={"before": before, "after": after})
    return item


def item_delete(*, actor, item: SchemeItem, source) -> None:
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=item.scheme_id)
        schema.refuse_if_published(scheme)
        _require_write(actor, scheme)
        record(actor, action="assessment.item_deleted", target=item, source=source, data=schema._item_file(item))
        item.delete()
        _renumber(scheme)


def _renumber(scheme):
    for position, item in enumerate(scheme.items.order_by("position", "id"), 1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def item_move(*, actor, item: SchemeItem, up: bool, source) -> None:
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=item.scheme_id)
        schema.refuse_if_published(scheme)
        _require_write(actor, scheme)
        _renumber(scheme)
        items = list(scheme.items.order_by("position", "id"))
        at = next(i for i, it in enumerate(items) if it.pk == item.pk)
        to = at - 1 if up else at + 1
        if not 0 <= to < len(items):
            return
        items[at], items[to] = items[to], items[at]
        for position, it in enumerate(items, 1):
            if it.position != position:
                it.position = position
                it.save(update_fields=["position"])
        record(
            actor,
            action="assessment.item_moved",
            target=item,
            source=source,
            data={"item": item.name, "order": [it.name for it in items]},
        )


def scheme_delete(*, actor, scheme: Scheme, source) -> None:
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if schema.is_published(scheme):
            raise Refused("考核结果已发布的方案不能删除")
        _require_write(actor, scheme)
        record(actor, action="assessment.scheme_deleted", target=scheme, source=source, data=schema.dump(scheme))
        scheme.delete()


# --- 考核数据 ---------------------------------------------------------------------------------------------------


def input_set(*, actor, scheme: Scheme, unit, name: str, value: Decimal | None, source) -> str:
    """One unit's figure of one `input:NAME` set (None: cleared); answers "created", "updated", "deleted" or
    "unchanged". The caller checks the unit is assessed and the name used; this checks the rights and the
    publication."""
    _require_write(actor, scheme)
    schema.refuse_if_published(scheme, "考核结果已发布，考核数据不能再修改；如需更正请发布新版本")
    if value is not None and abs(value) > INPUT_MAX:
        raise Refused("数值过大")
    with transaction.atomic():
        row = InputValue.objects.select_for_update().filter(scheme=scheme, unit=unit, name=name).first()
        old = None if row is None else row.value
        if value is not None:
            value = value.quantize(Decimal("0.0001"))
        if old == value:
            return "unchanged"
        data = {"unit": unit.name, "name": name, "before": _text(old), "after": _text(value)}
        if value is None:
            row.delete()
            outcome = "deleted"
        elif row is None:
            row = InputValue.objects.create(scheme=scheme, unit=unit, name=name, value=value, updated_by=_user(actor))
            outcome = "created"
        else:
            row.value, row.updated_by = value, _user(actor)
            row.save(update_fields=["value", "updated_by", "updated_at"])
            outcome = "updated"
        record(actor, action="assessment.input_set", target=scheme, source=source, data=data)
    return outcome


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _text(value):
    return None if value is None else f"{value.normalize():f}"


def input_grid(scheme: Scheme) -> dict[tuple[int, str], Decimal]:
    return {(v.unit_id, v.name): v.value for v in InputValue.objects.filter(scheme=scheme)}
