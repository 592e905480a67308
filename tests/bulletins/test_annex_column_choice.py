"""The bureau chooses the columns of the annex's ranking tables (发文设置): the draft's page, Word and Excel show
them, an unknown column is refused in Chinese, and an issued bulletin keeps the columns it was issued with."""

import io

import pytest
from django.urls import reverse
from docx import Document

from tests.bulletins.test_gongwen import OFFICE
from tests.xlsx_cells import read_cells, rows
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins import services
from zhaoshang.bulletins.models import IssuingOffice
from zhaoshang.core.periods import add_months, current_month, format_month

LAST = add_months(current_month(), -1)
CHOICE = ["major_signed_count", "major_started_count", "major_start_rate", "light"]
HEADERS = ["位次", "单位", "亿元以上项目(个)", "亿元以上签约项目中已开工(个)", "亿元以上项目开工率(%)", "亮灯"]


def xlsx_headers(content: bytes) -> list[list[str]]:
    """The header row of every ranking table in the workbook (the rows that start with 位次)."""
    found = []
    for cells in read_cells(content).values():
        for row in rows(cells):
            values = [c.value for c in row if c is not None]
            if values and values[0] == "位次":
                found.append(values)
    return found


def docx_headers(content: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(content))
    return [[c.text for c in t.rows[0].cells] for t in document.tables if t.rows[0].cells[0].text == "位次"]


@pytest.mark.django_db
def test_the_columns_the_bureau_ticks_are_the_annexs_columns(county, client_for):
    bureau = client_for(county.bureau)
    page = bureau.get(reverse("bulletin_office") + f"?unit={county.root.pk}").content.decode()
    assert "附件排名表的栏目" in page and 'value="major_start_rate"' in page
    response = bureau.post(reverse("bulletin_office") + f"?unit={county.root.pk}", {**OFFICE, "annex_columns": CHOICE})
    assert response.status_code == 302
    assert IssuingOffice.objects.get(unit=county.root).annex_columns == CHOICE
    assert AuditEntry.objects.get(action="bulletin.office_saved").data["annex_columns"] == [None, CHOICE]
    query = f"{reverse('bulletin_draft')}?month={format_month(LAST)}&unit={county.root.pk}"
    xlsx = client_for(county.leader).get(query + "&format=xlsx").content
    assert xlsx_headers(xlsx) and all(h == HEADERS for h in xlsx_headers(xlsx))
    docx = client_for(county.leader).get(query + "&format=docx").content
    assert docx_headers(docx) and all(h == HEADERS for h in docx_headers(docx))
    html = client_for(county.leader).get(query).content.decode()
    assert "亿元以上项目开工率(%)" in html and "完成率(%)" not in html


@pytest.mark.django_db
def test_an_unknown_column_is_refused_and_none_ticked_means_the_default(county, client_for):
    bureau = client_for(county.bureau)
    url = reverse("bulletin_office") + f"?unit={county.root.pk}"
    refused = bureau.post(url, {**OFFICE, "annex_columns": ["light", "no_such_column"]})
    assert refused.status_code == 200 and "所选附件排名表的栏目不在可选范围内" in refused.content.decode()
    assert not IssuingOffice.objects.filter(unit=county.root).exists()
    with pytest.raises(Exception, match="附件排名表没有这些栏目：no_such_column"):
        services.office_save(
            actor=county.bureau, unit=county.root, values={**OFFICE, "annex_columns": ["no_such_column"]}
        )
    bureau.post(url, OFFICE)
    assert IssuingOffice.objects.get(unit=county.root).annex_columns == []
    query = f"{reverse('bulletin_draft')}?month={format_month(LAST)}&unit={county.root.pk}&format=xlsx"
    assert all("完成率(%)" in h for h in xlsx_headers(client_for(county.leader).get(query).content))


@pytest.mark.django_db
def test_an_issued_bulletin_keeps_the_columns_it_was_issued_with(county, client_for):
    services.office_save(actor=county.bureau, unit=county.root, values={**OFFICE, "annex_columns": CHOICE})
    bulletin = services.bulletin_issue(actor=county.bureau, unit=county.root, month=LAST)
    services.office_save(actor=county.bureau, unit=county.root, values=OFFICE)  # back to the default
    url = reverse("bulletin_issued", args=[bulletin.pk])
    assert all(h == HEADERS for h in xlsx_headers(client_for(county.leader).get(url + "?format=xlsx").content))
    assert all(h == HEADERS for h in docx_headers(client_for(county.leader).get(url + "?format=docx").content))
