"""Running the rules and the writes on flags. Every write is audited in its own transaction.

run(): raises the flags the rules find, brings a 已更正 flag whose condition came back to 待说明, refreshes the
figures of those still raised, and marks 已更正 the 待说明 flags of the same scope whose condition is gone. 已说明
and 已关闭 flags are kept as they are: a unit's explanation and the bureau's decision stand.

run_for_projects(): the run after a write (hooks.py, the importer): only what the touched projects can change —
the project rules on those projects, the unit-wide rules on their units, rule 6 on their credit codes."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django_tasks import task

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.org import versions
from zhaoshang.org.models import Unit
from zhaoshang.org.ownership import manages
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin
from zhaoshang.projects.models import Project
from zhaoshang.quality import rules, thresholds
from zhaoshang.quality.models import Flag, FlagStatus, Rule, RuleSetting

UNIT_RULES = {Rule.PERIOD_END, Rule.ROUND_AMOUNTS}
TEXT_MAX = 500
CHUNK = 2000  # projects a run after a write judges at once


@dataclass
class RunResult:
    raised: int = 0
    reopened: int = 0
    corrected: int = 0


def _existing(scope: rules.Scope, enabled: list[str]):
    """The flags a run over `scope` answers for: of its rules and its projects / units / credit codes."""
    rows = Flag.objects.filter(rule__in=enabled, unit__in=Unit.objects.under(scope.root))
    if scope.project_ids is None:
        return rows
    project_rules = [r for r in enabled if r not in UNIT_RULES and r != Rule.SAME_INVESTOR]
    wanted = Q(rule__in=project_rules, project_id__in=scope.project_ids)
    wanted |= Q(rule__in=[r for r in enabled if r in UNIT_RULES], unit_id__in=scope.unit_ids or [])
    wanted |= Q(rule=Rule.SAME_INVESTOR) & (
        Q(project_id__in=scope.project_ids) | Q(project__credit_code__in=scope.codes or [])
    )
    return rows.filter(wanted)


def _follow_projects(scope: rules.Scope) -> set[int]:
    """A project's flags belong to its unit of now, whatever their status: a project handed to another unit takes
    its 已说明, 已关闭 and 已更正 flags too (the rules no longer raise those, so nothing else would move them), and the
    unit it left no longer reads them. Returns the units left and joined (their cached pages move on)."""
    stale = Flag.objects.filter(project__in=scope.projects().values("pk")).exclude(
        unit_id=F("project__responsible_unit_id")
    )
    moved = set(stale.values_list("unit_id", "project__responsible_unit_id"))
    if not moved:
        return set()
    owner = Project.objects.filter(pk=OuterRef("project_id")).values("responsible_unit_id")[:1]
    Flag.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).update(unit_id=Subquery(owner))
    return {unit for pair in moved for unit in pair}


@transaction.atomic
def run_scope(scope: rules.Scope, *, source: str = Source.SYSTEM) -> RunResult:
    settings = thresholds.settings_for(scope.root)
    enabled = [rule for rule, setting in settings.items() if setting.enabled]
    findings: dict[str, rules.Finding] = {}
    for rule in enabled:
        for finding in rules.CHECKS[rule](scope, settings[rule]):
            findings.setdefault(finding.key, finding)
    moved = _follow_projects(scope)
    # Locked (its own rows only, not the joined projects') so two runs over one project take turns.
    existing = {flag.key: flag for flag in _existing(scope, enabled).select_for_update(of=("self",))}
    # A flag of the scope may sit outside `_existing`'s filter (a project moved to another unit): its key is unique.
    missing = set(findings) - set(existing)
    if missing:
        existing.update({f.key: f for f in Flag.objects.filter(key__in=missing).select_for_update(of=("self",))})
    result, now, changed = RunResult(), timezone.now(), []
    new = []
    for key, finding in findings.items():
        flag = existing.get(key)
        if flag is None:
            new.append(
                Flag(
                    rule=finding.rule,
                    key=key,
                    unit_id=finding.unit_id,
                    project_id=finding.project_id,
                    month=finding.month,
                    detail=finding.detail[:TEXT_MAX],
                )
            )
            continue
        dirty = flag.detail != finding.detail[:TEXT_MAX] or flag.unit_id != finding.unit_id
        flag.detail, flag.unit_id = finding.detail[:TEXT_MAX], finding.unit_id
        if flag.status == FlagStatus.CORRECTED:
            flag.status, dirty = FlagStatus.OPEN, True
            result.reopened += 1
        if dirty:
            flag.updated_at = now
            changed.append(flag)
    for key, flag in existing.items():
        if key not in findings and flag.status == FlagStatus.OPEN:
            flag.status, flag.updated_at = FlagStatus.CORRECTED, now
            changed.append(flag)
            result.corrected += 1
    # A run committing the same new flag meanwhile (two writes of one project at once) has raised it already.
    Flag.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    Flag.objects.bulk_update(changed, ["detail", "unit", "status", "updated_at"], batch_size=500)
    result.raised = len(new)
    if new or changed or moved:  # bulk writes send no signals: the cached pages listing flags (点评 material) move on
        versions.touch(*{flag.unit_id for flag in [*new, *changed]}, *moved)
    if result.raised or result.reopened or result.corrected:
        record(
            None,
            action="quality.run",
            unit=scope.root,
            data={"raised": result.raised, "reopened": result.reopened, "corrected": result.corrected},
            source=source,
        )
    return result


@task()
def run_install(root_id: int) -> None:
    """The whole install judged again after its thresholds changed: in the background (the database backend's
    worker, `manage.py db_worker`; at once on SQLite's immediate backend), as a city's every project is too many
    for the request that saved the settings."""
    root = Unit.objects.filter(pk=root_id, parent=None).first()
    if root is not None:
        run(root=root)


def run(*, root: Unit | None = None, source: str = Source.SYSTEM) -> RunResult:
    """Every rule over every project of `root`'s install (every install's root when None): the nightly run."""
    roots = [root] if root is not None else list(Unit.objects.filter(parent=None))
    total = RunResult()
    for each in roots:
        got = run_scope(rules.Scope(root=each), source=source)
        _add(total, got)
    return total


def _add(total: RunResult, got: RunResult) -> None:
    total.raised += got.raised
    total.reopened += got.reopened
    total.corrected += got.corrected


def run_for_projects(project_ids, *, source: str = Source.SYSTEM) -> RunResult:
    """The run after a write touching these projects (removed ones are simply not found; their flags went with
    them). A big import's projects are judged CHUNK at a time: each run's queries stay small whatever the sheet."""
    ids = sorted({pk for pk in project_ids if pk})
    total = RunResult()
    for start in range(0, len(ids), CHUNK):
        _add(total, _run_projects(ids[start : start + CHUNK], source))
    return total


def _run_projects(ids: list[int], source: str) -> RunResult:
    rows = list(
        Project.objects.filter(pk__in=ids).values_list(
            "pk", "responsible_unit__path", "responsible_unit_id", "credit_code"
        )
    )
    total = RunResult()
    root_of = {pk: int(path.split("/")[1]) for pk, path, _, _ in rows}
    for root in Unit.objects.filter(pk__in=set(root_of.values())):
        mine = [r for r in rows if root_of[r[0]] == root.pk]
        scope = rules.Scope(
            root=root,
            project_ids={r[0] for r in mine},
            unit_ids={r[2] for r in mine},
            codes={r[3] for r in mine if r[3]},
        )
        _add(total, run_scope(scope, source=source))
    return total


# --- A unit's 说明, the bureau's 关闭 -------------------------------------------------------------------------------


def may_explain(user, flag: Flag) -> bool:
    return flag.unit_id in editable_unit_ids(user) and flag.status in (FlagStatus.OPEN, FlagStatus.EXPLAINED)


def may_close(user, flag: Flag) -> bool:
    return is_bureau_admin(user) and manages(user, flag.unit) and flag.status != FlagStatus.CLOSED


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"请填写{what}")
    if len(value) > TEXT_MAX:
        raise ValidationError(f"{what}不能超过{TEXT_MAX}个字")
    return value


@transaction.atomic
def flag_explain(*, actor, flag: Flag, text: str, source: str = Source.PAGE) -> Flag:
    flag = Flag.objects.select_for_update().select_related("unit").get(pk=flag.pk)
    if actor is not None and flag.unit_id not in editable_unit_ids(actor):
        raise PermissionDenied("您不能说明此事项：该单位不在您可填报的范围内")
    if flag.status not in (FlagStatus.OPEN, FlagStatus.EXPLAINED):
        raise ValidationError(f"此事项{flag.get_status_display()}，无需再说明")
    text = _text(text, "情况说明")
    before = {"status": flag.get_status_display(), "explanation": flag.explanation}
    flag.explanation, flag.status = text, FlagStatus.EXPLAINED
    flag.explained_by, flag.explained_at = (actor if getattr(actor, "pk", None) else None), timezone.now()
    flag.save()
    after = {"status": flag.get_status_display(), "explanation": flag.explanation}
    record(actor, action="quality.explained", target=flag, data=diff(before, after), source=source)
    return flag


@transaction.atomic
def flag_close(*, actor, flag: Flag, note: str, source: str = Source.PAGE) -> Flag:
    flag = Flag.objects.select_for_update().select_related("unit").get(pk=flag.pk)
    if actor is not None and not (is_bureau_admin(actor) and manages(actor, flag.unit)):
        raise PermissionDenied("只有主管部门管理员可以关闭数据质量事项")
    if flag.status == FlagStatus.CLOSED:
        raise ValidationError("此事项已关闭")
    note = _text(note, "关闭意见")
    before = {"status": flag.get_status_display()}
    flag.close_note, flag.status = note, FlagStatus.CLOSED
    flag.closed_by, flag.closed_at = (actor if getattr(actor, "pk", None) else None), timezone.now()
    flag.save()
    record(
        actor,
        action="quality.closed",
        target=flag,
        data={**diff(before, {"status": flag.get_status_display()}), "note": note},
        source=source,
    )
    return flag


# --- Settings --------------------------------------------------------------------------------------------------------


def check_values(rule: str, values: dict) -> dict:
    """The values a rule reads, each within its limits; a Chinese message per wrong one."""
    spec, errors, clean = thresholds.RULES[rule], {}, {"enabled": bool(values.get("enabled"))}
    for name in ("ratio", "count", "amount"):
        knob = getattr(spec, name)
        if knob is None:
            clean[name] = None
            continue
        value = values.get(name)
        if value is None or value == "":
            errors[name] = f"请填写{knob.label}"
        elif not knob.low <= value <= knob.high:
            errors[name] = f"{knob.label}应在{knob.low}至{knob.high}{knob.unit}之间"
        else:
            clean[name] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def settings_save(*, actor, root: Unit, values: dict[str, dict], source: str = Source.PAGE) -> list[str]:
    """Save each rule's {enabled, ratio, count, amount}; returns the rules that changed. The root's bureau only."""
    if actor is not None and not (manages(actor, root) and root.parent_id is None):
        raise PermissionDenied("只有全域主管部门管理员可以设置数据质量规则")
    current = thresholds.settings_for(root)
    changed = []
    for rule, given in values.items():
        clean = check_values(rule, given)
        old = current[rule]
        before = {"enabled": old.enabled, "ratio": old.ratio, "count": old.count, "amount": old.amount}
        changes = diff(before, clean)
        if not changes:
            continue
        row, _ = RuleSetting.objects.get_or_create(root=root, rule=rule)
        for name, value in clean.items():
            setattr(row, name, value)
        row.save()
        record(actor, action="quality.setting_changed", target=row, data=changes, source=source)
        changed.append(rule)
    return changed
