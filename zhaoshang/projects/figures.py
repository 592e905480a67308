"""Writes of monthly figures: 到位资金, 年度计划投资 and 完成投资, one cell at a time or a whole grid."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.audit.services import record
from zhaoshang.closing.guard import ensure_month_open, ensure_months_open
from zhaoshang.core.errors import Refused
from zhaoshang.core.money import parse_amount
from zhaoshang.core.periods import current_month, month_start
from zhaoshang.projects import rules, totals
from zhaoshang.projects.locks import lock_projects
from zhaoshang.projects.models import AnnualPlan, MonthlyFunds, MonthlyInvestment, Project

_MONTHLY = {"funds": (MonthlyFunds, "funds.set"), "investment": (MonthlyInvestment, "investment.set")}


def _check_month(month: date, *units) -> date:
    month = month_start(month)
    if month > current_month():
        raise ValidationError({"month": "不能填报未来月份的数据"})
    ensure_months_open([month], *units)
    return month


def _lock_and_reread(projects) -> dict[int, Project]:
    """Lock these projects (projects.locks) and read them again, by id. What decides where a figure counts (the
    responsible unit, the key level, the funding type) is taken from this read, not from the objects the caller
    read before waiting for the lock: an edit that moved the project meanwhile has been committed by now."""
    ids = [project.pk for project in projects]
    lock_projects(ids)
    return Project.objects.select_related("responsible_unit").in_bulk(ids)


def _normalise(amount: Decimal | None) -> Decimal | None:
    """Amounts are kept with two decimals; more precision than that is refused rather than rounded away."""
    if amount is None:
        return None
    try:
        return parse_amount(amount, noun="金额")
    except ValueError as exc:
        raise ValidationError({"amount": str(exc)}) from None


def _store(model, lookup: dict, amount: Decimal | None, *, actor, project, action, source, where: dict) -> bool:
    """Create, update or (with None) delete the one row of `model` matching `lookup`, and audit the change with
    `where` (its month or year). True when something changed. The caller holds the project's lock
    (projects.locks), so the row read here is still the row when it is written."""
    row = model.objects.filter(**lookup).first()
    old = row.amount if row else None
    if old == amount:
        return False
    if amount is None:
        row.delete()
    elif row:
        row.amount = amount
        row.save(update_fields=["amount", "updated_at"])
    else:
        model.objects.create(**lookup, amount=amount)
    texts = [None if value is None else str(value) for value in (old, amount)]
    record(
        actor,
        action=action,
        target=project,
        unit=project.responsible_unit,
        source=source,
        data={**where, "amount": texts},
    )
    return True


def _set_monthly(kind: str, *, actor, project: Project, month: date, amount: Decimal | None, source: str) -> bool:
    """Set (or, with None, clear) one project's figure for one month. True when something changed."""
    model, action = _MONTHLY[kind]
    month = _check_month(month, project.responsible_unit)
    if kind == "investment" and (refusal := rules.investment_refusal(project, "完成投资")):
        raise ValidationError({"amount": refusal})
    return _store(
        model,
        {"project": project, "month": month},
        _normalise(amount),
        actor=actor,
        project=project,
        action=action,
        source=source,
        where={"month": f"{month:%Y-%m}"},
    )


def _monthly_set(kind: str, *, actor, project: Project, month: date, amount: Decimal | None, source: str) -> bool:
    """One cell of one project's month in its own transaction: lock the project, write and audit, then refresh
    the totals of its unit's month."""
    with transaction.atomic():
        project = _lock_and_reread([project])[project.pk]
        changed = _set_monthly(kind, actor=actor, project=project, month=month, amount=amount, source=source)
        totals.refresh(totals.Keys(units={(project.responsible_unit_id, month_start(month))}))
        return changed


def monthly_funds_set(
    *, actor, project: Project, month: date, amount: Decimal | None, source: str = Source.PAGE
) -> bool:
    return _monthly_set("funds", actor=actor, project=project, month=month, amount=amount, source=source)


def monthly_investment_set(
    *, actor, project: Project, month: date, amount: Decimal | None, source: str = Source.PAGE
) -> bool:
    return _monthly_set("investment", actor=actor, project=project, month=month, amount=amount, source=source)


def annual_plan_set(*, actor, project: Project, year: int, amount: Decimal | None, source: str = Source.PAGE) -> bool:
    """A signed project's 年度计划投资 (any project, key or not: only the key-project indicators filter on the
    level). Once December of the year is closed, the year's plan is locked too."""
    with transaction.atomic():
        project = _lock_and_reread([project])[project.pk]
        changed = _set_plan(actor=actor, project=project, year=year, amount=amount, source=source)
        totals.refresh(totals.Keys(units={(project.responsible_unit_id, date(year, 1, 1))}))
        return changed


def _set_plan(*, actor, project: Project, year: int, amount: Decimal | None, source: str) -> bool:
    if refusal := rules.investment_refusal(project, "年度计划投资"):
        raise ValidationError({"amount": refusal})
    ensure_month_open(date(year, 12, 1), project.responsible_unit)
    return _store(
        AnnualPlan,
        {"project": project, "year": year},
        _normalise(amount),
        actor=actor,
        project=project,
        action="plan.set",
        source=source,
        where={"year": year},
    )


