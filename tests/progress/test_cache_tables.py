"""The safety net of the cached pages: every table the dashboard, the draft bulletin and the meetings' material
read to compute their figures is one whose writes move the data's version (org.versions.WATCHED). A new table
read by these pages without a hook fails here, before a page shows stale figures."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from tests.progress.chain_data import make_chain, project_on, target_on
from zhaoshang.bulletins import services as bulletin_services
from zhaoshang.carriers.models import Carrier, Occupancy
from zhaoshang.chains.models import Chain, ChainTarget
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.coordination import meetings, problems
from zhaoshang.core.periods import current_month, format_month, today
from zhaoshang.org import versions
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.models import Campaign
from zhaoshang.projects import figures
from zhaoshang.projects.models import Project
from zhaoshang.reporting import services as reporting_services

pytestmark = pytest.mark.django_db
MONTH = current_month()
TABLE = re.compile(r'\b(?:FROM|JOIN|INTO|UPDATE)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
# A query's own named parts (WITH plans AS (...), done AS (...)) are read FROM like tables but are none.
CTE = re.compile(r'(?:\bWITH|,)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?\s+AS\s+\(', re.IGNORECASE)

# Read fresh on every request, never cached: who is asking and what the menu shows them.
PER_REQUEST = {
    "django_session": "the session",
    "org_user": "the signed-in user",
    "org_membership": "its units and roles (the scope, the page's unit)",
    "org_unit": "the page's unit (?unit=) within the scope",
    "org_datachange": "the version itself",
    "notifications_notification": "the unread count in the menu",
    "bulletins_issuingoffice": "the draft's letterhead",
    "bulletins_bulletin": "the bureau's earlier 工作要求 to pick from",
    "axes_accessattempt": "the login throttle",
}


class Tables:
    def __init__(self):
        self.seen: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        named = {t.lower() for t in CTE.findall(sql)}
        self.seen.update(t.lower() for t in TABLE.findall(sql) if t.lower() not in named)
        return execute(sql, params, many, context)


def read_by(client, url: str) -> set[str]:
    tables = Tables()
    with connection.execute_wrapper(tables):
        assert client.get(url).status_code == 200, url
    return tables.seen


def _with_every_kind_of_data(city):
    """Data in every table the pages may read: figures, a key project's plan, targets, a campaign, an economic
    figure (an empty table is read all the same, but a campaign's targets are read only when there is one)."""
    county = city.county
    figures.monthly_funds_set(actor=county.bureau, project=county.project, month=MONTH, amount=Decimal("10"))
    campaign = progress_services.campaign_save(
        actor=county.bureau,
        campaign=Campaign(name="攻势", owner=county.root, start_month=date(MONTH.year, 1, 1), end_month=MONTH),
    )
    progress_services.campaign_targets_save(
        actor=county.bureau, campaign=campaign, cells={(county.town, "domestic_arrived_wan"): Decimal("100")}
    )
    # a chain with a target and a project, a carrier with an occupancy: the draft's chain and carrier tables
    chain = Chain.objects.create(owner=county.root, name="装备制造")
    ChainTarget.objects.create(chain=chain, year=MONTH.year, signed_count=3)
    Project.objects.filter(pk=county.project.pk).update(chain=chain)
    carrier = Carrier.objects.create(unit=county.town, name="标准化厂房", kind="标准化厂房", building_m2=Decimal("900"))
    Occupancy.objects.create(
        carrier=carrier, project=county.project, floor_m2=Decimal("100"), moved_in_on=date(MONTH.year, 1, 1)
    )
    # the chain coverage card: a chain with a link worked by a project and a target enterprise
    _chain, (link,) = make_chain(county.root, "新能源汽车", [("电芯", "中游", "薄弱")])
    project_on(county.bureau, county.town, link, "签约")
    target_on(county.town, link, "已接触", "目标企业")


def _with_meeting_data(city):
    """Rows in every table the meetings' material reads only when there is something (the earlier meeting's
    tasks are read only when there was an earlier meeting): an open problem, an overdue approval step, a
    closed meeting of the county with a decided task, a 观摩 pick and a town's 上报."""
    county = city.county
    problems.problem_raise(actor=county.reporter, project=county.project, category="用地", description="指标未落实")
    ApprovalStep.objects.create(
        project=county.park_project, name="用地预审", department=county.department, planned_on=today() - timedelta(40)
    )
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    item = meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title="园区道路")
    meetings.agenda_item_decide(
        actor=county.bureau, item=item, decision="月底通车", owner=county.town, deadline=today()
    )
    meetings.meeting_close(actor=county.bureau, meeting=meeting)
    bulletin_services.observation_pick(actor=county.bureau, project=county.project, month=MONTH, picked=True)
    reporting_services.unit_month_confirm(actor=county.unit_head, unit=county.town, month=MONTH)


