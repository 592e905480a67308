"""Key projects behind their year's plan: the bulletin's table, the 调度 material and the dispatch agenda all read
this one list.

Computed in the database (the plans joined to the year's 完成投资, summed, kept where behind 序时, ordered by
completion): a city has thousands of key projects and a document shows the worst N of them with the count of the
rest, so only those N rows ever reach Python."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce

from zhaoshang.core.money import CENT
from zhaoshang.progress.rules import completion_rate, gap_pp, light
from zhaoshang.projects.models import AnnualPlan, MonthlyInvestment

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))


@dataclass
class Behind:
    rows: list[dict]  # the worst `limit`, worst first
    total: int  # how many are behind in all


def _num(value):
    """As the bulletin's snapshot keeps figures: decimals as strings, exact to the cent, ratios unrounded."""
    if value is None:
        return None
    cents = value.quantize(CENT)
    return str(cents if cents == value else value)


def _behind_plans(root, month: date, schedule: Decimal):
    """The year's plans of the subtree's key projects whose 完成投资 January..month is below plan × 序时, with
    `done` summed, worst (lowest completion) first. 序时 as a fraction (11/12, not 0.91666…67), so a project exactly
    on schedule is not counted behind, as rules.gap_pp has it."""
    ratio = Fraction(schedule).limit_denominator(10**6)
    # The year's 完成投资 of each plan's project as a subquery on the (project, month) index: summed before it
    # meets the plan, not by joining every month of every year to the plans and the projects' wide rows and
    # grouping them back (at a city's 8.7k key projects that join and its GROUP BY were two thirds of the time).
    year_sum = (
        MonthlyInvestment.objects.filter(
            project_id=OuterRef("project_id"), month__gte=date(month.year, 1, 1), month__lte=month
        )
        .order_by()
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    done = Coalesce(Subquery(year_sum, output_field=ZERO.output_field), ZERO)
    decimal = DecimalField(max_digits=30, decimal_places=10)
    return (
        AnnualPlan.objects.under(root)
        .filter(year=month.year, amount__gt=0)
        .exclude(project__key_level="")
        .annotate(done=done)
        .annotate(
            done_scaled=ExpressionWrapper(F("done") * ratio.denominator, output_field=decimal),
            plan_scaled=ExpressionWrapper(F("amount") * ratio.numerator, output_field=decimal),
            # for the order only; × 1.0 so that SQLite divides two whole amounts as reals, not integers
            share=ExpressionWrapper(F("done") * Value(1.0) / F("amount"), output_field=FloatField()),
        )
        .filter(done_scaled__lt=F("plan_scaled"))
        .order_by("share", "project__code")
    )


def _row(plan, schedule: Decimal) -> dict:
    project = plan.project
    rate = completion_rate(plan.done, plan.amount)
    gap = gap_pp(rate, schedule)
    return {
        "project_id": project.pk,  # so a 调度 agenda item names its project (coordination.meetings)
        "code": project.code,
        "name": project.name,
        "unit": project.responsible_unit.name,
        "level": project.key_level,
        "leader": project.leader_in_charge,
        "plan": _num(plan.amount),
        "done": _num(plan.done),
        "completion_rate": _num(rate),
        "schedule_gap_pp": _num(gap),
        "light": light(gap),
    }


def worst_behind(root, month: date, schedule: Decimal, limit: int) -> Behind:
    """The `limit` key projects furthest behind, and how many are behind in all: one query at any scale. Each
    row carries COUNT(*) OVER (), which the database computes after the HAVING and before the LIMIT, so it is the
    count of every plan behind (SQLite 3.25+ and PostgreSQL have window functions)."""
    if limit <= 0:
        return Behind([], _behind_plans(root, month, schedule).count())
    plans = _behind_plans(root, month, schedule).annotate(behind_total=Window(Count("*")))
    found = list(plans.select_related("project__responsible_unit")[:limit])
    return Behind([_row(p, schedule) for p in found], found[0].behind_total if found else 0)


def key_projects_behind(root, month: date, schedule: Decimal) -> list[dict]:
    """Every key project of the subtree behind its year's plan's 序时进度, worst first: the Excel 附表's full list
    (and the figures' recomputation). A page or a document shows worst_behind's N instead."""
    plans = _behind_plans(root, month, schedule).select_related("project__responsible_unit")
    return [_row(p, schedule) for p in plans.iterator(chunk_size=2000)]
