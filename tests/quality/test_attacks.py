"""Attacks on the 数据质量 pages on a city of two counties: another county's unit in the list's filter, the same
investor's projects in the other county named on the project page or in the 点评 material, writes without the
CSRF token or with GET, and the project page's section costing the same queries however many flags it shows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import credit_code
from tests.quality.helpers import flags, funds, run, signed
from zhaoshang.bulletins import meetings
from zhaoshang.core.periods import current_month
from zhaoshang.quality import services
from zhaoshang.quality.models import Flag, FlagStatus, Rule

pytestmark = pytest.mark.django_db


def _over(c, unit):
    p = signed(c, unit, contract_amount=Decimal(100))
    funds(c, p, 2, 555)
    return p


def test_another_countys_unit_in_the_filter_shows_nothing_of_it(city, client_for):
    c = city.county
    mine = _over(c, c.town)
    theirs = _over(c, city.n_town)
    services.run(root=city.root)
    for unit in (city.n_town.pk, city.neighbour.pk):
        page = client_for(c.bureau).get(reverse("quality_list"), {"unit": unit}).content.decode()
        main = page.split("</nav>")[-1]
        assert theirs.code not in main and "邻镇" not in main and "邻县" not in main, unit
        assert mine.code not in main  # the filter refused: no rows rather than all of them
    # the city's filter on its own root lists both counties' flags
    page = client_for(city.city_bureau).get(reverse("quality_list"), {"unit": city.root.pk}).content.decode()
    assert mine.code in page and theirs.code in page


def test_the_same_investor_elsewhere_is_not_named_on_the_project_page_or_in_the_material(city, client_for):
    c = city.county
    code = credit_code(4343)
    mine = signed(c, c.town, credit_code=code, name="甲镇新材料项目")
    signed(c, city.n_town, credit_code=code, name="邻县机密二期")
    signed(c, city.n_town, credit_code=code, name="邻县机密三期")
    services.run(root=city.root)
    (flag,) = flags(Rule.SAME_INVESTOR, project=mine)
    page = client_for(c.reporter).get(reverse("project_detail", args=[mine.pk])).content.decode()
    assert flag.detail in page
    material = meetings.review(c.root, current_month())
    words = " ".join(material.paragraphs) + " ".join(
        str(value) for table in material.tables for row in table.rows for value in row.values
    )
    assert "同一信用代码本年在其他单位另签约2个" in words
    for secret in ("邻县", "邻镇", "机密", city.n_project.code):
        assert secret not in page.split("</nav>")[-1] and secret not in words, secret


def test_the_writes_need_the_csrf_token_and_a_post(county, client_for):
    c = county
    p = _over(c, c.town)
    run(c)
    flag = Flag.objects.get(project=p, rule=Rule.OVER_CONTRACT)
    for user, url, data in (
        (c.reporter, reverse("quality_explain", args=[flag.pk]), {"explanation": "伪造"}),
        (c.bureau, reverse("quality_close", args=[flag.pk]), {"note": "伪造"}),
    ):
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(user)
        assert strict.post(url, data).status_code == 403, url
        assert client_for(user).get(url, data).status_code == 405, url
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(c.bureau)
    assert strict.post(reverse("quality_settings"), {f"{Rule.SPIKE}-ratio": "99"}).status_code == 403
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN and not flag.explanation and not flag.close_note


def test_the_project_pages_section_costs_the_same_queries_with_one_flag_or_many(county, client_for):
    c = county
    p = signed(c, c.town, contract_amount=Decimal(100))
    funds(c, p, 2, 555)
    run(c)
    client = client_for(c.reporter)
    url = reverse("project_detail", args=[p.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for m, amount in ((3, 10), (4, 10), (5, 10), (6, 10), (7, 200)):  # a spike, still over the contract
        funds(c, p, m, amount)
    run(c)
    assert Flag.objects.filter(project=p).count() >= 2
    Flag.objects.filter(project=p).update(explanation="已核实")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("说明：已核实") == Flag.objects.filter(project=p).count()
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_a_project_handed_to_another_county_takes_all_its_flags_with_it(city, client_for):
    """A 已更正 or 已说明 flag is no longer raised by the rules, but it is still the project's: once the city hands
    the project to 邻县, 测试县 no longer reads it (its code and name in the list, its 说明 form, the 点评 material)
    and 邻县 answers for it."""
    from zhaoshang.projects import services as ledger

    c = city.county
    corrected, explained = _over(c, c.town), _over(c, c.town)
    services.run(root=city.root)
    (flag,) = flags(Rule.OVER_CONTRACT, project=explained)
    services.flag_explain(actor=c.reporter, flag=flag, text="二期资金提前到位")
    for p in (corrected, explained):
        ledger.project_update(actor=city.city_bureau, project=p, values={"contract_amount": Decimal(1000)})
    services.run(root=city.root)
    assert Flag.objects.get(project=corrected).status == FlagStatus.CORRECTED
    assert Flag.objects.get(project=explained).status == FlagStatus.EXPLAINED
    for p in (corrected, explained):
        ledger.project_update(actor=city.city_bureau, project=p, values={"responsible_unit": city.n_town})
    services.run_for_projects([corrected.pk, explained.pk])  # what the save's hook runs once it commits
    assert set(Flag.objects.filter(project__in=[corrected, explained]).values_list("unit", flat=True)) == {
        city.n_town.pk
    }
    page = client_for(c.bureau).get(reverse("quality_list"), {"status": "all"}).content.decode()
    assert corrected.code not in page and explained.code not in page
    assert (
        client_for(c.reporter).post(reverse("quality_explain", args=[flag.pk]), {"explanation": "x"}).status_code == 404
    )
    material = meetings.review(c.root, current_month())
    assert "数据质量方面，没有待核实的事项。" in material.paragraphs
    page = client_for(city.n_bureau).get(reverse("quality_list"), {"status": "all"}).content.decode()
    assert corrected.code in page and explained.code in page
