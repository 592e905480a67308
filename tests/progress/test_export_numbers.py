"""The progress pages' exports write counts as whole numbers (a count's target, kept as 140.00, reads 140 in
Excel), percentages and gaps rounded to one decimal in a one-decimal format: the writer rules of core.files."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.core.periods import today
from zhaoshang.progress import services as progress_services

pytestmark = pytest.mark.django_db
Y = today().year - 1


def test_the_ranking_export_shows_counts_whole(county, client_for):
    progress_services.targets_save(
        actor=county.bureau, year=Y, cells={(county.town, "domestic_signed_count"): Decimal(140)}
    )
    answer = client_for(county.leader).get(
        reverse("dashboard"), {"rank": "domestic_signed_count", "month": f"{Y}-06", "format": "xlsx"}
    )
    (sheet,) = read_cells(content(answer)).values()
    table = rows(sheet)
    (town,) = [r for r in table[1:] if r[2].value == "甲镇"]
    cell = dict(zip([c.value for c in table[0]], town, strict=True))
    assert cell["位次"].number_format == "0"
    assert cell["年度目标(个)"].value == 140 and cell["年度目标(个)"].number_format == "0"
    assert cell["完成率(%)"].value == 0 and cell["完成率(%)"].number_format == "#,##0.0"
