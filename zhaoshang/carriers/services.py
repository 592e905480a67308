"""Writes of the carriers (载体). Each one checks who may, validates, writes and records an audit entry, in one
transaction; the pages, the `carriers` sheet and commands all come here.

- A carrier is its unit's (a park or a town): its writers create, change and delete it; the leader only reads.
- An occupancy (入驻) places a ledger project the actor reads, of the carrier's own county and not 终止, with the
  land (亩) or floor area (㎡) it takes. Taking more than is left is refused, naming what is left: on every day the
  occupancy is in force, given − 台账外 − the other occupancies in force (carriers/space.py). A move-in day is the
  day the project's 入驻厂房面积 counts (the chains' figures), so a closed month refuses it, as any dated write.
- Photos are checked and re-encoded by carriers/photos.py before they are stored."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.carriers import photos, space
from zhaoshang.carriers.models import Carrier, CarrierPhoto, Occupancy
from zhaoshang.closing.guard import ensure_months_open
from zhaoshang.core.field_messages import full_clean
from zhaoshang.core.periods import today
from zhaoshang.org.departments import home_county
from zhaoshang.org.models import subtree_q
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.models import Project, Stage

CARRIER_FIELDS = [
    "unit",
    "name",
    "kind",
    "address",
    "land_mu",
    "building_m2",
    "occupied_before_mu",
    "occupied_before_m2",
    "rent_yuan_m2_month",
    "price_yuan_m2",
    "land_price_wan_mu",
    "min_investment_wan_mu",
    "min_tax_wan_mu",
    "min_tax_yuan_m2",
    "industries",
    "contact_person",
    "contact_phone",
    "description",
    "is_active",
]
OCCUPANCY_FIELDS = ["project", "land_mu", "floor_m2", "moved_in_on", "moved_out_on", "annual_tax_wan", "note"]
# (field, unit word, what is taken, the carrier's field giving it and its name, the carrier's 台账外 field)
SPACES = [
    ("land_mu", "亩", "土地", "land_mu", "土地面积", "occupied_before_mu"),
    ("floor_m2", "㎡", "面积", "building_m2", "建筑面积", "occupied_before_m2"),
]


def may_write(user, carrier: Carrier) -> bool:
    return carrier.unit_id in editable_unit_ids(user)


def _require_unit(actor, unit_id: int | None, doing: str) -> None:
    if actor is not None and unit_id not in editable_unit_ids(actor):
        raise PermissionDenied(f"您不能{doing}：该载体不属于您可填报的单位")


def snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f"{f}_id" if f in ("unit", "project") else f) for f in fields}


def _audited(obj, fields) -> dict:
    """The audit's view of the fields: the unit and the project by name and number, not by id."""
    values = snapshot(obj, fields)
    if "unit" in values:
        values["unit"] = obj.unit.name if obj.unit_id else None
    if "project" in values:
        values["project"] = obj.project.code if obj.project_id else None
    return values


# --- Carriers -------------------------------------------------------------------------------------------------------


@transaction.atomic
def carrier_save(*, actor, carrier: Carrier | None = None, values: dict, source: str = Source.PAGE) -> Carrier:
    """Create a carrier (carrier None) or change one; returns it. Changing the unit needs the rights on both."""
    creating = carrier is None
    if creating:
        carrier = Carrier()
        before = {}
    else:
        carrier = Carrier.objects.select_for_update().select_related("unit").get(pk=carrier.pk)
        _require_unit(actor, carrier.unit_id, "修改载体")
        before = _audited(carrier, CARRIER_FIELDS)
    for field in CARRIER_FIELDS:
        if field in values:
            setattr(carrier, field, values[field])
    for field in ("occupied_before_mu", "occupied_before_m2"):
        if getattr(carrier, field) is None:
            setattr(carrier, field, Decimal(0))
    if carrier.unit_id is None:
        raise ValidationError({"unit": "请选择所属园区或乡镇"})
    _require_unit(actor, carrier.unit_id, "登记载体" if creating else "修改载体")
    _check_carrier(carrier)
    full_clean(carrier)
    after = _audited(carrier, CARRIER_FIELDS)
    changes = diff(before, after)
    if not creating and not changes:
        return carrier
    carrier.save()
    record(
        actor,
        action="carrier.created" if creating else "carrier.updated",
        target=carrier,
        source=source,
        data=changes if not creating else {k: [None, v] for k, v in after.items() if v not in (None, "")},
    )
    return carrier


