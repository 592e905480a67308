"""Key projects behind their year's plan: the bulletin's table, the 调度 material and the dispatch agenda all read
this one list."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from zhaoshang.core.money import CENT
from zhaoshang.progress.rules import completion_rate, gap_pp, light
from zhaoshang.projects.models import AnnualPlan, MonthlyInvestment, Project


def _num(value):
    """As the bulletin's snapshot keeps figures: decimals as strings, exact to the cent, ratios unrounded."""
    if value is None:
        return None
    cents = value.quantize(CENT)
    return str(cents if cents == value else value)


def key_projects_behind(root, month: date, schedule: Decimal) -> list[dict]:
    """Key projects of the subtree whose 完成投资 for the year is behind their 年度计划投资's 序时进度, worst first.
    Three queries over the key projects only (a small share of the ledger)."""
    plans = dict(
        AnnualPlan.objects.under(root)
        .filter(year=month.year)
        .exclude(project__key_level="")
        .values_list("project_id", "amount")
    )
    done = dict(
        MonthlyInvestment.objects.filter(
            project_id__in=list(plans), month__gte=date(month.year, 1, 1), month__lte=month
        )
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    )
    rows = []
    for project in Project.objects.filter(pk__in=list(plans)).select_related("responsible_unit"):
        rate = completion_rate(done.get(project.pk) or Decimal(0), plans[project.pk] or None)
        gap = gap_pp(rate, schedule)
        if gap is not None and gap < 0:
            rows.append(
                {
                    "project_id": project.pk,  # so a 调度 agenda item names its project (coordination.meetings)
                    "code": project.code,
                    "name": project.name,
                    "unit": project.responsible_unit.name,
                    "level": project.key_level,
                    "leader": project.leader_in_charge,
                    "plan": _num(plans[project.pk]),
                    "done": _num(done.get(project.pk) or Decimal(0)),
                    "completion_rate": _num(rate),
                    "schedule_gap_pp": _num(gap),
                    "light": light(gap),
                }
            )
    rows.sort(key=lambda r: Decimal(r["schedule_gap_pp"]))
    return rows
