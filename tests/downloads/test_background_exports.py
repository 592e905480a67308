"""The list exports stream their rows from values_list() (same cells as before, text never a formula, a fixed
number of queries whatever the length), and a list longer than EXPORT_BACKGROUND_ROWS is made in the background:
its user is notified with a link that downloads it for that user only, audited, and deleted after the retention."""

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_project
from tests.xlsx_cells import content, read_cells
from zhaoshang.audit.models import AuditEntry
from zhaoshang.construction import services as approval_services
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.downloads import services
from zhaoshang.downloads.models import Download, Status
from zhaoshang.notifications.models import Notification
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


def _cells(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response.streaming  # a FileResponse over the temporary file, never the whole file in memory
    (sheet, *_) = read_cells(content(response)).values()
    last_row = max(r for r, _ in sheet)
    last_col = max(c for _, c in sheet)
    return [[sheet.get((r, c)) for c in range(1, last_col + 1)] for r in range(1, last_row + 1)]


def test_it_writes_the_ledger_cells_as_before(county, client_for):
    Project.objects.filter(pk=county.project.pk).update(name="=1+2 项目", planned_total=Decimal("12345.6"), team=None)
    rows = _cells(client_for(county.reporter).get(reverse("project_list"), {"format": "xlsx"}))
    by_code = {row[0].value: row for row in rows[1:]}
    cells = by_code[county.project.code]
    p = county.project
    p.refresh_from_db()
    # What the ORM-per-row export wrote: the same values, text as text, numbers as numbers with their format.
    assert [c.value if c else None for c in cells[:6]] == [
        p.code,
        "'=1+2 项目",  # escaped: never a formula
        p.investor,
        p.credit_code,
        p.funding_type,
        county.town.name,
    ]
    assert cells[6] is None or cells[6].value == ""  # no team: blank, as before
    assert cells[9].value == p.stage and cells[10].value == p.signed_on.isoformat()
    assert cells[11].is_number and cells[11].value == 5000 and cells[11].number_format == "#,##0.00"
    assert cells[12].is_number and cells[12].value == 12345.6 and cells[12].number_format == "#,##0.00"
    assert not cells[10].is_number and cells[13] is None  # a date as its text; no start date: blank


def test_it_writes_the_approval_cells_as_the_steps_show_them(county, client_for):
    approval_services.approval_steps_init(actor=county.bureau, project=county.project)
    step = ApprovalStep.objects.filter(project=county.project).order_by("sort_order").first()
    late = timezone.localdate() - timedelta(days=40)
    ApprovalStep.objects.filter(pk=step.pk).update(planned_on=late, filed_on=late - timedelta(days=3), note="=cmd")
    step.refresh_from_db()
    rows = _cells(client_for(county.bureau).get(reverse("approval_list"), {"format": "xlsx"}))
    first = rows[1]  # overdue first
    assert [c.value if c else None for c in first] == [
        county.project.code,
        county.project.name,
        county.town.name,
        step.name,
        step.department.name if step.department_id else "",
        late.isoformat(),
        (late - timedelta(days=3)).isoformat(),
        None,
        step.status,
        float(step.days_elapsed),
        float(step.days_overdue),
        step.light_label,
        "'=cmd",
    ]
    assert first[9].number_format == "0" and first[10].is_number


@pytest.mark.parametrize("route", ["project_list", "approval_list", "problem_list"])
def test_an_export_makes_a_fixed_number_of_queries_whatever_its_length(county, client_for, route):
    client = client_for(county.bureau)

    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            content(client.get(reverse(route), {"format": "xlsx"}))
        return len(captured)

    approval_services.approval_steps_init(actor=county.bureau, project=county.project)
    few = queries_for_export()
    for _ in range(6):
        project = make_project(county.bureau, county.town)
        approval_services.approval_steps_init(actor=county.bureau, project=project)
    assert queries_for_export() == few


def test_a_big_export_goes_to_the_background_and_its_link_downloads_it_for_that_user_only(county, client_for, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1  # 甲镇's reporter reads two projects
    client = client_for(county.reporter)
    asked = client.get(reverse("project_list"), {"format": "xlsx", "stage": "签约"})
    offer = reverse("download_new", args=["ledger"])
    assert asked.status_code == 302 and asked["Location"].startswith(offer)
    page = client.get(asked["Location"]).content.decode()
    assert "共 <strong>2</strong> 行" in page and "后台生成" in page

    query = asked["Location"].split("?", 1)[1]
    done = client.post(offer, {"query": query}, follow=True)
    assert done.redirect_chain == [(reverse("download_list"), 302)]
    assert "项目台账已导出" in done.content.decode()
    download = Download.objects.get(user=county.reporter)
    assert download.status == Status.DONE and download.rows == 2
    assert AuditEntry.objects.filter(action="download.requested", actor=county.reporter).exists()

    notice = Notification.objects.get(user=county.reporter, kind="download.ready")
    assert notice.link == reverse("download_file", args=[download.pk])
    opened = client.post(reverse("notification_read"), {"id": notice.pk, "open": "1"})
    assert opened["Location"] == notice.link
    rows = _cells(client.get(notice.link))
    assert {row[0].value for row in rows[1:]} == {county.project.code, county.park_project.code}
    assert AuditEntry.objects.filter(action="download.fetched", actor=county.reporter).count() == 1

    for other in (county.outsider, county.unit_head, county.bureau):  # another unit, and even its own unit's head
        assert client_for(other).get(notice.link).status_code == 404
    assert AuditEntry.objects.filter(action="download.fetched").count() == 1
    assert county.project.code not in client_for(county.outsider).get(reverse("download_list")).content.decode()


def test_asking_twice_while_it_is_made_queues_it_once(county):
    waiting = Download.objects.create(user=county.reporter, kind="ledger", title="项目台账", query="format=xlsx")
    again = services.download_request(user=county.reporter, kind="ledger", query="format=xlsx")
    assert again == waiting and Download.objects.count() == 1


def test_an_auditor_alone_exports_the_audit_log_in_the_background(county, client_for):
    assert client_for(county.reporter).post(reverse("download_new", args=["audit"]), {"query": ""}).status_code == 403
    assert client_for(county.auditor).post(reverse("download_new", args=["audit"]), {"query": ""}).status_code == 302
    assert Download.objects.get().user == county.auditor
    assert client_for(county.auditor).get(reverse("download_new", args=["nothing"])).status_code == 404


def test_a_failed_export_is_reported_not_left_pending(county, monkeypatch):
    def broken(user, params):
        raise RuntimeError("boom")

    monkeypatch.setitem(services.KINDS, "ledger", dataclasses.replace(services.KINDS["ledger"], build=broken))
    services.downloads_dir().mkdir(parents=True, exist_ok=True)
    files_before = set(services.downloads_dir().iterdir())
    download = services.download_request(user=county.reporter, kind="ledger", query="format=xlsx")
    download.refresh_from_db()
    assert download.status == Status.FAILED
    assert Notification.objects.filter(user=county.reporter, kind="download.failed").exists()
    assert set(services.downloads_dir().iterdir()) == files_before  # no file, not even a partial one


def test_files_past_the_retention_are_deleted_with_their_records(county, settings):
    download = services.download_request(user=county.reporter, kind="ledger", query="format=xlsx")
    download.refresh_from_db()
    path = services.download_path(download)
    assert path.is_file()
    assert services.downloads_prune() == 0  # within the retention
    later = timezone.now() + timedelta(days=settings.DOWNLOAD_RETENTION_DAYS, minutes=1)
    assert services.downloads_prune(now=later) == 1
    assert not path.exists() and not Download.objects.exists()
