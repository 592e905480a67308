"""A city of two counties with chains, targets, carriers and occupancies, for the chain figures and documents.

Last year (so every date is in the past), 测试市:
- the city's own chain 新能源 (owner 测试市) with projects in 甲镇 and 甲镇工业园 (测试县) and in 邻镇 (邻县): a
  domestic one, a foreign one (万美元 at the year's USD rate 5), one dropped after signing, one signed the year
  before;
- 测试县's chains 装备制造 and 食品加工, and 邻县's chain 纺织;
- two carriers in 测试县 and one in 邻县, with occupancies in and out of the year.
The chains and carriers are written through the ORM: their services are another part's (the tests read them)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.factories import make_project
from zhaoshang.carriers.models import Carrier, Occupancy
from zhaoshang.chains.models import Chain, ChainLink, ChainTarget
from zhaoshang.core.periods import today
from zhaoshang.projects import figures
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project

YEAR = today().year - 1
RATE = Decimal("5")


@dataclass
class World:
    city: object
    energy: Chain  # the city's own chain
    machines: Chain  # 测试县's
    food: Chain  # 测试县's, no target
    textile: Chain  # 邻县's
    projects: dict


def _point(project, chain):
    Project.objects.filter(pk=project.pk).update(chain=chain)
    project.refresh_from_db()
    return project


def _project(actor, unit, chain, **values):
    return _point(make_project(actor, unit, **values), chain)


def build(city) -> World:
    c = city.county
    project_services.usd_rate_set(actor=city.city_bureau, year=YEAR, rate=RATE)
    energy = Chain.objects.create(owner=city.root, name="新能源", sort_order=1)
    machines = Chain.objects.create(owner=c.root, name="装备制造", sort_order=1)
    food = Chain.objects.create(owner=c.root, name="食品加工", sort_order=2)
    textile = Chain.objects.create(owner=city.neighbour, name="纺织", sort_order=1)
    ChainLink.objects.create(chain=machines, name="数控机床", position="上游", strength="缺失", work="补链")
    ChainLink.objects.create(chain=machines, name="整机装配", position="中游", strength="已有优势", work="强链")
    ChainLink.objects.create(chain=food, name="冷链物流", position="下游", strength="薄弱", work="延链")
    ChainTarget.objects.create(
        chain=energy,
        year=YEAR,
        signed_count=8,
        signed_amount_wan=Decimal("100000"),
        arrived_wan=Decimal("20000"),
        landed_count=4,
        floor_area_m2=Decimal("10000"),
    )
    ChainTarget.objects.create(
        chain=machines,
        year=YEAR,
        signed_count=0,  # a target of 0: no rate, never a division by zero
        signed_amount_wan=Decimal("10000"),
        arrived_wan=Decimal("2000"),
        landed_count=2,
        floor_area_m2=None,  # not set
    )
    ChainTarget.objects.create(chain=textile, year=YEAR, signed_count=2, signed_amount_wan=Decimal("20000"))
    bureau, n_bureau = c.bureau, city.n_bureau
    p = {}
    # 新能源 across two units of 测试县 and a town of 邻县
    p["domestic"] = _project(
        bureau, c.town, energy, signed_on=date(YEAR, 2, 10), contract_amount=Decimal("30000"), name="光伏组件"
    )
    p["foreign"] = _project(
        bureau,
        c.town_park,
        energy,
        funding_type="外资",
        signed_on=date(YEAR, 3, 5),
        contract_amount=Decimal("2000"),  # 万美元 × 5 = 10,000 万元
        name="外资储能",
    )
    p["neighbour"] = _project(
        n_bureau, city.n_town, energy, signed_on=date(YEAR, 4, 1), contract_amount=Decimal("5000"), name="邻县电池"
    )
    p["dropped"] = _project(
        bureau, c.other_town, energy, signed_on=date(YEAR, 1, 20), contract_amount=Decimal("7000"), name="已终止项目"
    )
    p["old"] = _project(
        bureau, c.town, energy, signed_on=date(YEAR - 1, 11, 3), contract_amount=Decimal("9000"), name="上年签约"
    )
    # 装备制造: one signing late in the year (out of a June period), 落地 by stage history
    p["machine"] = _project(
        bureau, c.town, machines, signed_on=date(YEAR, 1, 8), contract_amount=Decimal("4000"), name="数控整机"
    )
    p["late"] = _project(
        bureau, c.other_town, machines, signed_on=date(YEAR, 9, 8), contract_amount=Decimal("1000"), name="九月签约"
    )
    p["textile"] = _project(
        n_bureau, city.n_town, textile, signed_on=date(YEAR, 5, 8), contract_amount=Decimal("6000"), name="纺织园"
    )

    # 到位资金: 新能源 domestic 3,000 in March, 1,000 in August; foreign 100 万美元 in May (= 500 万元)
    for key, month, amount in (
        ("domestic", 3, "3000"),
        ("domestic", 8, "1000"),
        ("foreign", 5, "100"),
        ("neighbour", 4, "2000"),
        ("dropped", 2, "700"),  # arrived before it was dropped: the ledger keeps it
        ("old", 1, "400"),
        ("machine", 6, "900"),
    ):
        project = p[key]
        actor = n_bureau if project.responsible_unit_id == city.n_town.pk else bureau
        figures.monthly_funds_set(actor=actor, project=project, month=date(YEAR, month, 1), amount=Decimal(amount))

    # 落地 by stage history: the first day a project reaches 注册, 开工 or 投产
    def move(key, stage, on, actor=bureau):
        project = Project.objects.get(pk=p[key].pk)
        project_services.project_change_stage(actor=actor, project=project, to_stage=stage, on_date=on, reason="测试")

    move("domestic", "注册", date(YEAR, 4, 1))
    move("domestic", "开工", date(YEAR, 7, 1))  # reached 注册 first: counted once, in April
    move("foreign", "注册", date(YEAR, 9, 1))  # after a June period
    move("neighbour", "注册", date(YEAR, 5, 2), n_bureau)
    move("old", "注册", date(YEAR - 1, 12, 1))  # landed the year before
    move("old", "开工", date(YEAR, 2, 1))  # not a first landing
    move("dropped", "注册", date(YEAR, 3, 1))
    move("dropped", "终止", date(YEAR, 3, 20))  # not live work: not landed
    move("machine", "注册", date(YEAR, 2, 1))
    for key in p:
        p[key].refresh_from_db()

    # Carriers and occupancies
    park = Carrier.objects.create(
        unit=c.town_park,
        name="甲镇标准化厂房一期",
        kind="标准化厂房",
        building_m2=Decimal("20000"),
        land_mu=Decimal("50"),
    )
    hatch = Carrier.objects.create(unit=c.town, name="甲镇孵化器", kind="孵化器", building_m2=Decimal("3000"))
    n_park = Carrier.objects.create(
        unit=city.n_town,
        name="邻镇产业园",
        kind="产业园区",
        land_mu=Decimal("300"),
        occupied_before_mu=Decimal("100"),
    )
    Occupancy.objects.create(
        carrier=park, project=p["domestic"], floor_m2=Decimal("4000"), moved_in_on=date(YEAR, 3, 1)
    )
    Occupancy.objects.create(
        carrier=park,
        project=p["foreign"],
        floor_m2=Decimal("2500"),
        moved_in_on=date(YEAR, 5, 1),
        moved_out_on=date(YEAR, 11, 30),  # moved in this year: counted though it has left since
    )
    Occupancy.objects.create(
        carrier=park, project=p["old"], floor_m2=Decimal("1500"), moved_in_on=date(YEAR - 1, 12, 1)
    )
    Occupancy.objects.create(carrier=hatch, project=p["dropped"], floor_m2=Decimal("300"), moved_in_on=date(YEAR, 2, 1))
    Occupancy.objects.create(carrier=hatch, project=p["machine"], floor_m2=Decimal("800"), moved_in_on=date(YEAR, 8, 1))
    Occupancy.objects.create(
        carrier=n_park,
        project=p["neighbour"],
        land_mu=Decimal("40"),
        floor_m2=Decimal("600"),
        moved_in_on=date(YEAR, 6, 1),
    )
    return World(city, energy, machines, food, textile, p)
