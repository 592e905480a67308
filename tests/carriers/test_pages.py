"""The carriers pages through the real views: scope across two counties and two towns (404 outside, 403 to a
reader that may not write), the list's filters, totals and fixed query count, the Excel read back, photos (refusals,
re-encoding without metadata, served only to the carrier's readers), and 入驻载体 on the project's page."""

import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from PIL import Image

from tests.carriers.helpers import D, days_ago, make_carrier, place
from tests.factories import make_project
from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.carriers.models import Carrier, CarrierPhoto

pytestmark = pytest.mark.django_db


def carriers_of_the_city(city):
    county = city.county
    return {
        "town": make_carrier(county.bureau, county.town, "甲镇厂房"),
        "park": make_carrier(county.bureau, county.town_park, "甲镇工业园孵化器", kind="孵化器"),
        "other": make_carrier(county.bureau, county.other_town, "乙镇产业园", kind="产业园区"),
        "neighbour": make_carrier(city.n_bureau, city.n_town, "邻镇厂房"),
    }


def names_listed(client):
    response = client.get(reverse("carrier_list"))
    assert response.status_code == 200
    return {c.name for c in response.context["page"]}


def test_each_reader_sees_its_own_carriers_only(city, client_for):
    county = city.county
    carriers_of_the_city(city)
    assert names_listed(client_for(county.reporter)) == {"甲镇厂房", "甲镇工业园孵化器"}
    assert names_listed(client_for(county.outsider)) == {"乙镇产业园"}
    assert names_listed(client_for(county.bureau)) == {"甲镇厂房", "甲镇工业园孵化器", "乙镇产业园"}
    assert names_listed(client_for(city.n_bureau)) == {"邻镇厂房"}
    assert names_listed(client_for(city.city_bureau)) == {"甲镇厂房", "甲镇工业园孵化器", "乙镇产业园", "邻镇厂房"}
    export = rows(
        read_cells(content(client_for(city.n_reporter).get(reverse("carrier_list") + "?format=xlsx")))["载体"]
    )
    assert [r[0].value for r in export[1:]] == ["邻镇厂房"]


def test_outside_the_scope_404_and_a_reader_that_may_not_write_403(city, client_for):
    county = city.county
    made = carriers_of_the_city(city)
    town = made["town"]
    for user in (county.outsider, city.n_bureau, city.n_reporter):
        client = client_for(user)
        assert client.get(reverse("carrier_detail", args=[town.pk])).status_code == 404
        assert client.post(reverse("carrier_edit", args=[town.pk]), {}).status_code == 404
    leader = client_for(county.leader)
    assert leader.get(reverse("carrier_detail", args=[town.pk])).status_code == 200
    assert leader.get(reverse("carrier_edit", args=[town.pk])).status_code == 403
    assert leader.get(reverse("carrier_create")).status_code == 403
    assert leader.post(reverse("carrier_delete", args=[town.pk])).status_code == 403
    # the 甲镇 reporter reads the park below its town but writes its own town only
    reporter = client_for(county.reporter)
    assert reporter.get(reverse("carrier_edit", args=[made["park"].pk])).status_code == 403
    assert reporter.get(reverse("occupancy_create", args=[town.pk])).status_code == 200


