"""Writes of monthly figures: 到位资金, 年度计划投资 and 完成投资, one cell at a time or a whole grid."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.service import record
from zhaoshang.core.money import CENT
from zhaoshang.core.periods import current_month, month_start
from zhaoshang.progress import totals
from zhaoshang.projects.locks import lock_projects
from zhaoshang.projects.models import AnnualPlan, MonthlyFunds, MonthlyInvestment, Project
from zhaoshang.reporting.locks import ensure_month_open

_MONTHLY = {"funds": (MonthlyFunds, "funds.set"), "investment": (MonthlyInvestment, "investment.set")}


def _check_month(month: date) -> date:
    month = month_start(month)
    if month > current_month():
        raise ValidationError({"month": "不能填报未来月份的数据"})
    ensure_month_open(month)
    return month


def _normalise(amount: Decimal | None) -> Decimal | None:
    """Amounts are kept with two decimals; more precision than that is refused rather than rounded away."""
    if amount is None:
        return None
    if amount < 0:
        raise ValidationError({"amount": "金额不能为负数"})
    if amount != amount.quantize(CENT):
        raise ValidationError({"amount": "金额最多保留两位小数"})
    return amount.quantize(CENT)


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
    month = _check_month(month)
    if kind == "investment" and not project.key_level:
        raise ValidationError({"amount": f"{project.code} 不是重点项目，不填报完成投资"})
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


def monthly_funds_set(
    *, actor, project: Project, month: date, amount: Decimal | None, source: str = Source.PAGE
) -> bool:
    with transaction.atomic():
        lock_projects([project.pk])
        changed = _set_monthly("funds", actor=actor, project=project, month=month, amount=amount, source=source)
        totals.refresh(totals.Keys(units={(project.responsible_unit_id, month_start(month))}))
        return changed


def monthly_investment_set(
    *, actor, project: Project, month: date, amount: Decimal | None, source: str = Source.PAGE
) -> bool:
    with transaction.atomic():
        lock_projects([project.pk])
        changed = _set_monthly("investment", actor=actor, project=project, month=month, amount=amount, source=source)
        totals.refresh(totals.Keys(units={(project.responsible_unit_id, month_start(month))}))
        return changed


def annual_plan_set(*, actor, project: Project, year: int, amount: Decimal | None, source: str = Source.PAGE) -> bool:
    """A key project's 年度计划投资. Once December of the year is closed, the year's plan is locked too."""
    with transaction.atomic():
        lock_projects([project.pk])
        changed = _set_plan(actor=actor, project=project, year=year, amount=amount, source=source)
        totals.refresh(totals.Keys(units={(project.responsible_unit_id, date(year, 1, 1))}))
        return changed


def _set_plan(*, actor, project: Project, year: int, amount: Decimal | None, source: str) -> bool:
    if not project.key_level:
        raise ValidationError({"amount": f"{project.code} 不是重点项目，不填报年度计划投资"})
    ensure_month_open(date(year, 12, 1))
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


@dataclass
class GridEntry:
    """One row of the monthly grid as the user left it. None means an empty cell."""

    project: Project
    funds: Decimal | None
    plan: Decimal | None = None
    investment: Decimal | None = None


@transaction.atomic
def monthly_grid_save(*, actor, month: date, entries: list[GridEntry], source: str = Source.PAGE) -> int:
    """Save a unit's whole month at once: all cells or none. Returns the number of cells changed."""
    month = _check_month(month)
    lock_projects(entry.project.pk for entry in entries)
    changed = 0
    for entry in entries:
        changed += _set_monthly(
            "funds", actor=actor, project=entry.project, month=month, amount=entry.funds, source=source
        )
        if entry.project.key_level:
            changed += _set_plan(actor=actor, project=entry.project, year=month.year, amount=entry.plan, source=source)
            changed += _set_monthly(
                "investment", actor=actor, project=entry.project, month=month, amount=entry.investment, source=source
            )
    units = {entry.project.responsible_unit_id for entry in entries}
    totals.refresh(totals.Keys(units={(u, m) for u in units for m in (month, date(month.year, 1, 1))}))
    return changed
