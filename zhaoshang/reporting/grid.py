"""The monthly report grid: which projects a unit reports on, their current figures, and parsing what was posted."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from zhaoshang.core.money import MAX_AMOUNT, to_decimal
from zhaoshang.projects.figures import GridEntry
from zhaoshang.projects.models import AnnualPlan, MonthlyFunds, MonthlyInvestment, Project, Stage

NOT_YET_SIGNED = [Stage.LEAD, Stage.NEGOTIATING]


@dataclass
class GridRow:
    project: Project
    funds: Decimal | None = None
    funds_ytd_before: Decimal = Decimal(0)
    plan: Decimal | None = None
    investment: Decimal | None = None
    investment_ytd_before: Decimal = Decimal(0)
    posted: dict = field(default_factory=dict)  # the raw text a user typed, re-shown after an error
    errors: dict = field(default_factory=dict)  # column → message


def grid_projects(unit, month: date):
    """The unit's signed projects, and any other of its projects that already has a figure that month."""
    has_figure = Q(monthlyfunds__month=month) | Q(monthlyinvestment__month=month)
    return (
        Project.objects.filter(responsible_unit=unit)
        .filter(Q(~Q(stage__in=NOT_YET_SIGNED) & ~Q(stage=Stage.DROPPED)) | has_figure)
        .distinct()
        .order_by("code")
    )


def _by_project(model, **filters):
    return dict(model.objects.filter(**filters).values_list("project_id", "amount"))


def _sums(model, ids, month: date):
    rows = (
        model.objects.filter(project_id__in=ids, month__year=month.year, month__lt=month)
        .values("project_id")
        .annotate(total=Sum("amount"))
    )
    return {row["project_id"]: row["total"] for row in rows}


def build_rows(unit, month: date) -> list[GridRow]:
    """Six queries whatever the number of projects."""
    projects = list(grid_projects(unit, month))
    ids = [p.pk for p in projects]
    funds = _by_project(MonthlyFunds, project_id__in=ids, month=month)
    investments = _by_project(MonthlyInvestment, project_id__in=ids, month=month)
    plans = _by_project(AnnualPlan, project_id__in=ids, year=month.year)
    funds_before, investment_before = _sums(MonthlyFunds, ids, month), _sums(MonthlyInvestment, ids, month)
    return [
        GridRow(
            project=p,
            funds=funds.get(p.pk),
            funds_ytd_before=funds_before.get(p.pk, Decimal(0)),
            plan=plans.get(p.pk),
            investment=investments.get(p.pk),
            investment_ytd_before=investment_before.get(p.pk, Decimal(0)),
        )
        for p in projects
    ]


def _parse_amount(text: str) -> Decimal | None:
    text = (text or "").strip()
    if text == "":
        return None
    value = to_decimal(text)
    if value < 0:
        raise ValueError("金额不能为负数")
    if value > MAX_AMOUNT:
        raise ValueError("金额过大")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("最多保留两位小数")
    return value


COLUMNS = {"funds": "本月到位资金", "plan": "年度计划投资", "investment": "本月完成投资"}


def read_post(rows: list[GridRow], post) -> tuple[list[GridEntry], list[str]]:
    """Parse every cell; returns the entries to save and every error as 'code 列名: 原因'."""
    entries, errors = [], []
    for row in rows:
        values = {}
        columns = ["funds"] + (["plan", "investment"] if row.project.key_level else [])
        for column in columns:
            raw = post.get(f"{column}-{row.project.pk}", "")
            row.posted[column] = raw
            try:
                values[column] = _parse_amount(raw)
            except ValueError as exc:
                row.errors[column] = str(exc)
                errors.append(f"{row.project.code} {COLUMNS[column]}: {exc}")
        entries.append(
            GridEntry(
                project=row.project,
                funds=values.get("funds"),
                plan=values.get("plan"),
                investment=values.get("investment"),
            )
        )
    return entries, errors
