"""Writes to the ledger. Every function validates first, writes in one transaction and audits the change."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.chains.models import Chain
from zhaoshang.closing.guard import ensure_months_open, ensure_project_months_open
from zhaoshang.core.creditcode import normalize_credit_code
from zhaoshang.core.field_messages import full_clean
from zhaoshang.core.periods import month_start, today
from zhaoshang.org import versions
from zhaoshang.org.departments import serves
from zhaoshang.org.models import TEAM_KINDS
from zhaoshang.org.ownership import require_root_bureau
from zhaoshang.projects import rules, totals
from zhaoshang.projects.models import FundingType, Project, Stage, StageChange, UsdRate

# The 项目台账 template's fields, in its order. The stage is set only when a project is created; afterwards it
# moves through project_change_stage, so that each change lands in the history.
LEDGER_FIELDS = [
    "code",
    "name",
    "investor",
    "credit_code",
    "funding_type",
    "responsible_unit",
    "team",
    "leader_in_charge",
    "industry_chain",
    "stage",
    "signed_on",
    "contract_amount",
    "planned_total",
    "started_on",
    "production_on",
    "key_level",
]
# The 产业链 column is the chain (and link) a project points at; `industry_chain` keeps the old free text (the
# sheet's and export's 产业链 column reads and writes both, chains.refs).
CHAIN_FIELDS = ["chain", "chain_link"]
EDITABLE_FIELDS = [field for field in LEDGER_FIELDS if field != "stage"] + CHAIN_FIELDS
AUDITED_FIELDS = EDITABLE_FIELDS + ["stage", "dropped_reason"]
# Fields that feed the per-unit monthly totals: changing one of them refreshes the totals it touched.
FIGURE_FIELDS = {
    "responsible_unit",
    "team",
    "funding_type",
    "contract_amount",
    "signed_on",
    "started_on",
    "production_on",
    "key_level",
    "stage",
}


def usd_rate_for(year: int | None) -> Decimal:
    if year is not None:
        rate = UsdRate.objects.filter(year=year).values_list("rate", flat=True).first()
        if rate is not None:
            return rate
    return Decimal(settings.DEFAULT_USD_RATE)


def _snapshot(project: Project) -> dict:
    values = {field: getattr(project, field) for field in AUDITED_FIELDS}
    values["responsible_unit"] = project.responsible_unit.name if project.responsible_unit_id else None
    values["team"] = project.team.name if project.team_id else None
    values["chain"] = project.chain.name if project.chain_id else None
    values["chain_link"] = project.chain_link.name if project.chain_link_id else None
    return values


def project_snapshot(project: Project) -> dict:
    """The audited fields as the audit log keeps them (units by name)."""
    return _snapshot(project)


def _refresh_derived(project: Project) -> None:
    project.credit_code = normalize_credit_code(project.credit_code)
    project.first_signed_month = month_start(project.signed_on) if project.signed_on else None
    year = project.signed_on.year if project.signed_on else today().year
    project.is_major = rules.is_major(project.funding_type, project.contract_amount, usd_rate_for(year))


def chain_errors(project: Project) -> dict[str, str]:
    """The chain must be one the responsible unit may use (its county's or one above, active), and the link one
    of that chain's. Asked when the chain, link or unit changes: a chain set 停用 later stays on its projects."""
    errors = {}
    if project.chain_link_id and not project.chain_id:
        errors["chain_link"] = "选择环节前请先选择产业链"
    elif project.chain_link_id and project.chain_link.chain_id != project.chain_id:
        errors["chain_link"] = f"环节“{project.chain_link.name}”不属于产业链“{project.chain.name}”"
    if project.chain_id and project.responsible_unit_id:
        if not Chain.objects.usable_for(project.responsible_unit).filter(pk=project.chain_id).exists():
            errors["chain"] = f"产业链“{project.chain.name}”不是{project.responsible_unit.name}可选用的产业链"
    return errors


def _validate(project: Project, *, check_chain: bool = False) -> None:
    """Field checks, stage/date consistency and the duplicate rule, reported together."""
    errors: dict[str, list[str]] = {}
    if check_chain:
        for field, message in chain_errors(project).items():
            errors.setdefault(field, []).append(message)
    try:
        full_clean(project, validate_unique=True, validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    values = {field: getattr(project, field) for field in AUDITED_FIELDS}
    for field, message in rules.consistency_errors(values, today=today()).items():
        errors.setdefault(field, []).append(message)
    if project.team_id and project.team.kind not in TEAM_KINDS:
        errors.setdefault("team", []).append("招商小分队须选择类型为“招商小分队”的单位")
    elif project.team_id and project.responsible_unit_id and not serves(project.team, project.responsible_unit):
        errors.setdefault("team", []).append("只能选择本县（市、区）或上级的招商小分队")
    if project.credit_code and project.name:
        twin = Project.objects.filter(credit_code=project.credit_code, name=project.name).exclude(pk=project.pk).first()
        if twin:
            # Another unit's project is not named: the entering user may not be able to read it.
            same_unit = twin.responsible_unit_id == project.responsible_unit_id
            which = f"已有项目 {twin.code} " if same_unit else "其他单位已有项目"
            errors.setdefault("name", []).append(
                f"与{which}重复（同一投资方统一社会信用代码、同一项目名称），请勿重复录入"
            )
    if errors:
        raise ValidationError(errors)


def _stage_date(project: Project) -> date:
    """The day the project's current stage was reached, as far as its fields tell."""
    by_stage = {
        Stage.SIGNED: project.signed_on,
        Stage.STARTED: project.started_on,
        Stage.PRODUCING: project.production_on,
    }
    return by_stage.get(project.stage) or project.production_on or project.started_on or project.signed_on or today()


@transaction.atomic
def project_create(*, actor, values: dict, source: str = Source.PAGE) -> Project:
    project = Project(**{k: v for k, v in values.items() if k in EDITABLE_FIELDS + ["stage", "dropped_reason"]})
    _refresh_derived(project)
    _validate(project, check_chain=True)
    ensure_months_open(
        rules.months_touched({}, _snapshot(project), project.first_signed_month), project.responsible_unit
    )
    project.save()
    StageChange.objects.create(
        project=project,
        from_stage="",
        to_stage=project.stage,
        changed_on=_stage_date(project),
        actor=actor,
        reason="新建项目",
    )
    totals.refresh(totals.project_keys(project))
    record(
        actor,
        action="project.created",
        target=project,
        source=source,
        data={k: [None, v] for k, v in _snapshot(project).items() if v not in (None, "")},
    )
    return project


@dataclass(frozen=True)
class _Counting:
    """What decides where a project's figures are counted, beyond its dates (rules.months_touched)."""

    unit_id: int | None
    team_id: int | None
    funding_type: str
    key_level: str
    major_month: date | None  # 亿元以上 "signed and started" month (totals.major_started_month)

    @classmethod
    def of(cls, project: Project) -> "_Counting":
        return cls(
            project.responsible_unit_id,
            project.team_id,
            project.funding_type,
            project.key_level,
            totals.major_started_month(project),
        )


def _months_moved(project: Project, old: _Counting, new: _Counting) -> set[date]:
    """The months whose figures an edit moves from one unit, team, funding type or key level to another: every
    month the figures concerned are counted in (a year's plan by its December, when plans lock). A closed one
    among them refuses the edit, as a dated field moved into or out of it does."""
    if old == new:
        return set()
    funds = set(project.monthlyfunds_set.values_list("month", flat=True))
    investment = set(project.monthlyinvestment_set.values_list("month", flat=True))
    plans = {date(year, 12, 1) for year in project.annual_plans.values_list("year", flat=True)}
    dated = {month_start(d) for d in (project.signed_on, project.started_on, project.production_on) if d}
    months: set[date] = set()
    if old.unit_id != new.unit_id:
        months |= dated | funds | investment | plans | {old.major_month, new.major_month}
    if old.team_id != new.team_id:
        months |= {project.first_signed_month}
        # The stage changes a team is credited with, as totals.compute_team_rows counts them: not the row that
        # created the project, not a move to 终止.
        counted = project.stage_changes.exclude(from_stage="").exclude(to_stage=Stage.DROPPED)
        months |= {month_start(d) for d in counted.values_list("changed_on", flat=True)}
    if old.funding_type != new.funding_type:
        months |= funds  # 实际到位内资 becomes 外资 (and the amounts 万元 become 万美元)
    if old.key_level != new.key_level:
        months |= investment | plans  # 完成投资 and 年度计划投资 are counted by level
    if old.major_month != new.major_month:
        months |= {old.major_month, new.major_month}
    return {m for m in months if m}


# The stage whose history row is dated by each date field: correcting the field corrects the row.
STAGE_DATE_FIELDS = {Stage.SIGNED: "signed_on", Stage.STARTED: "started_on", Stage.PRODUCING: "production_on"}
DATE_LABELS = {"signed_on": "签约日期", "started_on": "开工日期", "production_on": "投产日期"}


def _creation_day(stage: str, values: dict) -> date | None:
    """The day the creation row of a project created at `stage` takes from its dates (_stage_date); None for a
    stage whose creation row is dated by the day it was entered (线索, 在谈, or a project without dates)."""
    field = STAGE_DATE_FIELDS.get(stage)
    if field:
        return values.get(field)
    if stage in (Stage.REGISTERED, Stage.DROPPED):
        return values.get("production_on") or values.get("started_on") or values.get("signed_on")
    return None


def _corrected_history(project: Project, before: dict, after: dict) -> list[tuple[StageChange, date, str]]:
    """The stage history rows a correction of 签约/开工/投产日期 moves, as (row, new day, the field corrected): the
    row of the stage the date belongs to, and the creation row dated by it. A history whose order the move would
    reverse (签约 after the 注册 that followed it) is refused, as project_change_stage refuses a date before the
    previous change's. Without this the count moved to the new month while the history kept the old day."""
    corrected = {f for f in DATE_LABELS if before.get(f) != after.get(f) and after.get(f)}
    if not corrected:
        return []
    rows = list(project.stage_changes.order_by("id"))
    moves = []
    for row in rows:
        field = STAGE_DATE_FIELDS.get(row.to_stage)
        if field in corrected:
            day = after[field]
        elif not row.from_stage and _creation_day(row.to_stage, before) == row.changed_on:
            day = _creation_day(row.to_stage, after)
            field = next((f for f in corrected if before.get(f) == row.changed_on), None)
        else:
            continue
        if field and day and day != row.changed_on:
            moves.append((row, day, field))
    days = {row.pk: day for row, day, _ in moves}
    fields = {row.pk: field for row, _, field in moves}
    for earlier, later in zip(rows, rows[1:], strict=False):
        first, second = days.get(earlier.pk, earlier.changed_on), days.get(later.pk, later.changed_on)
        if (earlier.pk in days or later.pk in days) and first > second:
            if later.pk in days:  # the corrected stage would come before the change that preceded it
                field, other, side, day = fields[later.pk], earlier, "早于", first
            else:
                field, other, side, day = fields[earlier.pk], later, "晚于", second
            raise ValidationError(
                {
                    field: f"{DATE_LABELS[field]}不能{side}阶段记录中{'此前' if side == '早于' else '其后'}的"
                    f"“{other.to_stage}”（{day:%Y-%m-%d}），请核对日期"
                }
            )
    return moves


def _correct_history(actor, project: Project, moves, source: str) -> None:
    """Move the history rows in the same transaction as the dates (StageChange refuses a closed month itself, at
    the old day and the new), and audit it as a correction of the history."""
    data = {}
    for row, day, _ in moves:
        data[row.to_stage] = [row.changed_on.isoformat(), day.isoformat()]
        row.changed_on = day
        row.save(update_fields=["changed_on"])
    record(actor, action="project.stage_history_corrected", target=project, source=source, data=data)


@transaction.atomic
def project_update(*, actor, project: Project, values: dict, source: str = Source.PAGE) -> dict:
    """Apply the editable fields in `values`; returns {field: [old, new]} (empty when nothing changed)."""
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("responsible_unit", "team", "chain", "chain_link")
        .get(pk=project.pk)
    )
    before = _snapshot(project)
    before_keys = totals.project_keys(project)
    old_first_signed = project.first_signed_month
    old_counting = _Counting.of(project)
    for field, value in values.items():
        if field in EDITABLE_FIELDS:
            setattr(project, field, value)
    _refresh_derived(project)
    after = _snapshot(project)
    changes = diff(before, after)
    if not changes:
        return {}
    _validate(project, check_chain=bool({"chain", "chain_link", "responsible_unit"} & set(changes)))
    if project.stage == Stage.DROPPED:
        _refuse_dates_beyond_drop(project, changes)
    history = _corrected_history(project, before, after)
    ensure_months_open(
        rules.months_touched(before, after, old_first_signed)
        | rules.months_touched(before, after, project.first_signed_month)
        | _months_moved(project, old_counting, _Counting.of(project)),
        old_counting.unit_id,  # the unit it leaves and the unit it joins: either's closed month refuses the move
        project.responsible_unit_id,
    )
    project.save()
    if (old_counting.unit_id, old_counting.team_id) != (project.responsible_unit_id, project.team_id):
        # The save's own signal moves the version of the units it joins; the pages of the units it leaves showed
        # it too (its problems, approvals, lead deadlines), whether or not it had figures to move.
        versions.touch(old_counting.unit_id, old_counting.team_id)
    record(actor, action="project.updated", target=project, source=source, data=changes)
    if history:
        _correct_history(actor, project, history, source)
    if set(changes) & FIGURE_FIELDS:
        totals.refresh(before_keys | totals.project_keys(project))
    return changes


def _refuse_dates_beyond_drop(project: Project, changes: dict) -> None:
    """Only a date being set now is checked, so an older row with such a date can still have its other fields
    corrected."""
    reached = set(project.stage_changes.values_list("to_stage", flat=True))
    changed = {field: getattr(project, field) for field in changes}
    errors = rules.dates_beyond_drop(changed, reached)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_change_stage(
    *,
    actor,
    project: Project,
    to_stage: str,
    on_date: date,
    reason: str = "",
    contract_amount: Decimal | None = None,
    source: str = Source.PAGE,
) -> StageChange:
    """Move one step forward, or to 终止 with a reason. The date is the day the new stage was reached."""
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("responsible_unit", "team", "chain", "chain_link")
        .get(pk=project.pk)
    )
    reason = (reason or "").strip()
    if to_stage not in rules.allowed_next_stages(project.stage):
        allowed = "、".join(rules.allowed_next_stages(project.stage)) or "无"
        raise ValidationError({"to_stage": f"“{project.stage}”阶段只能变更为：{allowed}"})
    if to_stage == Stage.DROPPED and not reason:
        raise ValidationError({"reason": "终止项目须填写原因"})
    last = project.stage_changes.order_by("-changed_on", "-id").first()
    if on_date > today():
        raise ValidationError({"on_date": "日期不能晚于今天"})
    if last and on_date < last.changed_on:
        raise ValidationError({"on_date": f"日期不能早于上一次阶段变更（{last.changed_on:%Y-%m-%d}）"})

    before = _snapshot(project)
    before_keys = totals.project_keys(project)
    old_first_signed = project.first_signed_month
    from_stage = project.stage
    project.stage = to_stage
    if to_stage == Stage.SIGNED:
        project.signed_on = on_date
        if contract_amount is not None:
            project.contract_amount = contract_amount
    elif to_stage == Stage.STARTED:
        project.started_on = on_date
    elif to_stage == Stage.PRODUCING:
        project.production_on = on_date
    elif to_stage == Stage.DROPPED:
        project.dropped_reason = reason
    _refresh_derived(project)
    _validate(project)
    after = _snapshot(project)
    ensure_months_open(
        {month_start(on_date)} | rules.months_touched(before, after, old_first_signed), project.responsible_unit
    )
    project.save()
    change = StageChange.objects.create(
        project=project, from_stage=from_stage, to_stage=to_stage, changed_on=on_date, actor=actor, reason=reason
    )
    totals.refresh(before_keys | totals.project_keys(project))
    record(
        actor,
        action="project.stage_changed",
        target=project,
        source=source,
        data={**diff(before, after), "stage": [from_stage, to_stage], "on_date": on_date.isoformat(), "reason": reason},
    )
    return change


