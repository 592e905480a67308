"""The library's pages through the real views: scope (two townships, two counties, a city's bureau), 404 outside
it and 403 to a reader on writes, entry with the duplicate said on the page, the filters and 无人对接, linking work
from a target's page, a trip's page naming its targets, fixed query counts, and the export read back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import credit_code
from tests.industry.helpers import make_reception, make_target, make_trip
from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.industry import services
from zhaoshang.industry.models import TargetEnterprise

pytestmark = pytest.mark.django_db


def names(response) -> set[str]:
    return {t.name for t in response.context["page"]}


def post(unit, **over):
    data = {
        "unit": unit.pk,
        "name": "深圳新能源科技有限公司",
        "credit_code": "",
        "headquarters": "深圳市",
        "tag_list": ["上市公司", "行业龙头"],
        "main_products": "动力电池",
        "contact_person": "张经理",
        "contact_phone": "13800000000",
        "status": "未接触",
        "note": "",
    }
    return {**data, **over}


def test_each_reads_its_own_scope(city, client_for):
    county = city.county
    make_target(county.reporter, county.town, "甲镇的目标")
    make_target(county.unit_head, county.town_park, "园区的目标")
    theirs = make_target(county.outsider, county.other_town, "乙镇的目标")
    make_target(city.n_reporter, city.n_town, "邻县的目标")
    url = reverse("target_list")
    assert names(client_for(county.reporter).get(url)) == {"甲镇的目标", "园区的目标"}
    assert names(client_for(county.outsider).get(url)) == {"乙镇的目标"}
    assert names(client_for(county.bureau).get(url)) == {"甲镇的目标", "园区的目标", "乙镇的目标"}
    assert names(client_for(county.leader).get(url)) == {"甲镇的目标", "园区的目标", "乙镇的目标"}
    assert names(client_for(city.n_bureau).get(url)) == {"邻县的目标"}
    assert len(names(client_for(city.city_bureau).get(url))) == 4
    # outside the scope: 404, page and actions alike; a leader reads but may not write: 403
    for user in (county.reporter, city.n_bureau, city.n_reporter):
        client = client_for(user)
        assert client.get(reverse("target_detail", args=[theirs.pk])).status_code == 404
        assert client.get(reverse("target_edit", args=[theirs.pk])).status_code == 404
        assert client.post(reverse("target_delete", args=[theirs.pk])).status_code == 404
        assert client.post(reverse("target_link", args=[theirs.pk]), {"kind": "trip", "pk": 1}).status_code == 404
    leader = client_for(county.leader)
    assert leader.get(reverse("target_detail", args=[theirs.pk])).status_code == 200
    assert leader.get(reverse("target_edit", args=[theirs.pk])).status_code == 403
    assert leader.get(reverse("target_create")).status_code == 403
    assert leader.post(reverse("target_delete", args=[theirs.pk])).status_code == 403
    assert client_for(city.city_leader).get(reverse("target_detail", args=[theirs.pk])).status_code == 200
    assert TargetEnterprise.objects.filter(pk=theirs.pk).exists()


def test_entry_from_the_page_and_the_duplicate_said_per_role(county, client_for):
    client = client_for(county.reporter)
    response = client.post(reverse("target_create"), post(county.town))
    assert response.status_code == 302
    target = TargetEnterprise.objects.get()
    assert target.tags == "|上市公司|行业龙头|" and target.author == county.reporter and target.county == county.root
    page = client.get(reverse("target_detail", args=[target.pk])).content.decode()
    assert "深圳新能源科技有限公司" in page and "行业龙头" in page and "动力电池" in page
    response = client_for(county.outsider).post(reverse("target_create"), post(county.other_town))
    text = response.content.decode()
    assert response.status_code == 200 and "由其他单位负责对接" in text and "甲镇" not in text.split("<main")[1]
    response = client_for(county.bureau).post(reverse("target_create"), post(county.other_town))
    assert "责任单位：甲镇" in response.content.decode()
    response = client.post(reverse("target_create"), post(county.town, name="另一家", credit_code="123"))
    assert "统一社会信用代码" in response.content.decode() and TargetEnterprise.objects.count() == 1


def test_the_filters_and_nobody_working_it(county, client_for):
    chain = Chain.objects.create(owner=county.root, name="新能源")
    link = ChainLink.objects.create(chain=chain, name="电池材料", position="上游")
    a = make_target(county.bureau, county.town, "甲", chain=chain, link=link, tags=["独角兽"])
    b = make_target(county.bureau, county.town, "乙", chain=chain, credit_code=credit_code(700))
    make_target(county.bureau, county.other_town, "丙", status="已接触")
    make_target(county.bureau, county.other_town, "丁")
    services.target_link(
        actor=county.bureau, target=b, kind="reception", pk=make_reception(county.bureau, county.town).pk
    )
    client = client_for(county.bureau)
    url = reverse("target_list")
    assert names(client.get(url, {"chain": chain.pk})) == {"甲", "乙"}
    assert names(client.get(url, {"link": link.pk})) == {"甲"}
    assert names(client.get(url, {"tag": "独角兽"})) == {"甲"}
    assert names(client.get(url, {"status": "已接触"})) == {"乙", "丙"}
    assert names(client.get(url, {"unit": county.other_town.pk})) == {"丙", "丁"}
    assert names(client.get(url, {"q": credit_code(700).lower()})) == {"乙"}
    assert names(client.get(url, {"unworked": "on"})) == {"甲", "丁"}
    assert a.status == "未接触"


def test_linking_work_from_the_targets_page(county, client_for):
    target = make_target(county.reporter, county.town)
    trip = make_trip(county.reporter, county.town, visited="深圳新能源科技有限公司\n深圳另一家")
    make_trip(county.outsider, county.other_town, visited="乙镇也去了深圳")
    client = client_for(county.reporter)
    page = client.get(reverse("target_detail", args=[target.pk]), {"kind": "trip", "q": "深圳"})
    found = page.context["found"]
    assert [w["pk"] for w in found] == [trip.pk]  # 乙镇's trip is not the reporter's to read
    api = client.get(reverse("target_work_search", args=[target.pk]), {"kind": "trip", "q": "深圳"}).json()
    assert [w["pk"] for w in api["results"]] == [trip.pk]
    response = client.post(reverse("target_link", args=[target.pk]), {"kind": "trip", "pk": trip.pk}, follow=True)
    assert "已关联" in response.content.decode()
    target.refresh_from_db()
    assert target.status == "已接触" and list(target.trips.all()) == [trip]
    trip_page = client.get(reverse("trip_detail", args=[trip.pk])).content.decode()
    assert reverse("target_detail", args=[target.pk]) in trip_page
    # a township that does not read the target does not see it on a trip's page the bureau linked
    theirs = make_target(county.bureau, county.other_town, "乙镇的目标")
    services.target_link(actor=county.bureau, target=theirs, kind="trip", pk=trip.pk)
    assert "乙镇的目标" not in client.get(reverse("trip_detail", args=[trip.pk])).content.decode()
    # bad input: said, nothing lost
    response = client.post(reverse("target_link", args=[target.pk]), {"kind": "trip", "pk": "x"}, follow=True)
    assert "请选择要关联的记录" in response.content.decode()
    response = client.post(reverse("target_unlink", args=[target.pk]), {"kind": "trip", "pk": trip.pk}, follow=True)
    assert "已取消关联" in response.content.decode()
    target.refresh_from_db()
    assert target.status == "已接触" and not target.trips.exists()


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_makes_a_fixed_number_of_queries(county, client_for):
    chain = Chain.objects.create(owner=county.root, name="新能源")
    link = ChainLink.objects.create(chain=chain, name="电池材料")
    trip = make_trip(county.reporter, county.town)
    counter = {"n": 0}

    def add(n):
        for _ in range(n):
            counter["n"] += 1
            target = make_target(county.reporter, county.town, f"企业{counter['n']}", link=link, tags=["其他"])
            services.target_link(actor=county.reporter, target=target, kind="trip", pk=trip.pk)
            services.target_link(actor=county.reporter, target=target, kind="project", pk=county.project.pk)

    for user in (county.reporter, county.leader):
        client = client_for(user)
        add(2)
        few = _queries(client, reverse("target_list"), {"q": ""})
        add(25)
        assert _queries(client, reverse("target_list"), {"q": ""}) == few
    page = client_for(county.reporter).get(reverse("target_list"))
    assert page.context["page"][0].trip_count == 1 and page.context["page"][0].project_count == 1


def test_the_export_reads_back_with_text_escaped(county, client_for):
    make_target(county.reporter, county.town, "=1+2公司", main_products="+86 电池", tags=["上市公司"])
    make_target(county.outsider, county.other_town, "乙镇的目标")
    response = client_for(county.reporter).get(reverse("target_list"), {"format": "xlsx"})
    assert response.status_code == 200
    table = [[cell.value if cell else None for cell in row] for row in rows(read_cells(content(response))["目标企业"])]
    assert len(table) == 2  # 乙镇's target is not the reporter's to read
    row = dict(zip(table[0], table[1], strict=False))
    assert row["企业名称"] == "'=1+2公司" and row["主营产品"] == "'+86 电池"
    assert row["企业类型"] == "上市公司" and row["责任单位"] == "甲镇" and row["对接状态"] == "未接触"


def test_the_menu_links_the_library(county, client_for):
    page = client_for(county.reporter).get(reverse("home")).content.decode()
    assert "<summary>产业链</summary>" in page and reverse("target_list") in page


def test_a_city_bureau_is_offered_only_the_targets_county_work(city, client_for):
    county = city.county
    target = make_target(county.reporter, county.town)
    client = client_for(city.city_bureau)
    url = reverse("target_work_search", args=[target.pk])
    found = client.get(url, {"kind": "project", "q": "项目"}).json()["results"]
    assert found and city.n_project.pk not in {w["pk"] for w in found}
    assert county.project.pk in {w["pk"] for w in found}
