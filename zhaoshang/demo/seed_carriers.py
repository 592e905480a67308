"""The demo county's carriers (载体): standard factories, a park's land and an incubator in the two parks and two
towns, with ledger projects of their units that reached 开工 or 投产 landed in them — one factory nearly full, one
project below its carrier's 亩均投资强度 requirement, one that moved out — so the carriers page has an answer to
"what space can we offer this week" and something to light.

Loaded in bulk like the rest of the demo (past move-in days sit in closed months, which the services refuse); no
occupancy over-fills its carrier, as the services would ensure. Run after the front line, with the builder's
random generator, so the data seeded before it stays the same."""

import random
from datetime import date, timedelta
from decimal import Decimal

from zhaoshang.carriers.models import Carrier, CarrierKind, Occupancy
from zhaoshang.demo import names
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project, Stage

D = Decimal
# (unit, name, kind, 亩, ㎡, 台账外 亩, 台账外 ㎡, rent, price, land price, 亩均投资, 亩均税收, industries, address)
CARRIERS = [
    (names.PARKS[0], "开发区标准化厂房一期", CarrierKind.FACTORY, None, D("60000"), None, D("21000"),
     D("8"), D("1800"), None, None, None, "装备制造、汽车零部件", "经开区纬二路"),
    (names.PARKS[0], "开发区标准化厂房二期", CarrierKind.FACTORY, None, D("45000"), None, D("0"),
     D("9"), D("2000"), None, None, None, "新能源、电子信息", "经开区纬五路"),
    (names.PARKS[0], "开发区东区工业用地", CarrierKind.PARK, D("1200"), None, D("650"), None,
     None, None, D("16"), D("300"), D("15"), "装备制造、新材料", "经开区东区"),
    (names.PARKS[1], "高新区科技孵化器", CarrierKind.INCUBATOR, None, D("12000"), None, D("3500"),
     D("5"), None, None, None, None, "电子信息、生物医药", "高新区创新大道9号"),
    (names.PARKS[1], "高新区智能制造产业园", CarrierKind.PARK, D("800"), D("30000"), D("320"), D("8000"),
     D("10"), None, D("20"), D("350"), D("20"), "智能制造", "高新区科技路"),
    (names.TOWNS[1], "新华镇标准化厂房", CarrierKind.FACTORY, D("80"), D("24000"), D("20"), D("6000"),
     D("6"), None, D("12"), D("200"), D("10"), "农产品加工", "新华镇工业集中区"),
    (names.TOWNS[3], "石桥镇农副产品加工园", CarrierKind.PARK, D("300"), None, D("120"), None,
     None, None, D("10"), D("150"), D("8"), "食品加工", "石桥镇南"),
]  # fmt: skip


def seed_carriers(rng: random.Random, today: date, units: dict[str, Unit]) -> dict:
    carriers = []
    for unit, name, kind, mu, m2, before_mu, before_m2, rent, price, land, min_inv, min_tax, trades, where in CARRIERS:
        carriers.append(
            Carrier.objects.create(
                unit=units[unit],
                name=name,
                kind=kind,
                address=where,
                land_mu=mu,
                building_m2=m2,
                occupied_before_mu=before_mu or 0,
                occupied_before_m2=before_m2 or 0,
                rent_yuan_m2_month=rent,
                price_yuan_m2=price,
                land_price_wan_mu=land,
                min_investment_wan_mu=min_inv,
                min_tax_wan_mu=min_tax,
                industries=trades,
                contact_person=rng.choice(["王主任", "李科长", "张经理", "刘主任"]),
                contact_phone=f"0558-{rng.randint(6000000, 6999999)}",
                description="水电气配套齐全，可按需分割；距高速出口约5公里。",
            )
        )
    occupancies, used = [], set()
    for carrier in carriers:
        landed = list(
            Project.objects.filter(responsible_unit=carrier.unit, stage__in=[Stage.STARTED, Stage.PRODUCING])
            .exclude(pk__in=used)
            .order_by("code")[:4]
        )
        used |= {project.pk for project in landed}
        free_mu = (carrier.land_mu or 0) - carrier.occupied_before_mu
        free_m2 = (carrier.building_m2 or 0) - carrier.occupied_before_m2
        for n, project in enumerate(landed):
            mu = m2 = None
            if carrier.land_mu is not None and free_mu > 0:
                mu = min(free_mu, D(rng.choice([20, 35, 50, 80])))
                free_mu -= mu
            if carrier.building_m2 is not None and free_m2 > 0:
                m2 = min(free_m2, D(rng.choice([1500, 2500, 4000, 6000])))
                free_m2 -= m2
            if mu is None and m2 is None:
                break
            moved_in = today - timedelta(days=rng.randint(60, 700))
            tax = D(rng.randint(50, 900)) if mu else None
            moved_out = (today - timedelta(days=20)) if n == 3 else None  # one moved out: its space is free again
            occupancies.append(
                Occupancy(
                    carrier=carrier,
                    project=project,
                    land_mu=mu,
                    floor_m2=m2,
                    moved_in_on=moved_in,
                    moved_out_on=moved_out if moved_out and moved_out > moved_in else None,
                    annual_tax_wan=tax,
                )
            )
    Occupancy.objects.bulk_create(occupancies)
    return {"carriers": len(carriers), "occupancies": len(occupancies)}
