"""The 佐证材料 pages through the real views: upload on the project page and the trip page, the phone's one-step
site photo, downloads only within scope (a city of two counties: 404 outside) with safe headers, a refused file
showing the form again as it was filled in, deletion, a fixed number of queries on the project page, and the files
still there for a new storage instance (a restarted process)."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.storage import StorageHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.evidence import helpers as h
from tests.evidence.conftest import attach_pdf, make_trip, stored_files
from zhaoshang.audit.models import AuditEntry
from zhaoshang.evidence import services
from zhaoshang.evidence.models import Attachment

pytestmark = pytest.mark.django_db


def upload_url(project):
    return reverse("evidence_project_upload", args=[project.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_writer_uploads_on_the_project_page_and_a_reader_downloads_it(county, client_for):
    page = client_for(county.reporter).get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert 'id="evidence"' in page and 'capture="environment"' in page and "上传佐证材料" in page
    response = client_for(county.reporter).post(
        upload_url(county.project),
        {"kind": "contract", "target": "project", "note": "正式合同", "file": h.upload("投资合同.pdf", h.PDF)},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/projects/{county.project.pk}/#evidence")
    found = Attachment.objects.get()
    page = client_for(county.leader).get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert "投资合同.pdf" in page and "正式合同" in page and "删除" not in page.split('id="evidence"')[1]
    download = client_for(county.leader).get(reverse("evidence_file", args=[found.pk]))
    assert download.status_code == 200 and body(download) == h.PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f"attachment; filename=\"file.pdf\"; filename*=UTF-8''{quote('投资合同.pdf', safe='')}"
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    # inline is for images only: a PDF asked inline is still a download
    asked_inline = client_for(county.leader).get(reverse("evidence_file", args=[found.pk]) + "?inline=1")
    assert asked_inline["Content-Disposition"].startswith("attachment;")


def test_a_photo_is_shown_inline_as_a_thumbnail(county, client_for):
    photo = services.attach(
        actor=county.reporter, kind="site_photo", upload=h.upload("工地.jpg", h.jpeg_with_gps()), project=county.project
    )
    page = client_for(county.reporter).get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert f'src="{reverse("evidence_file", args=[photo.pk])}?inline=1"' in page
    shown = client_for(county.reporter).get(reverse("evidence_file", args=[photo.pk]) + "?inline=1")
    assert shown["Content-Disposition"].startswith("inline;") and shown["Content-Type"] == "image/jpeg"
    assert b"PhoneMaker" not in body(shown)


def test_downloads_stay_within_scope_in_a_city_of_two_counties(city, client_for):
    c = city.county
    ours = attach_pdf(c.reporter, project=c.project)
    theirs = attach_pdf(city.n_reporter, project=city.n_project)
    url = reverse("evidence_file", args=[ours.pk])
    for user in (city.n_bureau, city.n_leader, city.n_reporter, c.outsider):
        assert client_for(user).get(url).status_code == 404, user
    for user in (c.reporter, c.unit_head, c.bureau, c.leader, city.city_bureau):
        assert client_for(user).get(url).status_code == 200, user
    assert client_for(c.bureau).get(reverse("evidence_file", args=[theirs.pk])).status_code == 404
    assert client_for(c.auditor).get(url).status_code == 403  # no business data for the auditor
    # and no deleting another county's file either: 404, the file kept
    assert client_for(city.n_bureau).post(reverse("evidence_delete", args=[ours.pk])).status_code == 404
    assert Attachment.objects.filter(pk=ours.pk).exists()


def test_a_trips_files_are_read_by_the_trips_readers(city, client_for):
    c = city.county
    trip = make_trip(c.reporter, c.town)
    response = client_for(c.reporter).post(
        reverse("evidence_trip_upload", args=[trip.pk]),
        {"kind": "other", "note": "会议纪要", "file": h.upload("纪要.docx", h.docx())},
    )
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    found = Attachment.objects.get(trip=trip)
    page = client_for(c.leader).get(reverse("trip_detail", args=[trip.pk])).content.decode()
    assert "纪要.docx" in page and "会议纪要" in page
    url = reverse("evidence_file", args=[found.pk])
    assert client_for(c.outsider).get(url).status_code == 404
    assert client_for(city.n_bureau).get(url).status_code == 404
    assert body(client_for(c.unit_head).get(url)) == found.file.open("rb").read()


def test_uploads_are_refused_outside_the_users_writes(county, client_for):
    data = lambda: {"kind": "contract", "target": "project", "file": h.upload("合同.pdf", h.PDF)}  # noqa: E731
    assert client_for(county.outsider).post(upload_url(county.project), data()).status_code == 404  # 乙镇's
    assert client_for(county.reporter).post(upload_url(county.park_project), data()).status_code == 403  # below
    assert client_for(county.leader).post(upload_url(county.project), data()).status_code == 403
    assert not Attachment.objects.exists() and not AuditEntry.objects.filter(action="evidence.uploaded").exists()


def test_a_refused_file_shows_the_form_again_as_filled_in(county, client_for):
    before = stored_files()
    stage = county.project.stage_changes.first()
    response = client_for(county.reporter).post(
        upload_url(county.project),
        {
            "kind": "permit",
            "target": f"stage:{stage.pk}",
            "note": "施工许可证扫描件",
            "file": h.upload("证.jpg", h.PDF),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件名为 .jpg，但文件内容是PDF" in page
    assert 'value="施工许可证扫描件"' in page
    assert f'<option value="stage:{stage.pk}" selected>' in page
    assert '<option value="permit" selected>' in page
    assert not Attachment.objects.exists() and stored_files() == before


def test_the_phone_attaches_a_site_photo_in_one_step(county, client_for):
    latest = county.project.stage_changes.order_by("-changed_on", "-id").first()
    client = client_for(county.reporter)
    url = reverse("evidence_project_photo", args=[county.project.pk])
    assert client.post(url, {"to": "stage", "file": h.upload("IMG_0001.JPG", h.jpeg_with_gps())}).status_code == 302
    assert client.post(url, {"to": "project", "file": h.upload("IMG_0002.png", h.png())}).status_code == 302
    first, second = Attachment.objects.order_by("id")
    assert (first.kind, first.stage_change, first.name) == ("site_photo", latest, "IMG_0001.JPG")
    assert (second.kind, second.stage_change, second.project) == ("site_photo", None, county.project)
    refused = client.post(url, {"to": "project", "file": h.upload("IMG_0003.jpg", h.HTML)}, follow=True)
    assert "不能上传网页或 SVG 文件" in refused.content.decode()


def test_a_writer_deletes_a_file_from_the_page(county, client_for, django_capture_on_commit_callbacks):
    found = attach_pdf(county.reporter, project=county.project)
    assert client_for(county.leader).post(reverse("evidence_delete", args=[found.pk])).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(county.unit_head).post(reverse("evidence_delete", args=[found.pk]))
    assert response.status_code == 302 and not Attachment.objects.exists()
    assert found.file.name not in stored_files()


def test_the_project_page_costs_the_same_queries_with_one_file_or_many(county, client_for):
    client = client_for(county.reporter)
    url = reverse("project_detail", args=[county.project.pk])
    attach_pdf(county.reporter, project=county.project)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(6):
        attach_pdf(county.reporter, kind=("licence", "invoice", "other")[n % 3], project=county.project)
    services.attach(actor=county.reporter, kind="site_photo", upload=h.upload("a.png", h.png()), project=county.project)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count('class="evidence-main"') == 8
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_the_files_survive_a_restart_on_disk(county, client_for):
    found = attach_pdf(county.reporter, project=county.project)
    fresh = StorageHandler(settings.STORAGES)["evidence"]  # a new process's storage, built from the settings
    assert fresh is not found.file.storage
    with fresh.open(found.file.name, "rb") as handle:
        assert handle.read() == h.PDF
    again = Attachment.objects.get(pk=found.pk)
    assert body(client_for(county.bureau).get(reverse("evidence_file", args=[again.pk]))) == h.PDF
