"""The monthly grid a page at a time: a unit of a thousand projects was one 885 KB page. Each page shows at most
GRID_PAGE_SIZE rows, the 合计 row still counts them all, and saving one page leaves the others' figures alone."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_project
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures
from zhaoshang.projects.models import MonthlyFunds
from zhaoshang.reporting.grid import grid_projects

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
URL = reverse("monthly_report")


def _rows(body: str) -> int:
    return body.count('name="initial-funds-')


@override_settings(GRID_PAGE_SIZE=3)
def test_a_page_holds_at_most_its_size_and_the_total_counts_every_row(county, client_for):
    for n in range(6):
        make_project(county.bureau, county.town, name=f"分页项目{n}")
    projects = list(grid_projects(county.town, LAST))
    assert len(projects) == 7  # the fixture's project and these six
    for project in projects:
        figures.monthly_funds_set(actor=county.bureau, project=project, month=LAST, amount=Decimal("10"))
    client = client_for(county.reporter)
    query = {"unit": county.town.pk, "month": format_month(LAST)}
    pages = [client.get(URL, {**query, "page": n}).content.decode() for n in (1, 2, 3)]
    assert [_rows(p) for p in pages] == [3, 3, 1]
    codes = [p.code for p in projects]
    assert all(code in pages[0] for code in codes[:3]) and codes[3] not in pages[0]
    for body in pages:
        assert "7个项目" in body and "70.00" in body  # 合计 of every page's rows: 7 × 10
    assert "第 2 页 / 共 3 页" in pages[1]


@override_settings(GRID_PAGE_SIZE=3)
def test_saving_one_page_keeps_the_others_and_returns_to_it(county, client_for):
    for n in range(4):
        make_project(county.bureau, county.town, name=f"分页项目{n}")
    projects = list(grid_projects(county.town, LAST))
    for project in projects:
        figures.monthly_funds_set(actor=county.bureau, project=project, month=LAST, amount=Decimal("10"))
    second = projects[3]
    response = client_for(county.reporter).post(
        URL,
        {
            "unit": county.town.pk,
            "month": format_month(LAST),
            "page": "2",
            f"funds-{second.pk}": "25",
            f"initial-funds-{second.pk}": "10.00",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("&page=2")
    stored = dict(MonthlyFunds.objects.filter(month=LAST).values_list("project_id", "amount"))
    assert stored[second.pk] == Decimal("25")
    assert all(stored[p.pk] == Decimal("10") for p in projects if p != second)