def tables_of(client_for, users, urls) -> tuple[set, set]:
    """(the tables read only when the figures were computed, those read on every request)."""
    computed, fresh = set(), set()
    for user in users:
        client = client_for(user)
        for url in urls:
            cold = read_by(client, url)
            warm = read_by(client, url)
            computed |= cold - warm
            fresh |= warm
    return computed, fresh


def assert_watched(computed: set, fresh: set) -> None:
    assert computed, "nothing was cached"
    assert computed - set(versions.WATCHED) == set(), "read to compute a cached page, but its writes move no version"
    assert fresh - set(versions.WATCHED) - set(PER_REQUEST) == set(), "read on every request: add it to PER_REQUEST"


def test_every_table_the_cached_pages_compute_from_moves_the_version(city, client_for):
    _with_every_kind_of_data(city)
    county = city.county
    month = format_month(MONTH)
    urls = [
        f"{reverse('dashboard')}?month={month}",
        f"{reverse('dashboard')}?month={month}&format=xlsx",
        f"{reverse('bulletin_draft')}?month={month}",
        f"{reverse('bulletin_draft')}?month={month}&format=json",
        f"{reverse('bulletin_draft')}?month={month}&format=xlsx",
    ]
    users = (city.city_bureau, county.leader, county.bureau, county.reporter, city.n_reporter)
    computed, fresh = tables_of(client_for, users, urls)
    assert_watched(computed, fresh)
    # the registry names the tables the pages compute from, so a table dropped from the pages is noticed too
    assert {"progress_unitmonthtotal", "progress_target", "projects_project", "progress_campaigntarget"} <= computed
    assert {"chains_chain", "chains_chaintarget", "carriers_carrier", "carriers_occupancy"} <= computed
    assert {"chains_chainlink", "industry_targetenterprise"} <= computed  # the chain coverage card


MEETING_KINDS = ("review", "dispatch", "summary", "observation")


def test_every_table_the_meeting_material_is_computed_from_moves_the_version(city, client_for):
    _with_every_kind_of_data(city)
    _with_meeting_data(city)
    county = city.county
    month = format_month(MONTH)
    urls = [reverse("meeting_material", args=[kind]) + f"?month={month}" for kind in MEETING_KINDS]
    urls += [f"{url}&format=docx" for url in urls]
    users = (city.city_bureau, county.leader, county.bureau, county.reporter, city.n_reporter)
    computed, fresh = tables_of(client_for, users, urls)
    assert_watched(computed, fresh)
    expected = {
        "construction_approvalstep",
        "coordination_problem",
        "coordination_dispatchmeeting",
        "coordination_meetingtask",
        "coordination_agendaitem",
        "bulletins_observationpick",
        "reporting_unitmonthreport",
        "projects_stagechange",
        "projects_monthlyinvestment",
        "projects_annualplan",
        "frontline_leadprofile",
    }
    assert expected <= computed, expected - computed
