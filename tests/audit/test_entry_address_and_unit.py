"""Every audited write from a page carries the address it came from, and a unit a county's auditor can file it
under (issue 12, "the address on every audited write" and "writes audited with no address and some with no unit").

Behind a proxy (ZHAOSHANG_BEHIND_PROXY=1) the address is the last one the proxy appended to X-Forwarded-For:
whatever the client itself put to the left of it is not trusted."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.sheets.files import xlsx
from zhaoshang.audit.models import AuditEntry
from zhaoshang.audit.services import record
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects.models import MonthlyFunds

pytestmark = pytest.mark.django_db

CLIENT = "198.51.100.20"
PROXY = "10.0.0.2"


def edit_project(client, project, name, **headers):
    """Post the project's edit form back as the page shows it, with a new name."""
    url = reverse("project_edit", args=[project.pk])
    form = client.get(url, **headers).context["form"]
    data = {}
    for field in form:
        value = field.value()
        data[field.html_name] = "" if value is None else getattr(value, "isoformat", lambda v=value: v)()
    data["name"] = name
    response = client.post(url, data, **headers)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return AuditEntry.objects.filter(action="project.updated").latest("id")


def test_it_records_the_address_of_a_page_edit(county, client_for):
    entry = edit_project(client_for(county.reporter), county.project, "改名一", REMOTE_ADDR=CLIENT)
    assert entry.data["name"][1] == "改名一"
    assert (entry.ip, entry.unit) == (CLIENT, county.town)


def test_it_ignores_forwarded_for_without_a_proxy(county, client_for):
    headers = {"REMOTE_ADDR": CLIENT, "HTTP_X_FORWARDED_FOR": "192.0.2.1"}
    entry = edit_project(client_for(county.reporter), county.project, "改名二", **headers)
    assert entry.ip == CLIENT


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_it_records_the_address_the_proxy_appended(county, client_for):
    client = client_for(county.reporter)
    headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"192.0.2.1, {CLIENT}"}
    assert edit_project(client, county.project, "改名三", **headers).ip == CLIENT
    # A header that is not an address falls back to the proxy's own, rather than failing the save.
    headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "unknown"}
    assert edit_project(client, county.project, "改名四", **headers).ip == PROXY


def test_the_entries_of_an_import_from_the_page_carry_the_address(county, client_for, tmp_path):
    month = add_months(current_month(), -1)
    client = client_for(county.reporter)
    path = xlsx(tmp_path, [(county.project.code, format_month(month), 88)])
    upload = SimpleUploadedFile("funds.xlsx", path.read_bytes())
    token = client.post(reverse("import_page"), {"kind": "funds", "file": upload}, REMOTE_ADDR=CLIENT).context["token"]
    client.post(reverse("import_page"), {"commit": "1", "token": token}, REMOTE_ADDR=CLIENT)

    assert MonthlyFunds.objects.get(project=county.project).amount == Decimal("88")
    row = AuditEntry.objects.get(action="funds.set")  # written set-based, not through record()
    assert (row.ip, row.unit) == (CLIENT, county.town)
    committed = AuditEntry.objects.get(action="import.committed")
    assert (committed.ip, committed.unit) == (CLIENT, county.town)


def test_an_entry_without_a_unit_of_its_own_is_filed_under_the_actors_unit(county, client_for):
    # A USD rate belongs to no unit: the entry goes under the bureau's (the root), so the county's auditor sees it.
    response = client_for(county.bureau).post(reverse("usd_rates"), {"year": 2026, "rate": "7.2"}, REMOTE_ADDR=CLIENT)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="usd_rate.set")
    assert (entry.ip, entry.unit, entry.actor) == (CLIENT, county.root, county.bureau)


def test_an_entry_written_outside_a_request_has_no_address(county):
    entry = record(None, action="totals.rebuilt", source="command")
    assert entry.ip is None and entry.unit is None
