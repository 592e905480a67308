"""Writes of the target-enterprise library. Each checks who may, validates, writes and records an audit entry, in
one transaction; the pages, the 目标企业 sheet and the demo all come through here.

A target belongs to a unit (a town, a park, a department, a team): the unit's writers and the bureaus above write
it. Its `county` follows the unit (org.departments.home_county). The duplicate and status rules are in rules.py.

Linking work (a trip, a reception, a lead or project) to a target is not a monthly figure: it changes neither the
work's row nor any month's numbers, so a closed month does not refuse it. Only work the actor reads, and work of
the target's own county, can be linked."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.chains.models import Chain
from zhaoshang.core.creditcode import normalize_credit_code
from zhaoshang.core.field_messages import full_clean
from zhaoshang.frontline.models import Reception, Trip
from zhaoshang.industry import rules
from zhaoshang.industry.models import CONTACT_ORDER, ContactStatus, TargetEnterprise
from zhaoshang.industry.tags import join_tags
from zhaoshang.org.departments import home_county
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import editable_unit_ids, readable_unit_ids
from zhaoshang.projects.models import Project

FIELDS = [
    "unit",
    "name",
    "credit_code",
    "headquarters",
    "tags",
    "chain",
    "link",
    "main_products",
    "contact_person",
    "contact_phone",
    "status",
    "note",
]
# What the link services accept, by keyword: (model, the target's relation, what the page calls one)
WORK = {
    "trip": (Trip, "trips", "外出拜访"),
    "reception": (Reception, "receptions", "来访接待"),
    "project": (Project, "projects", "线索或项目"),
}
# Told to a user who does not read the target already in the library: neither its unit nor its record.
HELD_ELSEWHERE = "该企业已在本县区目标企业库中，由其他单位负责对接；如需调整责任单位，请联系主管部门"


def _require_writer(actor, unit: Unit, doing: str) -> None:
    if actor is not None and unit.pk not in editable_unit_ids(actor):
        raise PermissionDenied(f"只能为本单位{doing}")


def duplicate_message(actor, existing: TargetEnterprise) -> str:
    """The refusal of a duplicate: the owner named to whoever reads the existing target (its own unit's users, the
    bureaus above, a command), only "another unit" to anyone else."""
    if actor is None or existing.unit_id in readable_unit_ids(actor):
        return f"该企业已在本县区目标企业库中（责任单位：{existing.unit.name}），请勿重复录入"
    return HELD_ELSEWHERE


def snapshot(target: TargetEnterprise) -> dict:
    return {f: getattr(target, f"{f}_id" if f in ("unit", "chain", "link") else f) for f in FIELDS}


def _normalise(target: TargetEnterprise) -> None:
    target.name = rules.canonical_name(target.name)
    target.credit_code = normalize_credit_code(target.credit_code)
    for field in ("headquarters", "main_products", "contact_person", "contact_phone"):
        setattr(target, field, (getattr(target, field) or "").strip())
    if isinstance(target.tags, (list, tuple, set)):
        target.tags = join_tags(target.tags)


def _check_chain(target: TargetEnterprise) -> None:
    """The chain must be one the owner unit may point at (its county's or the city's, in use); a link must be one
    of that chain's (a link without a chain takes the link's chain)."""
    if target.link_id and not target.chain_id:
        target.chain = target.link.chain
    if target.chain_id and not Chain.objects.usable_for(target.unit).filter(pk=target.chain_id).exists():
        raise ValidationError({"chain": f"产业链“{target.chain.name}”不是{target.unit.name}可选的产业链"})
    if target.link_id and target.link.chain_id != target.chain_id:
        raise ValidationError({"link": f"环节“{target.link.name}”不属于产业链“{target.chain.name}”"})


def _check_status(target: TargetEnterprise) -> None:
    floor = rules.floor_of(target)
    if rules.rank(target.status) < rules.rank(floor):
        raise ValidationError(
            {"status": f"已关联的拜访、接待或项目表明对接状态至少为“{floor}”，不能改为“{target.status}”"}
        )


@transaction.atomic
def target_save(
    *, actor, target: TargetEnterprise | None = None, values: dict, source: str = Source.PAGE
) -> TargetEnterprise:
    """Create a target (target None) or change one: `values` by field name (tags as a list or the column's text)."""
    creating = target is None or target.pk is None
    target = TargetEnterprise() if target is None else target
    if not creating:
        target = TargetEnterprise.objects.select_for_update().select_related("unit").get(pk=target.pk)
        _require_writer(actor, target.unit, "修改目标企业")
    before = {} if creating else snapshot(target)
    for field in FIELDS:
        if field in values:
            setattr(target, field, values[field])
    if target.unit_id is None:
        raise ValidationError({"unit": "请选择责任单位"})
    _require_writer(actor, target.unit, "录入目标企业")
    if not target.status:
        target.status = ContactStatus.NONE
    _normalise(target)
    if not target.name:
        raise ValidationError({"name": "请填写企业名称"})
    target.county = home_county(target.unit)
    _check_chain(target)
    full_clean(target, exclude=["author", "county"], validate_constraints=False)
    existing = rules.find_duplicate(target.county_id, target.name, target.credit_code, exclude_pk=target.pk)
    if existing is not None:
        field = "credit_code" if target.credit_code and existing.credit_code == target.credit_code else "name"
        raise ValidationError({field: duplicate_message(actor, existing)})
    _check_status(target)
    if creating and getattr(actor, "pk", None):
        target.author = actor
    changes = diff(before, snapshot(target))
    if not creating and not changes:
        return target
    target.save()
    record(
        actor, action=f"enterprise.{'created' if creating else 'updated'}", target=target, source=source, data=changes
    )
    return target


@transaction.atomic
def target_delete(*, actor, target: TargetEnterprise, source: str = Source.PAGE) -> None:
    _require_writer(actor, target.unit, "删除目标企业")
    record(actor, action="enterprise.deleted", target=target, source=source, data={"deleted": target.name})
    target.delete()


def readable_work(actor, kind: str):
    """The work of a kind the actor may link: what it reads (everything for a command)."""
    model = WORK[kind][0]
    return model.objects.all() if actor is None else model.objects.readable_by(actor)


def _work_unit(obj) -> Unit:
    return obj.responsible_unit if isinstance(obj, Project) else obj.unit


def _raise_status(actor, target: TargetEnterprise, source: str) -> None:
    floor = rules.floor_of(target)
    if rules.rank(floor) > rules.rank(target.status):
        old, target.status = target.status, floor
        target.save(update_fields=["status", "updated_at"])
        record(actor, action="enterprise.status_raised", target=target, source=source, data={"status": [old, floor]})


@transaction.atomic
def target_link(*, actor, target: TargetEnterprise, kind: str, pk, source: str = Source.PAGE) -> object:
    """Link one trip, reception or lead/project to the target, and raise its status to what the work shows."""
    if kind not in WORK:
        raise ValidationError("请选择要关联的工作类型")
    model, relation, what = WORK[kind]
    target = TargetEnterprise.objects.select_for_update().select_related("unit", "county").get(pk=target.pk)
    _require_writer(actor, target.unit, "关联目标企业的对接工作")
    unit_field = "responsible_unit" if model is Project else "unit"
    obj = readable_work(actor, kind).select_related(unit_field).filter(pk=pk).first()
    # Another county's work is refused as if it did not exist: a county's target is worked by its own units.
    if not obj or not _work_unit(obj).path.startswith(target.county.path):
        raise ValidationError(f"只能关联本县区您可查看的{what}")
    if getattr(target, relation).filter(pk=obj.pk).exists():
        return obj
    getattr(target, relation).add(obj)
    record(actor, action=f"enterprise.{kind}_linked", target=target, source=source, data={kind: str(obj)})
    _raise_status(actor, target, source)
    return obj


@transaction.atomic
def target_unlink(*, actor, target: TargetEnterprise, kind: str, pk, source: str = Source.PAGE) -> None:
    """Take a link off (a wrong pick). The status stays as it is: it is never lowered by the work."""
    if kind not in WORK:
        raise ValidationError("请选择要取消关联的工作类型")
    _, relation, what = WORK[kind]
    _require_writer(actor, target.unit, "取消关联")
    obj = getattr(target, relation).filter(pk__in=readable_work(actor, kind).values("pk")).filter(pk=pk).first()
    if obj is None:
        raise ValidationError(f"该{what}未关联此目标企业")
    getattr(target, relation).remove(obj)
    record(actor, action=f"enterprise.{kind}_unlinked", target=target, source=source, data={kind: str(obj)})


def raise_for_project(project: Project) -> int:
    """A linked project that reached a new stage raises its targets' status (never lowers it): called when a
    project is saved (industry/apps.py). Returns how many targets were raised."""
    wanted = rules.status_for_stage(project.stage)
    lower = CONTACT_ORDER[: rules.rank(wanted)]
    raised = 0
    for target in TargetEnterprise.objects.filter(projects=project, status__in=lower).select_related("unit"):
        _raise_status(None, target, Source.SYSTEM)
        raised += 1
    return raised
