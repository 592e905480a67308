"""The ledger list's filters and paging, the project form and the stage form, as the pages show them."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.factories import make_project
from tests.progress.chain_data import make_chain, project_on
from tests.projects.forms import post_new_project
from tests.xlsx_cells import content
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


def codes(response):
    return {p.code for p in response.context["page"].object_list}


def test_it_filters_the_ledger(county, client_for):
    big = make_project(
        county.bureau,
        county.town,
        contract_amount=Decimal("20000"),
        key_level="省重点",
        name="年产30万吨锂电池正极材料项目",
        signed_on=date(2025, 6, 1),
    )
    foreign = make_project(county.bureau, county.town_park, funding_type="外资", contract_amount=Decimal("300"))
    client = client_for(county.leader)
    url = reverse("project_list")
    assert codes(client.get(url, {"major": "1"})) == {big.code}
    assert codes(client.get(url, {"key_level": "省重点"})) == {big.code}
    assert codes(client.get(url, {"funding_type": "外资"})) == {foreign.code}
    assert codes(client.get(url, {"q": "锂电池"})) == {big.code}
    assert codes(client.get(url, {"signed_from": "2025-01-01", "signed_to": "2025-12-31"})) == {big.code}
    # a unit filter includes the units below it
    assert codes(client.get(url, {"unit": county.town.pk})) == {
        county.project.code,
        county.park_project.code,
        big.code,
        foreign.code,
    }
    assert codes(client.get(url, {"team": county.team.pk})) == {county.project.code}
    bad = client.get(url, {"signed_from": "2026-05-01", "signed_to": "2026-01-01"})
    assert "结束日期不能早于开始日期" in bad.content.decode()


def test_it_pages_the_ledger(county, client_for, settings):
    settings.PAGE_SIZE = 2
    client = client_for(county.leader)
    first = client.get(reverse("project_list"))
    assert len(first.context["page"].object_list) == 2 and "下一页" in first.content.decode()
    last = client.get(reverse("project_list"), {"page": 2})
    assert len(last.context["page"].object_list) == 1


def test_a_reporter_sees_its_subtree_only(county, client_for):
    seen = codes(client_for(county.reporter).get(reverse("project_list")))
    assert seen == {county.project.code, county.park_project.code}


def test_it_creates_a_project_from_the_form_with_every_template_field(county, client_for):
    response = post_new_project(
        client_for(county.reporter),
        county.town,
        code="XM-F-1",
        name="年产5万吨预制菜项目",
        investor="苏州恒信科技有限公司",
        credit_code="91330100716105852F",
        team=county.team.pk,
        leader_in_charge="王建国",
        industry_chain="食品加工",
        stage="开工",
        signed_on="2025-03-01",
        contract_amount="15000",
        planned_total="16000",
        started_on="2025-06-01",
        production_on="",
        key_level="县重点",
    )
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(code="XM-F-1")
    assert project.is_major and project.stage == "开工" and project.team == county.team
    assert project.stage_changes.get().changed_on == date(2025, 6, 1)


def test_the_form_shows_every_error_in_chinese(county, client_for):
    response = post_new_project(
        client_for(county.reporter),
        county.town,
        code=county.project.code,
        name="X",
        credit_code="9144030071526726XA",
        stage="开工",
        contract_amount="-1",
    )
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("校验位错误", f"项目编号 {county.project.code} 已被使用", "须填写签约日期"):
        assert text in body, text
    assert not Project.objects.filter(name="X").exists()


def test_a_reporter_cannot_put_a_project_in_another_unit(county, client_for):
    response = post_new_project(
        client_for(county.reporter), county.other_town, code="XM-F-2", name="越权项目", stage="线索"
    )
    assert response.status_code == 200 and "responsible_unit" in response.context["form"].errors
    assert not Project.objects.filter(code="XM-F-2").exists()


def test_the_stage_form_moves_the_stage_and_reports_errors(county, client_for):
    client = client_for(county.reporter)
    url = reverse("project_stage", args=[county.project.pk])
    response = client.post(url, {"to_stage": "终止", "on_date": date.today().isoformat(), "reason": ""}, follow=True)
    assert "终止项目须填写原因" in response.content.decode()
    client.post(url, {"to_stage": "注册", "on_date": date.today().isoformat()})
    county.project.refresh_from_db()
    assert county.project.stage == "注册"
    page = client.get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert "签约 → <strong>注册</strong>" in page


def test_it_filters_the_ledger_by_a_chains_link_and_exports_the_same(city, client_for):
    """?chain=&link= (the chain map's "另有N个" links): the link's projects the user reads; the export holds the same
    rows; a neighbouring county's link is not offered, and asking for it shows none of its projects."""
    county = city.county
    chain, (cells, packs) = make_chain(county.root, "储能", [("电芯", "中游", "薄弱"), ("电池包", "中游", "薄弱")])
    on_cells = project_on(county.bureau, county.town, cells, "签约", name="甲镇电芯项目")
    project_on(county.bureau, county.town, packs, "签约", name="甲镇电池包项目")
    project_on(county.bureau, county.other_town, cells, "签约", name="乙镇电芯项目")
    theirs, (cold,) = make_chain(city.neighbour, "邻县绿色食品", [("冷链", "下游", "缺失")])
    project_on(city.n_bureau, city.n_town, cold, "签约", name="邻县冷链项目")
    client = client_for(county.reporter)
    url = reverse("project_list")
    page = client.get(url, {"chain": chain.pk, "link": cells.pk})
    assert codes(page) == {on_cells.code}
    assert "储能/电芯" in page.content.decode() and "冷链" not in page.content.decode()
    data = content(client.get(url, {"chain": chain.pk, "link": cells.pk, "format": "xlsx"}))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    name = sheet[0].index("项目名称")
    assert [row[name] for row in sheet[1:] if any(row)] == ["甲镇电芯项目"]
    asked = client.get(url, {"link": cold.pk})
    assert "所选环节不在可选范围内" in asked.content.decode() and "邻县冷链项目" not in asked.content.decode()
