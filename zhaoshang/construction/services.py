"""Writes to the approval steps. Each function checks the actor's rights, validates everything first, writes in
one transaction and audits every change (approval.created / approval.updated / approval.deleted)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError, Q

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.construction import rights, rules
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.periods import today
from zhaoshang.org.departments import departments_serving, serves
from zhaoshang.org.models import Unit
from zhaoshang.projects.locks import lock_projects

FIELDS = ["name", "sort_order", "department", "planned_on", "filed_on", "done_on", "note"]


def _snapshot(step: ApprovalStep) -> dict:
    values = {field: getattr(step, field) for field in FIELDS}
    values["department"] = step.department.name if step.department_id else None
    return values


def _audit(actor, action: str, step: ApprovalStep, data: dict, source: str) -> None:
    record(actor, action=action, target=step, data=data, unit=step.project.responsible_unit, source=source)


def _require_manage(actor, project) -> None:
    if not rights.can_manage(actor, project):
        raise PermissionDenied("只有项目责任单位和主管部门可以增删或安排前期手续")


def _clean_values(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in FIELDS}
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
    if "note" in values:
        values["note"] = (values["note"] or "").strip()
    return values


def _check(actor, step: ApprovalStep, values: dict, taken_names: set[str]) -> dict[str, list[str]]:
    """Rights and validity of `values` applied to `step`; {field: [message]} (empty when all is well)."""
    if step.pk:
        allowed = rights.step_rights(actor, step)
    else:
        allowed = rights.MANAGE if rights.can_manage(actor, step.project) else None
    changed = {f for f, v in values.items() if getattr(step, f) != v}
    if allowed is None or (allowed == rights.APPROVE and changed - rights.APPROVER_FIELDS):
        raise PermissionDenied("办理部门只能填写本部门手续的申报日期、办结日期和备注")
    after = {**{f: getattr(step, f) for f in FIELDS}, **values}
    department = after["department"]
    found = rules.errors(after, today=today(), department_kind=department.kind if department else None)
    if "department" in values and department and "department" not in found:
        if not serves(department, step.project.responsible_unit):
            found["department"] = f"{department.name}不是本项目所在县区（市）的部门"
    if "name" not in found and after["name"] in taken_names:
        found["name"] = f"本项目已有“{after['name']}”"
    return {field: [message] for field, message in found.items()}


def _write(actor, step: ApprovalStep, values: dict, source: str) -> dict:
    is_new = step.pk is None
    before = {} if is_new else _snapshot(step)
    for field, value in values.items():
        setattr(step, field, value)
    after = _snapshot(step)
    changes = diff(before, after) if not is_new else {k: [None, v] for k, v in after.items() if v not in (None, "")}
    if not changes:
        return {}
    step.save()
    _audit(actor, "approval.created" if is_new else "approval.updated", step, changes, source)
    return changes


def _lock_steps_of(project) -> None:
    """Serialise the writers adding steps to one project: two people clicking 生成标准步骤 at once (or adding
    the same custom step) would otherwise both find the name free and one would hit the unique constraint."""
    lock_projects([project.pk])


def _names(project, excluding: ApprovalStep | None = None) -> set[str]:
    steps = ApprovalStep.objects.filter(project=project)
    if excluding is not None and excluding.pk:
        steps = steps.exclude(pk=excluding.pk)
    return set(steps.values_list("name", flat=True))


def _nearest(path: str, units: list[Unit]) -> Unit | None:
    """The unit sharing the longest stretch of the tree with `path`: in a city-wide install every county has its
    own 自然资源局, and a project's steps go to its own county's."""

    def shared(unit):
        return len(_common_prefix(path.split("/"), unit.path.split("/")))

    return max(units, key=lambda u: (shared(u), -u.sort_order, -u.pk), default=None)


def _common_prefix(a: list[str], b: list[str]) -> list[str]:
    prefix = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix.append(x)
    return prefix


@transaction.atomic
def approval_steps_init(*, actor, project, source: str = Source.PAGE) -> list[ApprovalStep]:
    """Add the seven standard steps the project does not have yet, each with its usual department."""
    _require_manage(actor, project)
    _lock_steps_of(project)
    existing = _names(project)
    usual = Q()
    for fragment in set(rules.USUAL_DEPARTMENTS.values()):
        usual |= Q(name__contains=fragment)
    departments = list(departments_serving(project.responsible_unit).filter(usual))
    created = []
    for name in rules.STANDARD_STEPS:
        if name in existing:
            continue
        fragment = rules.USUAL_DEPARTMENTS[name]
        department = _nearest(project.responsible_unit.path, [d for d in departments if fragment in d.name])
        step = ApprovalStep(project=project, name=name, sort_order=rules.STANDARD_ORDER[name], department=department)
        _write(actor, step, {}, source)
        created.append(step)
    return created


@transaction.atomic
def approval_step_create(*, actor, project, values: dict, source: str = Source.PAGE) -> ApprovalStep:
    """A custom step (e.g. 消防设计审查, 水土保持方案); placed last unless a 顺序 is given."""
    _require_manage(actor, project)
    _lock_steps_of(project)
    values = _clean_values(values)
    if values.get("sort_order") in (None, ""):
        last = ApprovalStep.objects.filter(project=project).aggregate(last=Max("sort_order"))["last"] or 0
        values["sort_order"] = last + 10
    step = ApprovalStep(project=project)
    errors = _check(actor, step, values, _names(project))
    if errors:
        raise ValidationError(errors)
    _write(actor, step, values, source)
    return step


@transaction.atomic
def approval_step_save(*, actor, step: ApprovalStep, values: dict, source: str = Source.PAGE) -> dict:
    """Change one step; returns {field: [old, new]} (empty when nothing changed)."""
    lock_projects([step.project_id])  # before reading the names: a renamed step must not race an added one
    step = (
        ApprovalStep.objects.select_for_update(of=("self",))
        .select_related("project__responsible_unit", "department")
        .get(pk=step.pk)
    )
    values = _clean_values(values)
    errors = _check(actor, step, values, _names(step.project, excluding=step))
    if errors:
        raise ValidationError(errors)
    return _write(actor, step, values, source)


@transaction.atomic
def approval_step_delete(*, actor, step: ApprovalStep, source: str = Source.PAGE) -> None:
    """Only a step nobody has filed yet: one that is not needed (a leased 标准化厂房 needs no 土地出让), or a
    mistyped custom one. A filed or done step is history and stays."""
    step = ApprovalStep.objects.select_related("project__responsible_unit", "department").get(pk=step.pk)
    _require_manage(actor, step.project)
    if step.filed_on or step.done_on:
        raise ValidationError({"delete": f"“{step.name}”已申报或办结，不能删除"})
    _delete(actor, step, source)


def _delete(actor, step: ApprovalStep, source: str) -> None:
    data = {k: [v, None] for k, v in _snapshot(step).items() if v not in (None, "")}
    _audit(actor, "approval.deleted", step, data, source)
    try:
        step.delete()
    except ProtectedError:
        # Other records point at it (an agenda item of a 调度会): it is part of that history now.
        raise ValidationError({"delete": f"“{step.name}”已列入调度会议题，不能删除"}) from None


@dataclass
class StepsInvalid(Exception):
    """Errors of a whole page of steps: {step pk or "new": {field: [messages]}}; nothing was written."""

    errors: dict


@transaction.atomic
def approval_steps_save(
    *,
    actor,
    project,
    updates: dict[int, dict],
    new: dict | None = None,
    delete: set[int] = frozenset(),
    source: str = Source.PAGE,
) -> int:
    """One page of a project's steps: changes to existing steps, at most one new custom step and the steps to
    delete, all checked first and written together (all or none). Returns the number of steps changed."""
    _lock_steps_of(project)  # before reading the names: a new step must not race 生成标准步骤 or another save
    steps = {
        s.pk: s
        for s in ApprovalStep.objects.select_for_update(of=("self",))
        .filter(project=project)
        .select_related("project__responsible_unit", "department")
    }
    unknown = (set(updates) | set(delete)) - set(steps)
    if unknown:
        raise PermissionDenied("手续不属于此项目")
    errors: dict = {}
    for pk in delete:
        _require_manage(actor, project)
        if steps[pk].filed_on or steps[pk].done_on:
            errors[pk] = {"delete": [f"“{steps[pk].name}”已申报或办结，不能删除"]}
    final_names = {pk: s.name for pk, s in steps.items() if pk not in delete}
    cleaned = {pk: _clean_values(values) for pk, values in updates.items() if pk not in delete}
    for pk, values in cleaned.items():
        final_names[pk] = values.get("name", final_names[pk])
    for pk, values in cleaned.items():
        others = {name for other, name in final_names.items() if other != pk}
        found = _check(actor, steps[pk], values, others)
        if found:
            errors.setdefault(pk, {}).update(found)
    new_step = None
    if new:
        new_values = _clean_values(new)
        if new_values.get("sort_order") in (None, ""):
            new_values["sort_order"] = max((s.sort_order for s in steps.values()), default=0) + 10
        new_step = ApprovalStep(project=project)
        found = _check(actor, new_step, new_values, set(final_names.values()))
        if found:
            errors["new"] = found
    if errors:
        raise StepsInvalid(errors)
    changed = 0
    for pk in delete:
        try:
            _delete(actor, steps[pk], source)
        except ValidationError as exc:
            raise StepsInvalid({pk: exc.message_dict}) from None  # the transaction undoes what came before
        changed += 1
    for pk, values in cleaned.items():
        changed += bool(_write(actor, steps[pk], values, source))
    if new_step is not None:
        _write(actor, new_step, new_values, source)
        changed += 1
    return changed
