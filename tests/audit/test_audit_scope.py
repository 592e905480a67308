"""H4: a county's auditor reads and exports its own county's entries only; the city's auditor reads them all."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.xlsx_cells import content
from zhaoshang.audit.models import AuditEntry
from zhaoshang.audit.services import record
from zhaoshang.core.periods import add_months, current_month
from zhaoshang.projects import figures

pytestmark = pytest.mark.django_db

LAST = add_months(current_month(), -1)


@pytest.fixture
def entries(city):
    figures.monthly_funds_set(actor=city.county.reporter, project=city.county.project, month=LAST, amount=Decimal("8"))
    figures.monthly_funds_set(actor=city.n_reporter, project=city.n_project, month=LAST, amount=Decimal("9"))
    record(None, action="system.note", data={"note": "全系统事件"})
    return city


def test_a_county_auditor_reads_and_exports_its_own_county_only(entries, client_for):
    city = entries
    client = client_for(city.n_auditor)
    page = client.get(reverse("audit_list")).content.decode()
    assert city.n_project.name in page
    assert city.county.project.name not in page and "reporter" not in page.replace("n_reporter", "")
    assert "全系统事件" not in page
    export = content(client.get(reverse("audit_list"), {"format": "xlsx"}))
    assert city.county.project.code.encode() not in export
    search = client.get(reverse("audit_list"), {"q": city.county.project.name}).content.decode()
    assert city.county.project.name not in search.split("</form>")[-1]
    # the unit filter offers its own units only, and asking for another county's shows nothing of it
    assert "甲镇" not in page
    other = client.get(reverse("audit_list"), {"unit": city.county.town.pk}).content.decode()
    assert city.county.project.name not in other


def test_the_city_auditor_reads_every_county_and_the_system(entries, client_for):
    page = client_for(entries.city_auditor).get(reverse("audit_list")).content.decode()
    assert entries.n_project.name in page and entries.county.project.name in page and "全系统事件" in page


def test_the_county_auditor_of_a_single_county_install_reads_everything(county, client_for):
    record(None, action="system.note", data={"note": "全系统事件"})
    page = client_for(county.auditor).get(reverse("audit_list")).content.decode()
    assert "全系统事件" in page and AuditEntry.objects.exists()
