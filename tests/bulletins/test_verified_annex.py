"""The annex's optional 其中已认定 columns: the unit's verified figure beside the declared one, read back from the
Excel the draft gives."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.bulletins.test_annex_column_choice import xlsx_headers
from tests.bulletins.test_gongwen import OFFICE
from tests.projects.test_verified_totals import LAST, decide
from tests.xlsx_cells import read_cells, rows
from zhaoshang.bulletins import services
from zhaoshang.core.periods import format_month
from zhaoshang.projects import figures

CHOICE = ["domestic_arrived_wan", "verified:domestic_arrived_wan"]


@pytest.mark.django_db
def test_the_verified_column_in_the_excel_annex(county, client_for):
    figures.monthly_funds_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("300"))
    figures.monthly_funds_set(actor=county.bureau, project=county.other_project, month=LAST, amount=Decimal("100"))
    decide(county.other_project, "funds", month=LAST)
    services.office_save(actor=county.bureau, unit=county.root, values={**OFFICE, "annex_columns": CHOICE})
    query = f"{reverse('bulletin_draft')}?month={format_month(LAST)}&unit={county.root.pk}"
    xlsx = client_for(county.leader).get(query + "&format=xlsx").content
    assert xlsx_headers(xlsx)[0] == ["位次", "单位", "实际到位内资(亿元)", "实际到位内资其中已认定(亿元)"]
    found = {}
    for cells in read_cells(xlsx).values():
        for row in rows(cells):
            values = [c.value for c in row if c is not None]
            if len(values) == 4 and values[1] in ("甲镇", "乙镇"):
                found[values[1]] = [Decimal(str(v)) for v in values[2:]]
    # 300 万元 undecided, 100 万元 verified, in 亿元
    assert found == {"甲镇": [Decimal("0.03"), Decimal("0")], "乙镇": [Decimal("0.01"), Decimal("0.01")]}