def _check_carrier(carrier: Carrier) -> None:
    errors = {}
    if carrier.land_mu is None and carrier.building_m2 is None:
        errors["land_mu"] = "请填写土地面积（亩）或建筑面积（㎡）"
    if carrier.occupied_before_mu and carrier.land_mu is None:
        errors["occupied_before_mu"] = "未填写土地面积时不能填写台账外已用地"
    if carrier.occupied_before_m2 and carrier.building_m2 is None:
        errors["occupied_before_m2"] = "未填写建筑面积时不能填写台账外已入驻面积"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def carrier_delete(*, actor, carrier: Carrier, source: str = Source.PAGE) -> None:
    """Delete a carrier with its photos; refused while it has occupancies (入驻记录), ended ones included: they are
    the history of what landed where."""
    carrier = Carrier.objects.select_for_update().select_related("unit").get(pk=carrier.pk)
    _require_unit(actor, carrier.unit_id, "删除载体")
    count = carrier.occupancies.count()
    if count:
        raise ValidationError(f"该载体有 {count} 条入驻记录，不能删除；如不再使用，请在修改中取消“启用”")
    names = list(carrier.photos.values_list("image", flat=True))
    record(actor, action="carrier.deleted", target=carrier, source=source, data={"name": [carrier.name, None]})
    carrier.delete()
    transaction.on_commit(lambda: photos.delete_files(names))


# --- Occupancies ----------------------------------------------------------------------------------------------------


def projects_for(actor, carrier: Carrier):
    """The projects `actor` may place in `carrier`: ledger projects it reads, of the carrier's county, not 终止."""
    projects = Project.objects.exclude(stage=Stage.DROPPED).filter(
        subtree_q([home_county(carrier.unit)], "responsible_unit")
    )
    return projects if actor is None else projects.readable_by(actor)


def _check_project(actor, carrier: Carrier, project: Project | None) -> None:
    if project is None:
        raise ValidationError({"project": "请填写入驻的项目"})
    if not projects_for(actor, carrier).filter(pk=project.pk).exists():
        readable = Project.objects if actor is None else Project.objects.readable_by(actor)
        if readable.filter(pk=project.pk, stage=Stage.DROPPED).exists():  # as it stands, not as the caller read it
            raise ValidationError({"project": f"项目 {project.code} 已终止，不能入驻"})
        raise ValidationError({"project": f"项目 {project.code} 不是本县区您可查看的台账项目"})


def _fmt(value: Decimal) -> str:
    return space.shown(value)


def _check_space(carrier: Carrier, occupancy: Occupancy) -> None:
    """Refuse an occupancy that would take more than is left on any day it is in force."""
    others = [row for row in carrier.occupancies.all() if row.pk != occupancy.pk]
    errors = {}
    for field, word, noun, given_field, given_name, before_field in SPACES:
        wanted = getattr(occupancy, field)
        if not wanted:
            continue
        given = getattr(carrier, given_field)
        if given is None:
            errors[field] = f"该载体未登记{given_name}，不能按{word}入驻；请先在载体中填写，或改填另一种面积"
            continue
        taken, day = space.peak_taken(others, field, occupancy.moved_in_on, occupancy.moved_out_on)
        before = getattr(carrier, before_field) or Decimal(0)
        left = max(given - before - taken, Decimal(0))
        if wanted > left:
            when = "" if day == occupancy.moved_in_on else f"{day:%Y-%m-%d}起"
            errors[field] = (
                f"超出可用{noun}：{when}仅剩 {_fmt(left)} {word}（{given_name} {_fmt(given)} {word}，"
                f"台账外已用 {_fmt(before)} {word}，其他在驻项目已用 {_fmt(taken)} {word}），"
                f"本次填写 {_fmt(wanted)} {word}"
            )
    if errors:
        raise ValidationError(errors)


def _check_dates(occupancy: Occupancy, before: dict) -> None:
    errors = {}
    if occupancy.moved_in_on is None:
        errors["moved_in_on"] = "请填写入驻日期"
    elif occupancy.moved_in_on > today() and occupancy.moved_in_on != before.get("moved_in_on"):
        errors["moved_in_on"] = "入驻日期不能晚于今天（尚未入驻的项目请入驻后再登记）"
    if (
        occupancy.moved_out_on
        and occupancy.moved_out_on > today()
        and occupancy.moved_out_on != before.get("moved_out_on")
    ):
        errors["moved_out_on"] = "迁出日期不能晚于今天"
    if occupancy.moved_in_on and occupancy.moved_out_on and occupancy.moved_out_on < occupancy.moved_in_on:
        errors["moved_out_on"] = "迁出日期不能早于入驻日期"
    if not (occupancy.land_mu or occupancy.floor_m2):
        errors["land_mu"] = "请填写用地（亩）或使用面积（㎡），须大于0"
    if errors:
        raise ValidationError(errors)


def _months(occupancy: Occupancy, before: dict) -> list[date | None]:
    """The months whose figures the write changes: the move-in month (入驻厂房面积 counts there), before and after,
    when the day or the area moves it."""
    if not before:
        return [occupancy.moved_in_on]
    moved = any(before.get(f) != snapshot(occupancy, [f])[f] for f in ("moved_in_on", "land_mu", "floor_m2", "project"))
    return [before.get("moved_in_on"), occupancy.moved_in_on] if moved else []