def test_a_reporter_enters_a_carrier_and_an_occupancy_from_the_page(county, client_for):
    client = client_for(county.reporter)
    response = client.post(
        reverse("carrier_create"),
        {
            "unit": county.town.pk,
            "name": "甲镇创业孵化基地",
            "kind": "孵化器",
            "building_m2": "3000",
            "address": "甲镇工业路8号",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    carrier = Carrier.objects.get(name="甲镇创业孵化基地")
    assert carrier.occupied_before_m2 == 0 and carrier.land_mu is None
    post = {"project_code": county.project.code, "floor_m2": "3500", "moved_in_on": days_ago(3).isoformat()}
    page = client.post(reverse("occupancy_create", args=[carrier.pk]), post).content.decode()
    assert "仅剩 3,000 ㎡" in page  # refused, the form kept
    page = client.post(
        reverse("occupancy_create", args=[carrier.pk]), post | {"project_code": county.other_project.code}
    )
    assert "不是本县区您可查看的台账项目" in page.content.decode()
    response = client.post(reverse("occupancy_create", args=[carrier.pk]), post | {"floor_m2": "1200.5"})
    assert response.status_code == 302
    detail = client.get(reverse("carrier_detail", args=[carrier.pk])).content.decode()
    assert county.project.name in detail and "1,799.5" in detail  # 3000 − 1200.5 available
    project_page = client.get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert "入驻载体" in project_page and "甲镇创业孵化基地" in project_page


def test_list_filters_and_sorting_by_available_space(county, client_for):
    make_carrier(county.bureau, county.town, "小厂房", building_m2=D("3000"), occupied_before_m2=D("0"))
    make_carrier(county.bureau, county.town, "大厂房", building_m2=D("50000"), occupied_before_m2=D("0"))
    make_carrier(
        county.bureau,
        county.town,
        "贵厂房",
        building_m2=D("9000"),
        rent_yuan_m2_month=D("30"),
        occupied_before_m2=D("0"),
    )
    make_carrier(
        county.bureau,
        county.town,
        "园区",
        kind="产业园区",
        building_m2=None,
        occupied_before_m2=D("0"),
        land_mu=D("500"),
    )
    client = client_for(county.bureau)
    listed = lambda query: [c.name for c in client.get(reverse("carrier_list") + query).context["page"]]  # noqa: E731
    assert listed("") == ["大厂房", "贵厂房", "小厂房", "园区"]  # by available ㎡, a carrier without buildings last
    assert listed("?sort=mu")[0] == "园区"
    assert listed("?min_m2=5000&max_rent=20") == ["大厂房"]
    assert listed("?kind=产业园区&min_mu=400") == ["园区"]
    assert listed("?min_m2=abc") == []
    totals = client.get(reverse("carrier_list")).context["totals"]
    assert totals.carriers == 4 and totals.available_m2 == D("62000") and totals.land_mu == D("800")


def test_the_list_takes_a_fixed_number_of_queries(county, client_for):
    client = client_for(county.bureau)

    def count():
        client.get(reverse("carrier_list"))  # the session's and the user's first reads out of the way
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("carrier_list")).status_code == 200
        return len(queries)

    place(county.bureau, make_carrier(county.bureau, county.town, "一号厂房"), county.project, land=1)
    few = count()
    for n in range(5):
        carrier = make_carrier(county.bureau, county.other_town, f"乙镇厂房{n}")
        place(county.bureau, carrier, make_project(county.bureau, county.other_town), land=1, floor=10)
        place(county.bureau, carrier, make_project(county.bureau, county.other_town), land=1)
    assert count() == few


def test_names_of_projects_the_reader_does_not_read_are_counted_not_shown(county, client_for):
    carrier = make_carrier(county.bureau, county.town)
    place(county.bureau, carrier, county.project, land=1)
    place(county.bureau, carrier, county.other_project, land=1)  # 乙镇's project, placed by the bureau
    client = client_for(county.reporter)
    row = client.get(reverse("carrier_list")).context["page"][0]
    assert row.inside.count == 2 and row.inside.names == [county.project.name]
    detail = client.get(reverse("carrier_detail", args=[carrier.pk])).content.decode()
    assert county.other_project.name not in detail and "其他单位项目" in detail


def test_export_reads_back_with_numbers(county, client_for):
    carrier = make_carrier(county.bureau, county.town)
    place(county.bureau, carrier, county.project, land="12.5", floor=1000)
    sheet = read_cells(content(client_for(county.bureau).get(reverse("carrier_list") + "?format=xlsx")))["载体"]
    header, first = rows(sheet)[:2]
    values = {h.value: c.value if c else None for h, c in zip(header, first, strict=False)}
    assert values["载体名称"] == "甲镇标准化厂房一期" and values["可用土地（亩）"] == 77.5  # 100 − 10 − 12.5
    assert values["可用面积（㎡）"] == 17000 and values["入驻项目数"] == 1 and values["入驻项目"] == county.project.name


def image_bytes(kind="PNG", size=(40, 30), exif=False):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    extra = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "SecretCam"  # Make
        tags[0x8825] = {2: (30.0, 15.0, 0.0)}  # a GPS block
        extra["exif"] = tags.tobytes()
    image.save(buffer, kind, **extra)
    return buffer.getvalue()


def upload(client, carrier, data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("carrier_photo_upload", args=[carrier.pk]),
        {"image": SimpleUploadedFile(name, data), "caption": "厂房外景"},
        follow=True,
    )


def test_photos_are_checked_reencoded_and_served_to_readers_only(city, client_for, django_capture_on_commit_callbacks):
    county = city.county
    carrier = make_carrier(county.bureau, county.town)
    client = client_for(county.reporter)
    page = upload(client, carrier, b"not an image at all", "x.jpg").content.decode()
    assert "不是可识别的 JPG 或 PNG 图片" in page and not CarrierPhoto.objects.exists()
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, "GIF")
    assert "只能上传 JPG 或 PNG" in upload(client, carrier, gif.getvalue(), "a.png").content.decode()
    with override_settings(CARRIER_PHOTO_MAX_BYTES=1000):
        page = upload(client, carrier, image_bytes("PNG", (400, 400)) + b"\0" * 2000, "big.png").content.decode()
        assert "照片不能超过" in page and not CarrierPhoto.objects.exists()
    upload(client, carrier, image_bytes("PNG"), "../../etc/passwd.jpg")  # a PNG named .jpg: taken as a PNG
    upload(client, carrier, image_bytes("JPEG", exif=True), "IMG_0001.JPG")
    png, jpeg = CarrierPhoto.objects.order_by("pk")
    assert png.image.name.endswith(".png") and "passwd" not in png.image.name
    with default_storage.open(jpeg.image.name) as stored:
        data = stored.read()
    assert b"SecretCam" not in data and not Image.open(io.BytesIO(data)).getexif()
    served = client_for(county.bureau).get(reverse("carrier_photo", args=[jpeg.pk]))
    assert (
        served.status_code == 200
        and served["Content-Type"] == "image/jpeg"
        and b"".join(served.streaming_content) == data
    )
    for outsider in (county.outsider, city.n_bureau):
        assert client_for(outsider).get(reverse("carrier_photo", args=[jpeg.pk])).status_code == 404
    assert client_for(None).get(reverse("carrier_photo", args=[jpeg.pk])).status_code == 302  # to the login page
    assert client_for(county.leader).post(reverse("carrier_photo_delete", args=[jpeg.pk])).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row's deletion is committed
        client.post(reverse("carrier_photo_delete", args=[jpeg.pk]))
    assert not default_storage.exists(jpeg.image.name) and CarrierPhoto.objects.count() == 1


def test_at_most_the_configured_number_of_photos(county, client_for):
    carrier = make_carrier(county.bureau, county.town)
    client = client_for(county.bureau)
    with override_settings(CARRIER_PHOTO_MAX_COUNT=1):
        upload(client, carrier, image_bytes(), "a.png")
        assert "最多保存 1 张照片" in upload(client, carrier, image_bytes(), "b.png").content.decode()
    assert CarrierPhoto.objects.count() == 1
