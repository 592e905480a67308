"""List pages make a fixed number of queries, whatever their length."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_project
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)


def queries_for(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_projects(county, n):
    for _ in range(n):
        project = make_project(county.bureau, county.town, team=county.team, key_level="县重点")
        figures.monthly_funds_set(actor=county.bureau, project=project, month=LAST, amount=Decimal("3"))
        figures.monthly_investment_set(actor=county.bureau, project=project, month=LAST, amount=Decimal("2"))


@pytest.mark.parametrize(
    "user, url, params",
    [
        ("leader", "project_list", {}),
        ("leader", "project_list", {"q": "测试", "stage": "签约", "key_level": "any", "major": "0"}),
        ("reporter", "monthly_report", {"month": format_month(LAST)}),
        ("auditor", "audit_list", {}),
        ("bureau", "month_list", {}),
        ("bureau", "month_status", None),
        ("unit_head", "home", {}),
    ],
)
def test_list_pages_make_a_fixed_number_of_queries(county, client_for, user, url, params):
    client = client_for(getattr(county, user))
    path = reverse(url, args=[format_month(LAST)]) if params is None else reverse(url)
    add_projects(county, 2)
    few = queries_for(client, path, params)
    add_projects(county, 25)
    many = queries_for(client, path, params)
    assert few == many
