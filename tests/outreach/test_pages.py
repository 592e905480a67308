"""The 宣传与培训 pages through the real views: scope in a city of two counties (404 outside, 403 to a reader that
may not write), a town's reporter writing its own unit's cases only, the case list's period, unit and level
filters with a fixed query count, the Excel files read back, photos (refusals in Chinese, served only within
scope), training sessions written by the bureau with attendees of its subtree, and the hours per unit and person."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from PIL import Image

from tests.factories import make_project
from tests.outreach.helpers import make_case, make_session
from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.audit.models import AuditEntry
from zhaoshang.outreach.models import Attendance, CasePhoto, TrainingSession, TypicalCase

pytestmark = pytest.mark.django_db
YEAR = date.today().year


def day(month, d=1):
    return date(YEAR, month, d)


def listed(client, query=""):
    response = client.get(reverse("case_list") + query)
    assert response.status_code == 200
    return [c.title for c in response.context["page"]]


def test_scope_across_two_counties_and_two_towns(city, client_for):
    c = city.county
    town = make_case(c.reporter, c.town, day(1), title="甲镇案例")
    park = make_case(c.unit_head, c.town_park, day(1), title="工业园案例")
    other = make_case(c.outsider, c.other_town, day(1), title="乙镇案例")
    theirs = make_case(city.n_reporter, city.n_town, day(1), title="邻镇案例")
    assert set(listed(client_for(c.bureau), "?first=1&last=12")) == {"甲镇案例", "工业园案例", "乙镇案例"}
    assert set(listed(client_for(c.reporter), "?first=1&last=12")) == {"甲镇案例", "工业园案例"}
    assert set(listed(client_for(city.city_bureau), "?first=1&last=12")) == {
        "甲镇案例",
        "工业园案例",
        "乙镇案例",
        "邻镇案例",
    }
    assert listed(client_for(city.n_bureau), "?first=1&last=12") == ["邻镇案例"]
    for user in city.neighbours().values():
        if user.username not in ("n_auditor", "n_sysadmin"):
            assert client_for(user).get(reverse("case_detail", args=[town.pk])).status_code == 404
    reporter = client_for(c.reporter)
    assert reporter.get(reverse("case_edit", args=[town.pk])).status_code == 200
    assert reporter.get(reverse("case_edit", args=[park.pk])).status_code == 403  # below its unit: reads only
    assert reporter.get(reverse("case_edit", args=[other.pk])).status_code == 404
    assert client_for(c.unit_head).get(reverse("case_edit", args=[park.pk])).status_code == 200
    assert client_for(c.leader).get(reverse("case_edit", args=[town.pk])).status_code == 403
    assert client_for(c.bureau).post(reverse("case_delete", args=[theirs.pk])).status_code == 404
    assert TypicalCase.objects.filter(pk=theirs.pk).exists()


def test_a_reporter_records_a_case_with_projects_of_its_units_subtree(county, client_for):
    c = county
    client = client_for(c.reporter)
    data = {
        "unit": c.town.pk,
        "title": "甲镇以商招商引进新能源项目",
        "media": "安徽日报",
        "level": "省级",
        "published_on": day(2, 3).isoformat(),
        "link": "https://example.com/a",
        "project_codes": f"{c.project.code}，{c.other_project.code}",
        "text": "经验做法……",
    }
    page = client.post(reverse("case_create"), data)
    assert page.status_code == 200 and not TypicalCase.objects.exists()
    assert f"“{c.other_project.code}”不是甲镇及其下级单位中您可查看的台账项目" in page.content.decode()
    data["project_codes"] = f"{c.project.code} {c.park_project.code}"
    response = client.post(reverse("case_create"), data)
    case = TypicalCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("case_detail", args=[case.pk])
    assert set(case.projects.all()) == {c.project, c.park_project} and case.author == c.reporter
    entry = AuditEntry.objects.get(action="case.created")
    assert entry.data["title"] == [None, "甲镇以商招商引进新能源项目"] and entry.data["unit"] == [None, "甲镇"]
    data["unit"] = c.other_town.pk  # not among the reporter's units: the form offers none
    page = client.post(reverse("case_edit", args=[case.pk]), data)
    assert page.status_code == 200 and TypicalCase.objects.get().unit == c.town
    data.update(unit=c.town.pk, level="中央", project_codes="")
    assert client.post(reverse("case_edit", args=[case.pk]), data).status_code == 302
    case.refresh_from_db()
    assert case.level == "中央" and not case.projects.exists()
    assert AuditEntry.objects.get(action="case.updated").data["level"] == ["省级", "中央"]
    assert client.post(reverse("case_delete", args=[case.pk])).status_code == 302
    assert not TypicalCase.objects.exists() and AuditEntry.objects.filter(action="case.deleted").exists()


def test_the_list_filters_by_months_unit_and_level(county, client_for):
    c = county
    make_case(c.bureau, c.town, day(1, 1), "中央", title="一月中央")
    make_case(c.bureau, c.town_park, day(3, 31), "省级", title="三月园区省级")
    make_case(c.bureau, c.other_town, day(4, 1), "县级", title="四月乙镇县级")
    make_case(c.bureau, c.town, date(YEAR - 1, 12, 31), "县级", title="去年")
    client = client_for(c.bureau)
    assert listed(client, "?first=1&last=3") == ["三月园区省级", "一月中央"]
    assert listed(client, f"?year={YEAR}&first=4&last=12") == ["四月乙镇县级"]
    assert listed(client, f"?first=1&last=12&unit={c.town.pk}") == ["三月园区省级", "一月中央"]
    assert listed(client, "?first=1&last=12&level=省级") == ["三月园区省级"]
    assert listed(client, f"?year={YEAR - 1}&first=12&last=12") == ["去年"]
    page = client.get(reverse("case_list") + "?first=5&last=2")
    assert "起始月不能晚于截止月" in page.content.decode() and not page.context["page"].object_list


def test_the_case_list_takes_a_fixed_number_of_queries(county, client_for):
    c = county
    client = client_for(c.bureau)

    def count():
        client.get(reverse("case_list"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("case_list") + "?first=1&last=12").status_code == 200
        return len(queries)

    make_case(c.bureau, c.town, day(1), projects=[c.project])
    few = count()
    for n in range(6):
        project = make_project(c.bureau, c.other_town)
        make_case(c.bureau, c.other_town, day(1, n + 2), projects=[project, c.other_project])
    assert count() == few


def test_the_case_export_reads_back(county, client_for):
    c = county
    make_case(c.bureau, c.town, day(2, 14), "市级", title='=HYPERLINK("x")', projects=[c.project])
    make_case(c.bureau, c.other_town, day(1, 9), "县级", title="乙镇案例")
    response = client_for(c.bureau).get(reverse("case_list") + "?first=1&last=12&format=xlsx")
    sheet = rows(read_cells(content(response))["典型案例"])
    assert [cell.value for cell in sheet[0]] == ["刊发日期", "标题", "单位", "刊发媒体", "媒体级别", "关联项目", "链接"]
    assert sheet[1][1].value == '\'=HYPERLINK("x")' and not sheet[1][1].is_number  # text, never a formula
    assert [sheet[1][2].value, sheet[1][4].value, sheet[1][5].value] == [
        "甲镇",
        "市级",
        f"{c.project.code} {c.project.name}",
    ]
    assert [sheet[2][1].value, sheet[2][2].value] == ["乙镇案例", "乙镇"]
    assert len(sheet) == 3
    mine = client_for(c.outsider).get(reverse("case_list") + "?first=1&last=12&format=xlsx")
    assert [r[1].value for r in rows(read_cells(content(mine))["典型案例"])[1:]] == ["乙镇案例"]


def image_bytes(kind="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def upload(client, case, data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("case_photo_upload", args=[case.pk]),
        {"image": SimpleUploadedFile(name, data), "caption": "签约现场"},
        follow=True,
    )


def test_photos_are_checked_and_served_within_scope_only(city, client_for, django_capture_on_commit_callbacks):
    c = city.county
    case = make_case(c.reporter, c.town, day(1))
    client = client_for(c.reporter)
    assert "不是可识别的 JPG 或 PNG 图片" in upload(client, case, b"not an image", "x.jpg").content.decode()
    with override_settings(CARRIER_PHOTO_MAX_BYTES=1000):
        page = upload(client, case, image_bytes("PNG", (300, 300)) + b"\0" * 2000, "big.png").content.decode()
        assert "照片不能超过" in page
    assert not CasePhoto.objects.exists()
    upload(client, case, image_bytes("JPEG"), "a.jpg")
    photo = CasePhoto.objects.get()
    assert AuditEntry.objects.filter(action="case.photo_added").count() == 1
    served = client_for(c.leader).get(reverse("case_photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    for outsider in (c.outsider, city.n_bureau, city.n_reporter):
        assert client_for(outsider).get(reverse("case_photo", args=[photo.pk])).status_code == 404
    assert client_for(c.leader).post(reverse("case_photo_delete", args=[photo.pk])).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("case_photo_delete", args=[photo.pk])).status_code == 302
    assert not CasePhoto.objects.exists()


def test_the_bureau_records_a_session_with_attendees_of_its_subtree(city, client_for):
    c = city.county
    client = client_for(c.bureau)
    page = client.get(reverse("training_create"))
    html = page.content.decode()
    assert page.status_code == 200 and "甲镇" in html and "乙镇" in html  # grouped by unit
    assert "n_reporter" not in html and "邻镇" not in html  # another county's accounts are not offered
    data = {
        "held_on": day(3, 5).isoformat(),
        "topic": "产业链招商专题培训",
        "organiser": "省商务厅",
        "hours": "3.55",
        "place": "县行政中心",
        "note": "",
        "attendees": [c.reporter.pk, c.outsider.pk],
    }
    page = client.post(reverse("training_create"), data)
    assert page.status_code == 200 and not TrainingSession.objects.exists()
    data["hours"] = "3.5"
    data["attendees"] = [c.reporter.pk, city.n_reporter.pk]  # not offered: refused, nothing saved
    page = client.post(reverse("training_create"), data)
    assert page.status_code == 200 and not TrainingSession.objects.exists()
    data["attendees"] = [c.reporter.pk, c.outsider.pk]
    assert client.post(reverse("training_create"), data).status_code == 302
    session = TrainingSession.objects.get()
    assert session.owner == c.root
    assert {(a.user.username, a.unit.name) for a in Attendance.objects.all()} == {
        ("reporter", "甲镇"),
        ("outsider", "乙镇"),
    }
    assert AuditEntry.objects.get(action="training.created").data["attendees"] == [None, "outsider、reporter"]
    assert client_for(c.reporter).get(reverse("training_detail", args=[session.pk])).status_code == 200
    assert client_for(c.reporter).get(reverse("training_edit", args=[session.pk])).status_code == 403
    assert client_for(city.n_bureau).get(reverse("training_detail", args=[session.pk])).status_code == 404
    assert client_for(city.n_bureau).post(reverse("training_delete", args=[session.pk])).status_code == 404
    data["attendees"] = [c.outsider.pk, c.unit_head.pk]
    assert client.post(reverse("training_edit", args=[session.pk]), data).status_code == 302
    assert set(Attendance.objects.values_list("user__username", flat=True)) == {"outsider", "unithead"}
    assert client.post(reverse("training_delete", args=[session.pk])).status_code == 302
    assert not TrainingSession.objects.exists() and not Attendance.objects.exists()
    assert AuditEntry.objects.filter(action__in=["training.updated", "training.deleted"]).count() == 2


def test_hours_per_unit_and_person_with_the_excel(county, client_for):
    c = county
    make_session(c.bureau, c.root, day(1, 10), "3.5", [c.reporter, c.unit_head, c.outsider])
    make_session(c.bureau, c.root, day(2, 20), "2.0", [c.reporter])
    make_session(c.bureau, c.root, date(YEAR - 1, 12, 31), "9.0", [c.reporter])
    client = client_for(c.bureau)
    page = client.get(reverse("training_hours") + "?first=1&last=12")
    per_unit = [(r["unit__name"], r["times"], str(r["hours"])) for r in page.context["per_unit"]]
    assert per_unit == [("甲镇", 3, "9.0"), ("乙镇", 1, "3.5")]
    people = [(r["user__username"], r["times"], str(r["hours"])) for r in page.context["per_person"]]
    assert people == [("reporter", 2, "5.5"), ("unithead", 1, "3.5"), ("outsider", 1, "3.5")]
    jan = client.get(reverse("training_hours") + "?first=1&last=1").context["per_unit"]
    assert [(r["unit__name"], str(r["hours"])) for r in jan] == [("甲镇", "7.0"), ("乙镇", "3.5")]
    mine = client_for(c.outsider).get(reverse("training_hours") + "?first=1&last=12").context["per_person"]
    assert [r["user__username"] for r in mine] == ["outsider"]
    book = read_cells(content(client.get(reverse("training_hours") + "?first=1&last=12&format=xlsx")))
    units = rows(book["按单位"])
    assert [[x.value for x in r] for r in units] == [["单位", "参训人次", "学时"], ["甲镇", 3, 9], ["乙镇", 1, 3.5]]
    people = rows(book["按人员"])
    assert [x.value for x in people[1]] == ["reporter", "reporter", "甲镇", 2, 5.5]
