"""The lead register's pages as each user gets them: registering from a phone-sized form, the list with its
deadlines lit and a fixed number of queries, its export read back, the lead section of a project's page, and
首报首谈 never showing the entering unit the other unit's project."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import credit_code
from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.frontline.models import LeadProfile
from zhaoshang.projects.models import Project, Stage

pytestmark = pytest.mark.django_db


def _lead(user, unit, name="新材料项目", investor="某某新材料有限公司", **project):
    values = {"name": name, "investor": investor, "responsible_unit": unit, **project}
    return services.lead_register(actor=user, project_values=values, lead_values={"source": "以商招商"})[0]


def _post_new(client, county, **changes):
    data = {
        "p-name": "锂电池正极材料项目",
        "p-investor": "某某锂电科技有限公司",
        "p-credit_code": "",
        "p-funding_type": "内资",
        "p-responsible_unit": county.town.pk,
        "p-team": "",
        "p-industry_chain": "新能源",
        "p-planned_total": "50000",
        "p-stage": "线索",
        "l-registered_on": today().isoformat(),
        "l-source": "中介机构",
        "l-referrer": "王五",
        "l-referrer_contact": "13800000000",
        "l-investor_contact": "赵六",
        "l-investor_phone": "13900000000",
        "l-land_need": "200亩",
        "l-energy_need": "",
        "l-environment_need": "",
        "l-summary": "年产5万吨",
        "l-first_responsible": county.reporter.pk,
        **changes,
    }
    return client.post(reverse("lead_new"), data)


def test_a_reporter_registers_a_lead_and_lands_on_its_page(county, client_for):
    client = client_for(county.reporter)
    assert client.get(reverse("lead_new")).status_code == 200
    response = _post_new(client, county)
    project = Project.objects.get(name="锂电池正极材料项目")
    assert response.status_code == 302 and response["Location"] == reverse("project_detail", args=[project.pk])
    profile = LeadProfile.objects.get(pk=project.pk)
    assert project.stage == Stage.LEAD and project.code and project.planned_total == 50000
    assert profile.source == "中介机构" and profile.first_responsible == county.reporter
    page = client.get(response["Location"]).content.decode()
    assert "招商线索" in page and "王五" in page and "研判" in page


def test_a_refused_lead_keeps_what_was_typed(county, client_for):
    client = client_for(county.reporter)
    response = _post_new(client, county, **{"l-registered_on": (today() + timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    body = response.content.decode()
    assert "登记日期不能晚于今天" in body and "锂电池正极材料项目" in body and "年产5万吨" in body
    assert not Project.objects.filter(name="锂电池正极材料项目").exists()


def test_a_reporter_cannot_register_for_another_unit(county, client_for):
    response = _post_new(client_for(county.reporter), county, **{"p-responsible_unit": county.other_town.pk})
    assert response.status_code == 400 and not LeadProfile.objects.exists()


def test_first_report_warns_without_a_word_of_the_other_unit(county, client_for):
    first = _lead(county.outsider, county.other_town, credit_code=credit_code(42))
    client = client_for(county.reporter)
    response = _post_new(client, county, **{"p-credit_code": credit_code(42)})
    page = client.get(response["Location"]).content.decode()
    assert services.CLAIM_MESSAGE in page
    for secret in (first.project.code, first.project.name, "乙镇"):
        assert secret not in page
    listing = client.get(reverse("lead_list")).content.decode()
    assert "首报首谈待认定" in listing and first.project.code not in listing
    assert client.get(reverse("claim_list")).status_code == 403
    assert client.get(reverse("project_detail", args=[first.pk])).status_code == 404


def test_the_bureau_sees_both_and_decides(county, client_for):
    first = _lead(county.outsider, county.other_town, credit_code=credit_code(43))
    later = _lead(county.reporter, county.town, name="二期", credit_code=credit_code(43))
    client = client_for(county.bureau)
    page = client.get(reverse("claim_list")).content.decode()
    assert first.project.code in page and later.project.code in page and "乙镇" in page and "甲镇" in page
    response = client.post(reverse("claim_settle", args=[later.pk]), {"decision": "first"})
    assert response.status_code == 302
    assert Project.objects.get(pk=later.pk).stage == Stage.DROPPED
    assert "没有待认定" in client.get(reverse("claim_list")).content.decode()


def test_the_list_lights_the_deadlines(county, client_for):
    late = _lead(county.reporter, county.town, name="逾期线索")
    LeadProfile.objects.filter(pk=late.pk).update(registered_on=today() - timedelta(days=30))
    fresh = _lead(county.reporter, county.town, name="新线索")
    client = client_for(county.reporter)
    page = client.get(reverse("lead_list")).content.decode()
    assert "deadline-red" in page and "逾期线索" in page and "新线索" in page
    only_late = client.get(reverse("lead_list"), {"overdue": "on"}).content.decode()
    assert "逾期线索" in only_late and fresh.project.name not in only_late


def test_the_list_is_scoped_like_the_ledger(city, client_for):
    county = city.county
    _lead(county.reporter, county.town, name="甲镇的线索")
    _lead(county.outsider, county.other_town, name="乙镇的线索")
    _lead(city.n_reporter, city.n_town, name="邻县的线索")
    seen = {
        user: client_for(getattr(county, user) if hasattr(county, user) else getattr(city, user))
        .get(reverse("lead_list"))
        .content.decode()
        for user in ("reporter", "outsider", "bureau", "n_bureau", "city_bureau")
    }
    assert "甲镇的线索" in seen["reporter"] and "乙镇的线索" not in seen["reporter"]
    assert "乙镇的线索" in seen["outsider"] and "甲镇的线索" not in seen["outsider"]
    assert "甲镇的线索" in seen["bureau"] and "乙镇的线索" in seen["bureau"] and "邻县的线索" not in seen["bureau"]
    assert "邻县的线索" in seen["n_bureau"] and "甲镇的线索" not in seen["n_bureau"]
    assert all(name in seen["city_bureau"] for name in ("甲镇的线索", "乙镇的线索", "邻县的线索"))


def test_the_city_bureau_sees_a_cross_county_investor_read_only(city, client_for):
    county = city.county
    ours = _lead(county.reporter, county.town, credit_code=credit_code(88))
    Project.objects.filter(pk=city.n_project.pk).update(credit_code=credit_code(88))
    assert ours.claim_conflict is None
    page = client_for(city.city_bureau).get(reverse("claim_list")).content.decode()
    assert "跨县区" in page and ours.project.code in page and city.n_project.code in page
    for user in (county.bureau, city.n_bureau):
        assert city.n_project.code not in client_for(user).get(reverse("claim_list")).content.decode()
        assert ours.project.code not in client_for(city.n_bureau).get(reverse("claim_list")).content.decode()


def _queries_for_list(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("lead_list")).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_takes_a_fixed_number_of_queries(county, client_for):
    _lead(county.reporter, county.town, name="一")
    few = _queries_for_list(client_for(county.bureau))
    for i in range(12):
        unit = (county.town, county.other_town, county.town_park)[i % 3]
        profile = _lead(county.bureau, unit, name=f"线索{i}", investor=f"投资方{i}", team=county.team)
        if unit == county.town:
            services.lead_assign_first(actor=county.bureau, profile=profile, user=county.reporter)
        services.followup_add(
            actor=county.bureau, project=profile.project, values={"on_date": today(), "content": "电话"}
        )
    assert _queries_for_list(client_for(county.bureau)) == few


def test_the_export_holds_every_filtered_lead_as_text(county, client_for):
    _lead(county.reporter, county.town, name='=HYPERLINK("x")', investor="甲公司")
    _lead(county.reporter, county.town, name="第二条", investor="乙公司")
    _lead(county.outsider, county.other_town, name="乙镇的线索")
    response = client_for(county.reporter).get(reverse("lead_list"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = read_cells(content(response))["招商线索"]
    table = rows(sheet)
    assert [c.value for c in table[0]][:4] == ["项目编号", "项目名称", "投资方", "统一社会信用代码"]
    names = {r[1].value for r in table[1:]}
    assert names == {'\'=HYPERLINK("x")', "第二条"}  # a formula is written as text, never run
    judgement = table[0].index(next(c for c in table[0] if c.value == "研判结果"))
    assert {r[judgement].value for r in table[1:]} == {"待研判"}


def test_the_lead_section_offers_the_actions_to_writers_only(county, client_for):
    profile = _lead(county.reporter, county.town)
    url = reverse("project_detail", args=[profile.pk])
    writer = client_for(county.reporter).get(url).content.decode()
    assert reverse("lead_judge", args=[profile.pk]) in writer and reverse("lead_assign", args=[profile.pk]) in writer
    reader = client_for(county.leader).get(url).content.decode()
    assert "招商线索" in reader and reverse("lead_judge", args=[profile.pk]) not in reader


def test_judging_from_the_page_and_a_refusal_keeps_the_form(county, client_for):
    profile = _lead(county.reporter, county.town)
    client = client_for(county.reporter)
    refused = client.post(reverse("lead_judge", args=[profile.pk]), {"judgement": "不予跟进", "on_date": today()})
    assert refused.status_code == 400 and "不予跟进须填写理由" in refused.content.decode()
    done = client.post(
        reverse("lead_judge", args=[profile.pk]), {"judgement": "不予跟进", "on_date": today(), "reason": "无意向"}
    )
    assert done.status_code == 302
    assert Project.objects.get(pk=profile.pk).stage == Stage.DROPPED
    assert AuditEntry.objects.filter(action="lead.judged", actor=county.reporter).exists()


def test_a_project_at_lead_stage_offers_to_register_it(county, client_for):
    project = Project.objects.create(code="XM-L-9", name="老线索", investor="甲公司", responsible_unit=county.town)
    client = client_for(county.reporter)
    assert (
        reverse("lead_attach", args=[project.pk])
        in client.get(reverse("project_detail", args=[project.pk])).content.decode()
    )
    response = client.post(
        reverse("lead_attach", args=[project.pk]),
        {"registered_on": today().isoformat(), "source": "自主对接", "first_responsible": ""},
    )
    assert response.status_code == 302 and LeadProfile.objects.filter(pk=project.pk).exists()
    signed = client.get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert reverse("lead_attach", args=[county.project.pk]) not in signed


def test_the_bureau_reassigns_a_stale_lead_from_its_page(county, client_for):
    profile = _lead(county.reporter, county.town)
    LeadProfile.objects.filter(pk=profile.pk).update(registered_on=today() - timedelta(days=90))
    page = client_for(county.bureau).get(reverse("project_detail", args=[profile.pk])).content.decode()
    assert reverse("lead_transfer", args=[profile.pk]) in page
    assert (
        reverse("lead_transfer", args=[profile.pk])
        not in client_for(county.unit_head).get(reverse("project_detail", args=[profile.pk])).content.decode()
    )
    response = client_for(county.bureau).post(
        reverse("lead_transfer", args=[profile.pk]), {"to_unit": county.other_town.pk, "reason": "九十天未跟进"}
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=profile.pk).responsible_unit == county.other_town
    stale = client_for(county.outsider).get(reverse("lead_list"), {"stale": "on"}).content.decode()
    assert profile.project.name in stale