GRID_COLUMNS = {"funds": "本月到位资金", "plan": "年度计划投资", "investment": "本月完成投资"}
_GRID_ACTIONS = {"funds": "funds.set", "plan": "plan.set", "investment": "investment.set"}


@dataclass
class GridCell:
    """One cell of the monthly grid its user changed: the value the page showed when it was loaded and the value
    typed over it (None: blank)."""

    shown: Decimal | None
    value: Decimal | None


@dataclass
class GridEntry:
    """One row of the monthly grid: only the cells its user changed, by column ("funds", "plan", "investment").
    A cell left as the page showed it is not written, even if someone changed it meanwhile."""

    project: Project
    cells: dict[str, GridCell]


@dataclass
class GridConflict:
    """A cell someone else changed after the page was loaded: what is stored now, and who stored it when (from
    the cell's last audit entry; else the row's own time; else unknown)."""

    project: Project
    column: str
    stored: Decimal | None
    by: str = ""
    source: str = ""
    at: datetime | None = None

    def message(self) -> str:
        unit = self.project.amount_unit if self.column == "funds" else "万元"
        who = self.by + (f"（{Source(self.source).label}）" if self.source and self.source != Source.PAGE else "")
        when = f"于 {timezone.localtime(self.at):%Y-%m-%d %H:%M} " if self.at else ""
        what = "清空" if self.stored is None else f"改为 {self.stored}{unit}"
        by = f"已被 {who} {when}" if who else (f"已{when}被" if when else "已被他人")
        return (
            f"{self.project.code} {self.project.name} {GRID_COLUMNS[self.column]}：打开本页后{by}{what}。"
            "您填写的值仍在表中，核对后再次保存即以您填写的为准"
        )


class GridConflicts(Refused):
    """The grid's save refused because cells were changed meanwhile; `conflicts` says which."""

    def __init__(self, conflicts: list[GridConflict]):
        self.conflicts = conflicts
        super().__init__([conflict.message() for conflict in conflicts])


def _grid_stored(entries: list[GridEntry], month: date) -> dict[tuple[str, int], Decimal]:
    """{(column, project id): amount stored} for the projects of `entries`, read under their locks."""
    ids = [entry.project.pk for entry in entries]
    stored = {}
    for column, model, where in (
        ("funds", MonthlyFunds, {"month": month}),
        ("investment", MonthlyInvestment, {"month": month}),
        ("plan", AnnualPlan, {"year": month.year}),
    ):
        for project_id, amount in model.objects.filter(project_id__in=ids, **where).values_list("project", "amount"):
            stored[column, project_id] = amount
    return stored


def _grid_conflict(project: Project, column: str, month: date, stored: Decimal | None) -> GridConflict:
    where = {"data__year": month.year} if column == "plan" else {"data__month": f"{month:%Y-%m}"}
    entry = (
        AuditEntry.objects.filter(
            target_type=Project._meta.label_lower, target_id=str(project.pk), action=_GRID_ACTIONS[column], **where
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    if entry is not None:
        by = entry.actor.display_name if entry.actor else entry.actor_name
        return GridConflict(project, column, stored, by=by, source=entry.source, at=entry.created_at)
    model, lookup = (AnnualPlan, {"year": month.year}) if column == "plan" else (_MONTHLY[column][0], {"month": month})
    row = model.objects.filter(project=project, **lookup).first()
    return GridConflict(project, column, stored, at=row.updated_at if row else None)


def _set_grid_cell(column: str, *, actor, project: Project, month: date, amount: Decimal | None, source: str) -> bool:
    if column == "plan":
        return _set_plan(actor=actor, project=project, year=month.year, amount=amount, source=source)
    return _set_monthly(column, actor=actor, project=project, month=month, amount=amount, source=source)


@transaction.atomic
def monthly_grid_save(*, actor, month: date, entries: list[GridEntry], source: str = Source.PAGE) -> int:
    """Save the cells a user changed on a unit's month at once: all or none. A cell whose stored value is no
    longer the one the page showed was changed by someone else meanwhile: the whole save is refused
    (GridConflicts) unless the user typed what is stored now. Returns the number of cells changed."""
    month = _check_month(month, *{entry.project.responsible_unit for entry in entries})
    entries = [entry for entry in entries if entry.cells]
    projects = _lock_and_reread(entry.project for entry in entries)
    entries = [GridEntry(projects[entry.project.pk], entry.cells) for entry in entries]
    stored = _grid_stored(entries, month)
    conflicts = [
        _grid_conflict(entry.project, column, month, stored.get((column, entry.project.pk)))
        for entry in entries
        for column, cell in entry.cells.items()
        if stored.get((column, entry.project.pk)) not in (cell.shown, cell.value)
    ]
    if conflicts:
        raise GridConflicts(conflicts)
    changed = 0
    for entry in entries:
        for column, cell in entry.cells.items():
            changed += _set_grid_cell(
                column, actor=actor, project=entry.project, month=month, amount=cell.value, source=source
            )
    units = {entry.project.responsible_unit_id for entry in entries}
    totals.refresh(totals.Keys(units={(u, m) for u in units for m in (month, date(month.year, 1, 1))}))
    return changed
