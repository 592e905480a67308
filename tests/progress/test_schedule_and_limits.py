"""The targets page refuses what the 目标任务 import refuses, and the dashboard's target line follows a target's
monthly split (core.periods.schedule_rate), as the report's 序时 does."""

from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.progress import services
from zhaoshang.progress.models import Target

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)


def test_the_targets_page_refuses_a_value_beyond_what_the_column_holds(county, client_for):
    url = reverse("targets")
    too_large = {"year": LAST.year, f"t-{county.town.pk}-domestic_arrived_wan": "100,000,000,000,000,000"}
    response = client_for(county.bureau).post(url, too_large)
    assert response.status_code == 400 and "数值过大，最大为 9,999,999,999,999,999.99" in response.content.decode()
    assert not Target.objects.exists()


def test_the_dashboards_target_line_follows_the_targets_monthly_split(county, client_for):
    split = [str(Decimal(m * 5) / 100) if m < 12 else "1" for m in range(1, 13)]  # 5%, 10%, … then 100%
    Target.objects.create(
        unit=county.town, year=LAST.year, indicator="domestic_arrived_wan", value=Decimal("1200000"), monthly=split
    )
    response = client_for(county.reporter).get(reverse("dashboard"), {"month": format_month(LAST)})
    line = response.context["charts"]["funds"]["schedule"]  # 亿元: 120 亿 × the cumulative share
    expected = [round(120 * float(split[m - 1]), 2) for m in range(1, LAST.month + 1)]
    assert line == expected
    if LAST.month < 12:
        assert line[0] == 6.0  # not 120 × 1/12 = 10


def test_the_targets_page_shows_counts_whole_and_amounts_with_separators(county, client_for):
    services.targets_save(
        actor=county.bureau,
        year=LAST.year,
        cells={
            (county.town, "domestic_signed_count"): Decimal("140"),
            (county.town, "domestic_arrived_wan"): Decimal("12000.5"),
            (county.other_town, "domestic_arrived_wan"): Decimal("1000"),
        },
    )
    client = client_for(county.bureau)
    response = client.get(reverse("targets"), {"year": LAST.year})
    html = response.content.decode()
    count_cell = f'name="t-{county.town.pk}-domestic_signed_count" value="140"'
    assert count_cell in html and "140.00" not in html
    assert f'name="t-{county.town.pk}-domestic_arrived_wan" value="12,000.50"' in html
    assert response.context["sums"]["domestic_arrived_wan"] == "13,000.50"  # 各单位合计
    assert response.context["sums"]["domestic_signed_count"] == "140"
    # the page posted back as shown changes nothing
    posted = {"year": LAST.year}
    for row in response.context["rows"]:
        for cell in row["cells"]:
            posted[cell["name"]] = cell["value"]
    before = AuditEntry.objects.count()
    assert client.post(reverse("targets"), posted).status_code == 302
    assert Target.objects.get(unit=county.town, indicator="domestic_arrived_wan").value == Decimal("12000.50")
    assert AuditEntry.objects.count() == before