@transaction.atomic
def occupancy_save(
    *, actor, carrier: Carrier | None = None, occupancy: Occupancy | None = None, values: dict, source=Source.PAGE
) -> Occupancy:
    """Place a project in `carrier` (occupancy None) or change an occupancy; returns it."""
    if occupancy is None:
        carrier = Carrier.objects.select_for_update().select_related("unit").get(pk=carrier.pk)
        occupancy = Occupancy(carrier=carrier)
        before = {}
    else:
        occupancy = Occupancy.objects.select_related("project", "carrier__unit").get(pk=occupancy.pk)
        carrier = Carrier.objects.select_for_update().select_related("unit").get(pk=occupancy.carrier_id)
        occupancy.carrier = carrier
        before = snapshot(occupancy, OCCUPANCY_FIELDS)
    _require_unit(actor, carrier.unit_id, "登记或修改入驻")
    for field in OCCUPANCY_FIELDS:
        if field in values:
            setattr(occupancy, field, values[field])
    if occupancy.project_id is None or "project" in values:
        _check_project(actor, carrier, values.get("project") if "project" in values else None)
    _check_dates(occupancy, before)
    full_clean(occupancy, exclude=["carrier", "project"])
    _check_space(carrier, occupancy)
    changes = diff(before, snapshot(occupancy, OCCUPANCY_FIELDS))
    if before and not changes:
        return occupancy
    ensure_months_open(_months(occupancy, before), carrier.unit, occupancy.project.responsible_unit_id)
    creating = not before
    occupancy.save()
    audited = _audited(occupancy, OCCUPANCY_FIELDS)
    record(
        actor,
        action="occupancy.created" if creating else "occupancy.updated",
        target=occupancy,
        source=source,
        data={k: [None, v] for k, v in audited.items() if v not in (None, "")}
        if creating
        else {k: [_audited_before(k, before), audited[k]] for k in changes},
    )
    return occupancy


def _audited_before(field: str, before: dict):
    if field == "project":
        return Project.objects.filter(pk=before["project"]).values_list("code", flat=True).first()
    return before[field]


def occupancy_end(*, actor, occupancy: Occupancy, moved_out_on: date, source=Source.PAGE) -> Occupancy:
    """迁出: the project leaves the carrier on `moved_out_on`; its space is free from that day."""
    if moved_out_on is None:
        raise ValidationError({"moved_out_on": "请填写迁出日期"})
    return occupancy_save(actor=actor, occupancy=occupancy, values={"moved_out_on": moved_out_on}, source=source)


@transaction.atomic
def occupancy_delete(*, actor, occupancy: Occupancy, source=Source.PAGE) -> None:
    """Take back an occupancy entered by mistake (a project that moves out is 迁出, not deleted)."""
    occupancy = Occupancy.objects.select_related("carrier__unit", "project").get(pk=occupancy.pk)
    _require_unit(actor, occupancy.carrier.unit_id, "删除入驻记录")
    ensure_months_open([occupancy.moved_in_on], occupancy.carrier.unit, occupancy.project.responsible_unit_id)
    record(
        actor,
        action="occupancy.deleted",
        target=occupancy,
        source=source,
        data={k: [v, None] for k, v in _audited(occupancy, OCCUPANCY_FIELDS).items() if v not in (None, "")},
    )
    occupancy.delete()


# --- Photos ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, actor, carrier: Carrier, upload, caption: str = "", source=Source.PAGE) -> CarrierPhoto:
    """Store an uploaded photo of `carrier`, checked and re-encoded (carriers/photos.py)."""
    carrier = Carrier.objects.select_for_update().select_related("unit").get(pk=carrier.pk)
    _require_unit(actor, carrier.unit_id, "上传照片")
    limit = photos.max_count()
    if carrier.photos.count() >= limit:
        raise ValidationError({"image": f"每个载体最多保存 {limit} 张照片，请先删除不用的照片"})
    content = photos.clean_image(upload)
    photo = CarrierPhoto(
        carrier=carrier, caption=(caption or "").strip()[:100], author=actor if getattr(actor, "pk", None) else None
    )
    photo.image.save(content.name, content, save=False)
    try:
        photo.save()
        record(
            actor,
            action="carrier.photo_added",
            target=carrier,
            source=source,
            data={"photo": [None, photo.caption or photo.image.name.rsplit("/", 1)[-1]]},
        )
    except Exception:
        photos.delete_files([photo.image.name])
        raise
    return photo


@transaction.atomic
def photo_delete(*, actor, photo: CarrierPhoto, source=Source.PAGE) -> None:
    photo = CarrierPhoto.objects.select_related("carrier__unit").get(pk=photo.pk)
    _require_unit(actor, photo.carrier.unit_id, "删除照片")
    name = photo.image.name
    record(
        actor,
        action="carrier.photo_deleted",
        target=photo.carrier,
        source=source,
        data={"photo": [photo.caption or name.rsplit("/", 1)[-1], None]},
    )
    photo.delete()
    transaction.on_commit(lambda: photos.delete_files([name]))
