"""The dashboard's and the draft bulletin's figures are cached by the data's version (org/versions.py): a write
through any service shows at once, a cached answer is reused, and nobody reads another unit's cached figures."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_project, set_fiscal_revenue
from zhaoshang.bulletins import services as bulletin_services
from zhaoshang.bulletins.office import FIELDS, letterhead_for
from zhaoshang.core.periods import add_months, current_month, format_month, today
from zhaoshang.envconf import env_cache
from zhaoshang.frontline import services as frontline_services
from zhaoshang.frontline.models import LeadProfile
from zhaoshang.org import services as org_services
from zhaoshang.org import versions
from zhaoshang.org.models import AssessmentGroup, DataChange
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.models import Campaign
from zhaoshang.projects import figures
from zhaoshang.projects import services as project_services

pytestmark = pytest.mark.django_db
MONTH = current_month()
YEAR = MONTH.year
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def dashboard_figures(response) -> dict:
    """What the dashboard shows of the data (not the per-request parts: the menu, the CSRF token)."""
    assert response.status_code == 200
    c = response.context
    return {
        "cards": [(p.code, p.month, p.ytd, p.target, p.completion) for p in c["cards"]],
        "rankings": [
            (g.group.name, g.group.red_top_n, [(r.unit.name, r.rank, r.progress.ytd, r.red) for r in g.rows])
            for g in c["rankings"]
        ],
        "levels": c["levels"],
        "campaign": c["campaign"]
        and (c["campaign"].campaign.name, [(r.unit.name, r.cells) for r in c["campaign"].rows]),
        "economy": [(e.code, e.cumulative, e.growth_pct, e.rank) for e in c["economy"]],
        "charts": c["charts"],
        "front_line": (
            [(p.code, p.month, p.ytd, p.target) for p in c["front_line"].figures],
            [u.name for u in c["front_line"].idle_this_month],
            c["front_line"].overdue_count,
        ),
    }


def pages(client, unit) -> tuple[dict, dict]:
    """(the dashboard's figures, the draft bulletin's JSON) of `unit` for this month."""
    query = {"month": format_month(MONTH), "unit": unit.pk}
    board = dashboard_figures(client.get(reverse("dashboard"), query))
    draft = client.get(reverse("bulletin_draft"), {**query, "format": "json"})
    assert draft.status_code == 200
    return board, json.loads(draft.content)


def fresh_pages(client, unit) -> tuple[dict, dict]:
    """The same, computed with no cache at all."""
    with override_settings(CACHES=NO_CACHE):
        return pages(client, unit)


# Each kind of write the pages show, through its service: (name, write(county), what changes on the dashboard).
def _funds(c):
    figures.monthly_funds_set(actor=c.bureau, project=c.project, month=MONTH, amount=Decimal("1234.5"))


def _investment_and_plan(c):
    project_services.project_update(actor=c.bureau, project=c.project, values={"key_level": "县重点"})
    figures.annual_plan_set(actor=c.bureau, project=c.project, year=YEAR, amount=Decimal("900"))
    figures.monthly_investment_set(actor=c.bureau, project=c.project, month=MONTH, amount=Decimal("100"))


def _stage(c):
    project_services.project_change_stage(actor=c.bureau, project=c.project, to_stage="注册", on_date=date.today())
    project_services.project_change_stage(actor=c.bureau, project=c.project, to_stage="开工", on_date=date.today())


def _project_name(c):
    project_services.project_update(actor=c.bureau, project=c.project, values={"name": "改名后的重点项目"})


def _target(c):
    progress_services.targets_save(
        actor=c.bureau,
        year=YEAR,
        cells={(c.root, "domestic_arrived_wan"): Decimal("1000"), (c.town, "domestic_arrived_wan"): Decimal("500")},
    )


def _campaign(c):
    campaign = progress_services.campaign_save(
        actor=c.bureau,
        campaign=Campaign(
            name="冬季攻势", owner=c.root, start_month=MONTH.replace(month=1), end_month=MONTH.replace(month=12)
        ),
    )
    progress_services.campaign_targets_save(
        actor=c.bureau, campaign=campaign, cells={(c.town, "domestic_arrived_wan"): Decimal("100")}
    )


def _rename(c):
    before = org_services.unit_snapshot(c.town)
    c.town.name = "甲镇（新）"
    org_services.unit_save(actor=c.sysadmin, unit=c.town, before=before)


def _group(c):
    group = AssessmentGroup.objects.get(name="乡镇组")
    group.name, group.red_top_n = "乡镇一组", 1
    org_services.group_save(actor=c.sysadmin, group=group)


def _unit_group(c):
    before = org_services.unit_snapshot(c.other_town)
    c.other_town.group = AssessmentGroup.objects.get(name="园区组")
    org_services.unit_save(actor=c.sysadmin, unit=c.other_town, before=before)


def _foreign_project(c):
    make_project(c.bureau, c.town, funding_type="外资", contract_amount=Decimal("1500"))  # 1.07亿元 at 7.10


def _rate(c):
    project_services.usd_rate_set(actor=c.bureau, year=YEAR, rate=Decimal("6"))  # 0.9亿元: no longer 亿元以上


def _many_behind(c):
    for _ in range(6):  # more key projects behind plan than the new limit of five
        project = make_project(c.bureau, c.town, key_level="县重点")
        figures.annual_plan_set(actor=c.bureau, project=project, year=YEAR, amount=Decimal("900"))


def _economy(c):
    set_fiscal_revenue(c.bureau, MONTH, "12345", "6.5")


def _office(c):
    values = {name: letterhead_for(c.root)[name] for name in FIELDS}
    bulletin_services.office_save(actor=c.bureau, unit=c.root, values={**values, "annex_columns": [], "list_limit": 5})


def _issued(c):
    bulletin_services.bulletin_issue(actor=c.bureau, unit=c.root, month=add_months(MONTH, -1))


def _nothing(c):
    pass


def _trip(c):
    day = today()
    values = {
        "unit": c.team,
        "departs_on": day,
        "returns_on": day,
        "destination": "深圳",
        "leader": "张三",
        "leader_category": "党政主要负责同志",
        "people": 2,
    }
    frontline_services.trip_save(actor=c.bureau, values=values)


def _lead(c):
    values = {"name": "缓存线索项目", "investor": "某公司", "responsible_unit": c.town}
    frontline_services.lead_register(actor=c.bureau, project_values=values, lead_values={"source": "以商招商"})


def _overdue_lead(c):
    _lead(c)
    LeadProfile.objects.update(registered_on=today() - timedelta(days=30))


def _registration_corrected(c):
    # the 登记日期 corrected to today: none of its deadlines has passed any more
    frontline_services.lead_update(actor=c.bureau, profile=LeadProfile.objects.get(), values={"registered_on": today()})


# name: (what is there before the first look, the write, whether the dashboard shows it, whether the draft does)
WRITES = {
    "funds": (_nothing, _funds, True, True),
    "investment and plan": (_nothing, _investment_and_plan, True, True),
    "stage": (_nothing, _stage, True, True),
    "project name": (_investment_and_plan, _project_name, False, True),
    "target": (_nothing, _target, True, True),
    "campaign": (_nothing, _campaign, True, False),
    "unit rename": (_nothing, _rename, True, True),
    "group": (_nothing, _group, True, True),
    "unit's group": (_nothing, _unit_group, True, True),
    "usd rate": (_foreign_project, _rate, True, True),
    "economic figure": (_nothing, _economy, True, True),
    "issuing office": (_many_behind, _office, False, True),
    "issued bulletin": (_nothing, _issued, False, True),
    "trip": (_nothing, _trip, True, True),
    "lead": (_nothing, _lead, True, True),
    "lead no longer overdue": (_overdue_lead, _registration_corrected, True, False),
}


@pytest.mark.parametrize("kind", WRITES)
def test_a_write_shows_at_once_on_the_dashboard_and_the_draft(county, client_for, kind):
    setup, write, on_dashboard, on_draft = WRITES[kind]
    setup(county)
    leader, reporter = client_for(county.leader), client_for(county.reporter)
    before = pages(leader, county.root)
    pages(reporter, county.town)
    assert pages(leader, county.root) == before  # from the cache now
    write(county)
    after = pages(leader, county.root)
    assert after == fresh_pages(leader, county.root)
    assert pages(reporter, county.town) == fresh_pages(reporter, county.town)
    if on_draft:
        assert after[1] != before[1], "the draft did not change"
    if on_dashboard:
        assert after[0] != before[0], "the dashboard did not change"


def test_a_cached_answer_is_reused_with_a_fixed_number_of_queries(county, client_for):
    client = client_for(county.leader)
    query = {"month": format_month(MONTH), "unit": county.root.pk}
    for name in ("dashboard", "bulletin_draft"):
        with CaptureQueriesContext(connection) as cold:
            assert client.get(reverse(name), query).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(reverse(name), query).status_code == 200
        assert len(warm) < len(cold)
        # the session, the user, its memberships and units, the page's unit, the version, the unread count, the
        # session's renewal (three statements), and the draft's letterhead; the dashboard's chain card reads the
        # chains fresh (one query; with chains, the version of their owner too: progress/chain_card.py)
        assert len(warm) == {"dashboard": WARM_DASHBOARD, "bulletin_draft": WARM_DRAFT}[name], [
            q["sql"][:80] for q in warm.captured_queries
        ]


WARM_DASHBOARD = 11
WARM_DRAFT = 11


def test_the_version_is_read_in_one_query(city):
    for unit in (city.root, city.county.root, city.county.town_park, city.n_town):
        with CaptureQueriesContext(connection) as read:
            versions.version_for(unit)
        assert len(read) == 1


def test_counties_of_a_city_never_read_each_others_cached_figures(city, client_for):
    county = city.county
    mine = client_for(county.leader)
    theirs = client_for(city.n_leader)
    first = mine.get(reverse("dashboard"), {"month": format_month(MONTH)})
    other = theirs.get(reverse("dashboard"), {"month": format_month(MONTH)})
    assert first.context["report"].root.name == "测试县" and other.context["report"].root.name == "邻县"
    assert json.loads(mine.get(reverse("bulletin_draft"), {"format": "json"}).content)["unit"] == "测试县"
    assert json.loads(theirs.get(reverse("bulletin_draft"), {"format": "json"}).content)["unit"] == "邻县"
    # a write in the neighbour moves its own version and the city's, never 测试县's
    versions_before = {u.name: versions.version_for(u) for u in (city.root, county.root, city.neighbour)}
    figures.monthly_funds_set(actor=city.n_bureau, project=city.n_project, month=MONTH, amount=Decimal("77"))
    after = {u.name: versions.version_for(u) for u in (city.root, county.root, city.neighbour)}
    assert after["测试县"] == versions_before["测试县"]
    assert after["邻县"] > versions_before["邻县"] and after["测试市"] > versions_before["测试市"]
    assert pages(client_for(city.city_leader), city.root) == fresh_pages(client_for(city.city_leader), city.root)


def test_a_town_reporter_and_the_county_bureau_get_their_own_answers(county, client_for):
    month = {"month": format_month(MONTH)}
    for user, name in ((county.reporter, "甲镇"), (county.bureau, "测试县"), (county.reporter, "甲镇")):
        page = client_for(user).get(reverse("dashboard"), month)
        assert page.context["report"].root.name == name
        draft = json.loads(client_for(user).get(reverse("bulletin_draft"), {**month, "format": "json"}).content)
        assert draft["unit"] == name


@pytest.mark.django_db(transaction=True)
def test_a_touch_inserts_in_the_transaction_and_again_after_commit(county):
    rows = DataChange.objects.filter(branch_id=county.town.pk)  # in a one-county install a town is a branch
    start = rows.count()
    with transaction.atomic():
        figures.monthly_funds_set(actor=county.bureau, project=county.project, month=MONTH, amount=Decimal("1"))
        figures.monthly_funds_set(actor=county.bureau, project=county.project, month=MONTH, amount=Decimal("2"))
        inside = rows.count()
        assert inside > start  # seen at once by the writer
    assert rows.count() == inside + 1  # once more after the commit, whatever the number of writes


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_leaves_nothing_to_insert_after_commit(county):
    rows = DataChange.objects.filter(branch_id=county.town.pk)
    start = rows.count()
    with transaction.atomic():
        try:
            with transaction.atomic():
                versions.touch(county.town)
                raise RuntimeError
        except RuntimeError:
            pass
        assert rows.count() == start
        versions.touch(county.other_town)
    assert rows.count() == start


def test_pruning_keeps_the_newest_row_of_each_branch_and_every_version(city):
    for _ in range(3):
        versions.touch(city.county.town, city.n_town)
        versions.touch_everything()
    units = (city.root, city.county.root, city.county.town, city.neighbour, city.n_town)
    before = {u.pk: versions.version_for(u) for u in units}
    assert versions.prune() > 0
    assert {u.pk: versions.version_for(u) for u in units} == before
    assert DataChange.objects.count() == DataChange.objects.values("branch_id").distinct().count()


def test_the_cache_setting(monkeypatch):
    monkeypatch.delenv("ZHAOSHANG_CACHE_URL", raising=False)
    default = env_cache("ZHAOSHANG_CACHE_URL")
    assert default["BACKEND"].endswith("LocMemCache") and default["OPTIONS"]["MAX_ENTRIES"] == 1000
    monkeypatch.setenv("ZHAOSHANG_CACHE_URL", "dummy://")
    assert env_cache("ZHAOSHANG_CACHE_URL")["BACKEND"].endswith("DummyCache")
    monkeypatch.setenv("ZHAOSHANG_CACHE_URL", "memcache://x")
    with pytest.raises(ImproperlyConfigured, match="ZHAOSHANG_CACHE_URL"):
        env_cache("ZHAOSHANG_CACHE_URL")
    monkeypatch.setenv("ZHAOSHANG_CACHE_URL", "redis://127.0.0.1:6379/1")
    try:
        import redis  # noqa: F401, PLC0415
    except ImportError:
        with pytest.raises(ImproperlyConfigured, match="redis"):
            env_cache("ZHAOSHANG_CACHE_URL")
    else:
        assert env_cache("ZHAOSHANG_CACHE_URL")["BACKEND"].endswith("RedisCache")
