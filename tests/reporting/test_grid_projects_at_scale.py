"""Which projects the grid shows, asked with EXISTS (issue 15): the same projects in the same order as the join of
every month of funds with every month of investment made distinct, without that join."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project
from zhaoshang.core.periods import add_months, current_month
from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment, Project, Stage
from zhaoshang.reporting.grid import NOT_YET_SIGNED, grid_projects

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)


def test_it_shows_the_signed_and_those_with_a_figure_that_month_as_before(county):
    b, town = county.bureau, county.town
    lead = {n: make_project(b, town, stage=Stage.LEAD, signed_on=None, credit_code="") for n in range(4)}
    dropped = make_project(b, town, stage=Stage.DROPPED, signed_on=None, credit_code="", dropped_reason="撤回")
    for month in (add_months(LAST, -k) for k in range(6)):  # a history of both kinds of rows
        MonthlyFunds.objects.create(project=county.project, month=month, amount=Decimal("1"))
        MonthlyInvestment.objects.create(project=county.project, month=month, amount=Decimal("1"))
    MonthlyFunds.objects.create(project=lead[0], month=LAST, amount=Decimal("1"))  # funds that month
    MonthlyInvestment.objects.create(project=lead[1], month=LAST, amount=Decimal("2"))  # investment that month
    MonthlyFunds.objects.create(project=lead[2], month=LAST, amount=Decimal("1"))  # both
    MonthlyInvestment.objects.create(project=lead[2], month=LAST, amount=Decimal("1"))
    MonthlyFunds.objects.create(project=lead[3], month=add_months(LAST, -1), amount=Decimal("1"))  # another month
    MonthlyFunds.objects.create(project=dropped, month=LAST, amount=Decimal("1"))

    before = (
        Project.objects.filter(responsible_unit=town)
        .filter(
            Q(~Q(stage__in=NOT_YET_SIGNED) & ~Q(stage=Stage.DROPPED))
            | Q(monthlyfunds__month=LAST)
            | Q(monthlyinvestment__month=LAST)
        )
        .distinct()
        .order_by("code")
    )
    with CaptureQueriesContext(connection) as ctx:
        now = [p.pk for p in grid_projects(town, LAST)]
    assert now == [p.pk for p in before]
    assert {lead[0].pk, lead[1].pk, lead[2].pk, dropped.pk} <= set(now) and lead[3].pk not in now
    sql = ctx.captured_queries[0]["sql"].upper()
    # the months are not joined to the projects (the EXISTS joins a figure to its project to keep to the unit)
    outer = sql.split(" WHERE ", 1)[0]
    assert "DISTINCT" not in sql and "JOIN" not in outer and "EXISTS" in sql