@transaction.atomic
def usd_rate_set(*, actor, year: int, rate: Decimal, source: str = Source.PAGE) -> int:
    """Set the year's rate and re-derive 亿元以上 for that year's foreign signings; returns how many changed.
    One rate serves the whole install, so only the root's bureau sets it."""
    require_root_bureau(actor, "设置美元汇率")
    if rate <= 0:
        raise ValidationError({"rate": "汇率须大于0"})
    old = UsdRate.objects.filter(year=year).first()
    foreign = Project.objects.filter(funding_type=FundingType.FOREIGN, signed_on__year=year)
    flipped = [p for p in foreign if rules.is_major(p.funding_type, p.contract_amount, rate) != p.is_major]
    # Reclassifying a project changes the 亿元以上 count of its signing month, which may be closed.
    ensure_project_months_open(
        [(p.pk, p.first_signed_month) for p in flipped],
        Project.objects.filter(pk__in=[p.pk for p in flipped]).unit_paths(),
    )
    UsdRate.objects.update_or_create(year=year, defaults={"rate": rate})
    for project in flipped:
        Project.objects.filter(pk=project.pk).update(is_major=not project.is_major)
        project.is_major = not project.is_major
        totals.refresh(totals.project_keys(project))
    changed = len(flipped)
    record(
        actor,
        action="usd_rate.set",
        source=source,
        data={"year": year, "rate": [str(old.rate) if old else None, str(rate)], "projects_reclassified": changed},
    )
    return changed
