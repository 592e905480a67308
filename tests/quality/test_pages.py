"""The 数据质量 pages: who reads which flags, the unit's 说明, the bureau's 关闭, the settings, the project page's
section, the 点评 material; a city of two counties keeps each county's flags and names to itself."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import credit_code
from tests.quality.helpers import Y, flags, funds, run, signed
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins import meetings
from zhaoshang.quality.models import Flag, FlagStatus, Rule, RuleSetting

pytestmark = pytest.mark.django_db


def _over(c, unit):
    """A project of `unit` with 555 arrived on a 100 contract: one 到位资金超协议资金 flag (and not a round amount)."""
    p = signed(c, unit, contract_amount=Decimal(100))
    funds(c, p, 2, 555)
    return p


@pytest.fixture
def raised(county):
    c = county
    town, other = _over(c, c.town), _over(c, c.other_town)
    run(c)
    return (
        c,
        Flag.objects.get(project=town, rule=Rule.OVER_CONTRACT),
        Flag.objects.get(project=other, rule=Rule.OVER_CONTRACT),
    )


def test_each_unit_reads_its_own_subtrees_flags(raised, client_for):
    c, town_flag, other_flag = raised
    page = client_for(c.reporter).get(reverse("quality_list")).content.decode()
    assert town_flag.project.code in page and other_flag.project.code not in page
    page = client_for(c.bureau).get(reverse("quality_list")).content.decode()
    assert town_flag.project.code in page and other_flag.project.code in page
    assert client_for(c.outsider).get(reverse("quality_flag", args=[town_flag.pk])).status_code == 404


def test_the_list_filters_by_rule_status_unit_and_month(raised, client_for):
    c, town_flag, other_flag = raised
    client = client_for(c.bureau)
    page = client.get(reverse("quality_list"), {"unit": c.other_town.pk}).content.decode()
    assert other_flag.project.code in page and town_flag.project.code not in page
    page = client.get(reverse("quality_list"), {"rule": Rule.SPIKE}).content.decode()
    assert other_flag.project.code not in page
    page = client.get(reverse("quality_list"), {"status": FlagStatus.CLOSED}).content.decode()
    assert other_flag.project.code not in page
    assert client.get(reverse("quality_list"), {"month": "2026-13"}).status_code == 200


def test_the_list_reads_a_fixed_number_of_queries_whatever_its_length(
    county, client_for, django_assert_max_num_queries
):
    c = county
    _over(c, c.town)
    run(c)
    client = client_for(c.bureau)
    client.get(reverse("quality_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("quality_list"))
    for _ in range(6):
        _over(c, c.town)
        _over(c, c.other_town)
    run(c)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("quality_list"))
    assert Flag.objects.count() >= 13
    assert len(many) == len(few)


def test_the_unit_explains_and_the_bureau_closes(raised, client_for):
    c, town_flag, _ = raised
    url = reverse("quality_explain", args=[town_flag.pk])
    assert client_for(c.leader).post(url, {"explanation": "x"}).status_code == 403
    assert client_for(c.outsider).post(url, {"explanation": "x"}).status_code == 404
    response = client_for(c.reporter).post(url, {"explanation": ""})
    assert response.status_code == 400 and "情况说明" in response.content.decode()
    response = client_for(c.reporter).post(url, {"explanation": "投资方提前到位二期资金"})
    assert response.status_code == 302
    town_flag.refresh_from_db()
    assert (town_flag.status, town_flag.explained_by) == (FlagStatus.EXPLAINED, c.reporter)
    assert AuditEntry.objects.filter(action="quality.explained", actor=c.reporter).exists()

    close = reverse("quality_close", args=[town_flag.pk])
    assert client_for(c.reporter).post(close, {"note": "x"}).status_code == 403
    assert client_for(c.unit_head).post(close, {"note": "x"}).status_code == 403
    assert client_for(c.bureau).post(close, {"note": "已核实补充协议"}).status_code == 302
    town_flag.refresh_from_db()
    assert town_flag.status == FlagStatus.CLOSED and town_flag.close_note == "已核实补充协议"
    assert AuditEntry.objects.filter(action="quality.closed", actor=c.bureau).exists()
    # A closed flag is no longer explained
    assert client_for(c.reporter).post(url, {"explanation": "再说明"}).status_code == 403


def test_a_reporter_does_not_explain_a_flag_of_the_unit_below(county, client_for):
    c = county
    p = _over(c, c.town_park)
    run(c)
    flag = Flag.objects.get(project=p)
    url = reverse("quality_explain", args=[flag.pk])
    assert client_for(c.reporter).post(url, {"explanation": "x"}).status_code == 403  # reads 甲镇工业园, writes 甲镇
    assert client_for(c.unit_head).post(url, {"explanation": "园区说明"}).status_code == 302


def test_the_project_page_shows_its_flags(raised, client_for):
    c, town_flag, _ = raised
    page = client_for(c.reporter).get(reverse("project_detail", args=[town_flag.project_id])).content.decode()
    assert "数据质量提示" in page and town_flag.detail in page


def test_the_settings_change_thresholds_with_checked_values(county, client_for):
    c = county
    url = reverse("quality_settings")
    assert client_for(c.reporter).get(url).status_code == 403
    client = client_for(c.bureau)
    form = client.get(url).context["form"]
    data = {
        name: ("on" if value is True else "" if value in (None, False) else value)
        for name, value in form.initial.items()
    }
    bad = {**data, f"{Rule.SPIKE}-ratio": "0.5"}
    response = client.post(url, bad)
    assert response.status_code == 200 and "超过中位数的倍数" in response.content.decode()
    assert not RuleSetting.objects.exists()
    good = {**data, f"{Rule.SPIKE}-ratio": "8", f"{Rule.QUICK_DROP}-enabled": ""}
    assert client.post(url, good).status_code == 302
    spike = RuleSetting.objects.get(rule=Rule.SPIKE)
    assert spike.ratio == Decimal(8) and not RuleSetting.objects.get(rule=Rule.QUICK_DROP).enabled
    assert AuditEntry.objects.filter(action="quality.setting_changed").count() == 2


def test_the_review_material_lists_the_waiting_flags(raised):
    c, town_flag, other_flag = raised
    from zhaoshang.core.periods import current_month

    material = meetings.review(c.root, current_month())
    (table,) = [t for t in material.tables if t.title == "数据质量待核实事项"]
    assert sorted(row.values[1] for row in table.rows) == sorted(
        f"{f.project.code} {f.project.name}" for f in (town_flag, other_flag)
    )
    assert {row.values[3] for row in table.rows} == {"累计到位资金555.00万元，超过协议资金100.00万元"}
    # Units with as many flags follow the tree's order (their paths), which is not the order they were made in
    # once their ids differ in length (PostgreSQL's sequences run on across tests): either order is right.
    assert {
        "数据质量待核实事项2项（待说明和已说明未关闭的）：甲镇1项、乙镇1项。",
        "数据质量待核实事项2项（待说明和已说明未关闭的）：乙镇1项、甲镇1项。",
    } & set(material.paragraphs)


def test_the_review_material_shows_n_and_counts_the_rest(county):
    c = county
    from zhaoshang.bulletins.quality_flags import quality_section

    for _ in range(4):
        _over(c, c.town)
    run(c)
    table, words = quality_section(c.root, 3)
    assert len(table.rows) == 3 and table.rest == 1 and table.rest_words == "另有1项，详见附表（Excel）"


# --- a city of two counties -----------------------------------------------------------------------------------------
def test_a_county_cannot_see_the_other_countys_flags(city, client_for):
    county = city.county
    p = _over(county, county.town)
    q = signed(county, city.n_town, contract_amount=Decimal(100))
    funds(county, q, 2, 555)
    from zhaoshang.quality import services

    services.run(root=city.root)
    mine, theirs = Flag.objects.get(project=p), Flag.objects.get(project=q)
    assert client_for(city.n_bureau).get(reverse("quality_flag", args=[mine.pk])).status_code == 404
    assert client_for(county.bureau).get(reverse("quality_flag", args=[theirs.pk])).status_code == 404
    assert client_for(county.bureau).post(reverse("quality_close", args=[theirs.pk]), {"note": "x"}).status_code == 404
    page = client_for(city.n_bureau).get(reverse("quality_list")).content.decode()
    assert p.code not in page and q.code in page
    # the settings are the city's (the root's) bureau's
    assert client_for(county.bureau).get(reverse("quality_settings")).status_code == 403
    assert client_for(city.city_bureau).get(reverse("quality_settings")).status_code == 200


def test_one_investor_across_counties_is_counted_without_naming_the_other_county(city, client_for):
    county = city.county
    code = credit_code(4242)
    mine = signed(county, county.town, credit_code=code, name="甲镇新材料项目")
    signed(county, city.n_town, credit_code=code, name="邻县机密二期")
    signed(county, city.n_town, credit_code=code, name="邻县机密三期")
    from zhaoshang.quality import services

    services.run(root=city.root)
    (flag,) = flags(Rule.SAME_INVESTOR, project=mine)
    assert flag.detail.endswith("本单位1个，同一信用代码本年在其他单位另签约2个")
    page = client_for(county.bureau).get(reverse("quality_flag", args=[flag.pk])).content.decode()
    listing = client_for(county.bureau).get(reverse("quality_list")).content.decode()
    for secret in ("邻县", "邻镇", "机密"):
        assert (
            secret not in flag.detail
            and secret not in page.split("</nav>")[-1]
            and secret not in listing.split("</nav>")[-1]
        )
    assert f"{Y}年共签约3个项目" in flag.detail
