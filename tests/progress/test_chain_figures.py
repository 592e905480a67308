"""A chain's five figures against its target (progress/chains.py): each figure equal to a recomputation from the
rows one project at a time, the definitions' edges (a foreign project converted, a dropped one, 落地 by stage
history, occupancies in and out of the year), targets of 0 or none, ties, scoping, and the page with its export."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.chain_world import RATE, YEAR, build
from tests.factories import make_project
from tests.xlsx_cells import content, read_cells
from tests.xlsx_cells import rows as cell_rows
from zhaoshang.carriers.models import Occupancy
from zhaoshang.chains.models import Chain, ChainTarget
from zhaoshang.progress.chains import FIGURES, chain_report
from zhaoshang.projects.models import MonthlyFunds, Project, StageChange

pytestmark = pytest.mark.django_db
DECEMBER, JUNE = date(YEAR, 12, 1), date(YEAR, 6, 1)


def recomputed(chain, month, projects=None) -> dict:
    """The five figures from the rows, project by project, as docs/domain.md defines them."""
    start, end = date(YEAR, 1, 1), date(YEAR + (month.month == 12), month.month % 12 + 1, 1)
    rows = Project.objects.filter(chain=chain) if projects is None else projects.filter(chain=chain)
    values = dict.fromkeys(("signed_count", "landed_count"), 0)
    values.update(dict.fromkeys(("signed_amount_wan", "arrived_wan", "floor_area_m2"), Decimal(0)))
    for p in rows:
        rate = RATE if p.funding_type == "外资" else 1
        if p.first_signed_month and start <= p.first_signed_month < end:
            values["signed_count"] += 1
            values["signed_amount_wan"] += p.contract_amount * rate
        for f in MonthlyFunds.objects.filter(project=p):
            if start <= f.month < end:
                values["arrived_wan"] += f.amount * rate
        if p.stage == "终止":
            continue
        landed = [s.changed_on for s in StageChange.objects.filter(project=p) if s.to_stage in ("注册", "开工", "投产")]
        if landed and start <= min(landed) < end:
            values["landed_count"] += 1
        for o in Occupancy.objects.filter(project=p):
            if start <= o.moved_in_on < end:
                values["floor_area_m2"] += o.floor_m2 or 0
    return values


def _values(row) -> dict:
    return {code: progress.value for code, progress in row.figures.items()}


@pytest.mark.parametrize("month", [DECEMBER, JUNE])
def test_every_figure_equals_the_rows_recomputed(city, month):
    build(city)
    report = chain_report(Chain.objects.all(), month)
    assert len(report.rows) == 4
    for row in report.rows:
        assert _values(row) == recomputed(row.chain, month), row.chain.name


def test_the_city_chain_rolls_up_two_units_and_two_counties_by_the_definitions(city):
    world = build(city)
    row = next(r for r in chain_report(Chain.objects.all(), DECEMBER).rows if r.chain == world.energy)
    # 光伏组件 30,000 + 外资储能 2,000万美元×5 + 邻县电池 5,000 + 已终止项目 7,000 (signed, then dropped: counted
    # like the ledger counts it); 上年签约 not (signed the year before)
    assert _values(row) == {
        "signed_count": 4,
        "signed_amount_wan": Decimal("52000"),
        # 3,000 + 1,000 + 100万美元×5 + 2,000 + 700 (the dropped project's, before it was dropped) + 400
        "arrived_wan": Decimal("7600"),
        # 光伏组件 (注册 in April, then 开工: once), 外资储能, 邻县电池; not 上年签约 (注册 the year before), not the
        # dropped one
        "landed_count": 3,
        # 4,000 + 2,500 (moved out since, moved in this year) + 600; not 1,500 (moved in the year before)
        "floor_area_m2": Decimal("7100"),
    }
    signed = row.figures["signed_count"]
    assert signed.target == 8 and signed.completion == Decimal("0.5")
    assert signed.gap == Decimal("-50") and signed.light == "red"  # December: 序时 100%
    assert row.figures["floor_area_m2"].completion == Decimal("0.71")
    assert row.figures["floor_area_m2"].light == "yellow"  # 29 points behind


def test_up_to_june_only_the_months_up_to_the_period_count(city):
    world = build(city)
    report = chain_report(Chain.objects.all(), JUNE)
    assert report.schedule == Decimal("0.5")
    energy = next(r for r in report.rows if r.chain == world.energy)
    assert energy.figures["arrived_wan"].value == Decimal("6600")  # not August's 1,000
    assert energy.figures["landed_count"].value == 2  # 外资储能 landed in September
    machines = next(r for r in report.rows if r.chain == world.machines)
    assert machines.figures["signed_count"].value == 1  # 九月签约 is after June
    # 到位 900 of 2,000: 45%, 5 points behind 序时 50%: green
    arrived = machines.figures["arrived_wan"]
    assert arrived.completion == Decimal("0.45") and arrived.gap == Decimal("-5") and arrived.light == "green"


def test_a_target_of_zero_or_none_is_flagged_and_never_divided_by(city):
    world = build(city)
    rows = {r.chain.name: r for r in chain_report(Chain.objects.all(), DECEMBER).rows}
    machines = rows["装备制造"]
    zero = machines.figures["signed_count"]
    assert (zero.value, zero.target, zero.completion, zero.light, zero.rank, zero.flag) == (
        2,
        0,
        None,
        None,
        None,
        "目标为0",
    )
    unset = machines.figures["floor_area_m2"]
    assert (unset.value, unset.target, unset.completion, unset.flag) == (Decimal("800"), None, None, "未设目标")
    food = rows["食品加工"]  # no target row at all
    assert all(p.target is None and p.completion is None and p.rank is None for p in food.figures.values())
    assert food.figures["signed_count"].value == 0
    assert world.food.pk not in ChainTarget.objects.values_list("chain_id", flat=True)


def test_chains_rank_within_their_owner_with_ties_sharing_a_rank(city):
    build(city)
    c = city.county
    twin = Chain.objects.create(owner=c.root, name="电子信息", sort_order=3)
    third = Chain.objects.create(owner=c.root, name="新材料", sort_order=4)
    for chain, amount in ((twin, "5000"), (third, "2000")):
        ChainTarget.objects.create(chain=chain, year=YEAR, signed_amount_wan=Decimal("10000"))
        project = make_project(c.bureau, c.town, signed_on=date(YEAR, 2, 1), contract_amount=Decimal(amount))
        Project.objects.filter(pk=project.pk).update(chain=chain)
    report = chain_report(Chain.objects.all(), DECEMBER)
    ranks = {r.chain.name: r.figures["signed_amount_wan"].rank for r in report.rows}
    # 测试县: 装备制造 5,000 / 10,000 and 电子信息 5,000 / 10,000 tie at 1, 新材料 20% is 3rd, 食品加工 has no target;
    # the city's 新能源 and 邻县's 纺织 are first among their own owners' chains
    assert ranks == {"新能源": 1, "装备制造": 1, "食品加工": None, "电子信息": 1, "新材料": 3, "纺织": 1}
    assert [owner.name for owner, _ in report.by_owner()] == ["测试市", "测试县", "邻县"]


def test_a_fixed_number_of_queries_whatever_the_number_of_chains(city):
    build(city)
    with CaptureQueriesContext(connection) as few:
        chain_report(Chain.objects.all(), DECEMBER)
    for n in range(6):
        Chain.objects.create(owner=city.county.root, name=f"链{n}", sort_order=10 + n)
    with CaptureQueriesContext(connection) as many:
        chain_report(Chain.objects.all(), DECEMBER)
    assert len(many) == len(few) <= 8


def test_a_county_bureau_reads_its_chains_and_only_its_own_part_of_the_city_chain(city, client_for):
    world = build(city)
    c = city.county
    response = client_for(c.bureau).get(f"{reverse('chain_progress')}?period={YEAR}-12")
    assert response.status_code == 200
    page = response.content.decode()
    assert "装备制造" in page and "新能源" in page
    assert "纺织" not in page and "邻县" not in page
    report = response.context["report"]
    energy = next(r for r in report.rows if r.chain == world.energy)
    # 测试县's projects only: 光伏组件, 外资储能, 已终止项目 (not 邻县电池)
    assert energy.figures["signed_count"].value == 3
    assert energy.figures["arrived_wan"].value == Decimal("5600")
    assert energy.figures["floor_area_m2"].value == Decimal("6500")
    neighbour = client_for(city.n_bureau).get(f"{reverse('chain_progress')}?period={YEAR}-12").content.decode()
    assert "纺织" in neighbour and "装备制造" not in neighbour and "食品加工" not in neighbour
    town = client_for(c.reporter).get(f"{reverse('chain_progress')}?period={YEAR}-12")
    assert town.status_code == 200 and "纺织" not in town.content.decode()


def test_the_city_bureau_sees_each_countys_chains_and_the_page_takes_fixed_queries(city, client_for):
    build(city)
    client = client_for(city.city_bureau)
    url = f"{reverse('chain_progress')}?period={YEAR}-12"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    for name in ("测试市", "测试县", "邻县", "新能源", "装备制造", "纺织"):
        assert name in page
    assert "目标为0" in page and "未设目标" in page
    for n in range(5):
        Chain.objects.create(owner=city.neighbour, name=f"邻县链{n}", sort_order=10 + n)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_export_holds_numbers_in_the_units_shown_and_no_formula(city, client_for):
    world = build(city)
    Chain.objects.filter(pk=world.food.pk).update(name="=HYPERLINK(1)")
    response = client_for(city.city_bureau).get(f"{reverse('chain_progress')}?period={YEAR}-12&format=xlsx")
    assert response.status_code == 200
    (cells,) = read_cells(content(response)).values()
    rows = [[cell.value if cell else None for cell in row] for row in cell_rows(cells)]
    headers = rows[0]
    assert headers[:3] == ["所属单位", "产业链", "指标"]
    energy_amount = next(r for r in rows if r[1] == "新能源" and r[2] == "签约金额(亿元)")
    assert energy_amount[3:6] == [5.2, 10, 52.0]  # 5.20亿元 of 10亿元: 52.0%
    zero = next(r for r in rows if r[1] == "装备制造" and r[2] == "签约项目数(个)")
    assert zero[3] == 2 and zero[4] == 0 and zero[5] is None and zero[-1] == "目标为0"
    food = next(r for r in rows if r[1] and "HYPERLINK" in str(r[1]))
    assert not str(food[1]).startswith("=")
    assert len(FIGURES) * 4 == sum(1 for r in rows[1:] if r[1])


def test_a_bad_period_is_refused_in_chinese(city, client_for):
    response = client_for(city.city_bureau).get(f"{reverse('chain_progress')}?period=2026-13")
    assert response.status_code == 404
