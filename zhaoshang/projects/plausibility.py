"""Figures that are possible but unlikely, asked about before they are saved rather than refused.

A project's 到位资金 summed over all its months above its 协议资金 (or, for a domestic project, above its 计划总投资),
its 完成投资 summed above its 计划总投资, or one year's 年度计划投资 above it, is almost always a typing slip: an
extra zero, 元 typed where 万元 is meant. It can also be true (a capital increase not yet entered), so the
product does not refuse it: the monthly grid asks the user to confirm the two numbers (a second submit), and an
import's preview lists such rows as warnings beside its counts. A foreign project's funds are in 万美元 and its
计划总投资 in 万元: those two are not compared."""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from zhaoshang.core.money import format_amount
from zhaoshang.projects.models import FundingType, MonthlyFunds, MonthlyInvestment, Project


@dataclass(frozen=True)
class Totals:
    """A project's figures as they would stand after the save; None where the save does not touch them."""

    funds: Decimal | None = None  # 到位资金, all months
    investment: Decimal | None = None  # 完成投资, all months
    plan: Decimal | None = None  # one year's 年度计划投资
    year: int | None = None


def unusual_figures(project: Project, totals: Totals) -> list[str]:
    """What is unlikely about these totals of this project, each naming both numbers. Pure: no database."""
    found = []
    unit = project.amount_unit
    contract, planned = project.contract_amount, project.planned_total
    if totals.funds is not None:
        if contract and totals.funds > contract:
            found.append(
                f"累计到位资金 {format_amount(totals.funds)}{unit} 超过协议资金 {format_amount(contract)}{unit}"
            )
        if planned and project.funding_type == FundingType.DOMESTIC and totals.funds > planned:
            found.append(f"累计到位资金 {format_amount(totals.funds)}万元 超过计划总投资 {format_amount(planned)}万元")
    if totals.investment is not None and planned and totals.investment > planned:
        found.append(f"累计完成投资 {format_amount(totals.investment)}万元 超过计划总投资 {format_amount(planned)}万元")
    if totals.plan is not None and planned and totals.plan > planned:
        found.append(
            f"{totals.year}年计划投资 {format_amount(totals.plan)}万元 超过计划总投资 {format_amount(planned)}万元"
        )
    return found


def describe(project: Project, found: list[str]) -> str:
    return f"{project.code} {project.name}：{'；'.join(found)}，请核对"


def confirmation_key(warnings: list[str]) -> str:
    """What the confirm button posts back: the save goes ahead only for the very warnings the user was shown
    (figures typed differently since are asked about again)."""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16]


def other_months(model, project_ids, months: set[date]) -> dict[int, Decimal]:
    """{project id: the sum of its rows outside `months`}: what a save of those months adds to."""
    rows = (
        model.objects.filter(project_id__in=project_ids)
        .exclude(month__in=months)
        .values("project_id")
        .annotate(total=Sum("amount"))
    )
    return {row["project_id"]: row["total"] for row in rows}


def grid_warnings(month: date, entries) -> list[str]:
    """For the monthly grid (projects.figures.GridEntry): one line per project whose changed cells make an
    unlikely figure. Two queries whatever the number of rows."""
    changed = {column for entry in entries for column in entry.cells}
    ids = [entry.project.pk for entry in entries]
    funds = other_months(MonthlyFunds, ids, {month}) if "funds" in changed else {}
    investment = other_months(MonthlyInvestment, ids, {month}) if "investment" in changed else {}
    warnings = []
    for entry in entries:
        project, cells = entry.project, entry.cells
        totals = Totals(
            funds=_plus(funds.get(project.pk), cells["funds"].value) if "funds" in cells else None,
            investment=_plus(investment.get(project.pk), cells["investment"].value) if "investment" in cells else None,
            plan=cells["plan"].value if "plan" in cells else None,
            year=month.year,
        )
        found = unusual_figures(project, totals)
        if found:
            warnings.append(describe(project, found))
    return warnings


def _plus(stored: Decimal | None, value: Decimal | None) -> Decimal | None:
    if value is None:  # a cell cleared: nothing new to question
        return None
    return (stored or Decimal(0)) + value
