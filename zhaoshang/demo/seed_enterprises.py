"""The demo county's target-enterprise library (目标企业库): ~40 enterprises the county means to bring in, held by
towns, parks and teams, with their kind tags and, where the demo's chains exist (demo/seed_chains.py runs before
this), a chain and link picked by name. About two fifths were visited, received, became a lead or signed: those links go
through the library's service, so their status follows (已接触, 有意向, 已签约) as the product would set it; a few
are 未接触 with nothing linked — the bureau's 无人对接 list.

Run after the front line (it links the front line's trips, receptions and leads), with a random generator of its
own, so the data seeded before it is the same as without it."""

import random

from zhaoshang.audit.models import Source
from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.core.creditcode import check_character
from zhaoshang.demo import names
from zhaoshang.frontline.models import Reception, Trip
from zhaoshang.industry import services
from zhaoshang.industry.models import ContactStatus, EnterpriseTag
from zhaoshang.industry.rules import SIGNED_STAGES
from zhaoshang.projects.models import Project

SEED = 1717
COUNT = 40
HEADQUARTERS = ["深圳市", "苏州市", "杭州市", "上海市", "合肥市", "宁波市", "广州市", "北京市", "成都市", "常州市"]
KINDS = ["科技", "新材料", "新能源", "智能装备", "食品", "生物医药", "电子", "精密制造"]
# the demo's chain names (names.CHAINS) each target's kind points at, with the products it makes
KIND_CHAINS = {
    "科技": ("电子信息", "智能终端"),
    "新材料": ("新材料", "功能薄膜"),
    "新能源": ("新能源", "锂电池正极材料"),
    "智能装备": ("装备制造", "数控机床"),
    "食品": ("食品加工", "预制菜"),
    "生物医药": ("生物医药", "医疗器械"),
    "电子": ("电子信息", "电子元器件"),
    "精密制造": ("装备制造", "汽车零部件"),
}
PRODUCTS = {
    "科技": "智能手机、可穿戴设备",
    "新材料": "光学膜、锂电隔膜",
    "新能源": "磷酸铁锂正极材料",
    "智能装备": "五轴数控机床、工业机器人",
    "食品": "中式预制菜、速冻面点",
    "生物医药": "体外诊断试剂、医用耗材",
    "电子": "片式电容、电感",
    "精密制造": "汽车底盘件、精密铸件",
}
HOLDERS = ["示范县经济开发区", "示范县高新技术产业园", "城关镇", "新华镇", "新能源产业招商小分队", "长三角招商小分队"]
CONTACTS = ["张总", "李经理", "王董事长", "赵总监", "陈经理", "刘总"]
TAG_SETS = [
    [EnterpriseTag.LISTED],
    [EnterpriseTag.LITTLE_GIANT],
    [EnterpriseTag.PRIVATE_500, EnterpriseTag.LEADER],
    [EnterpriseTag.CHINA_500],
    [EnterpriseTag.FORTUNE_GLOBAL, EnterpriseTag.LEADER],
    [EnterpriseTag.UNICORN],
    [],
]


def _credit_code(rng: random.Random) -> str:
    body = "91" + rng.choice(names.REGION_CODES) + "".join(rng.choice("0123456789ABCDEFGH") for _ in range(9))
    return body + check_character(body)


def _by_unit(rows) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for unit_id, pk in rows.order_by("pk"):
        found.setdefault(unit_id, []).append(pk)
    return found


def _chain(root, kind: str):
    chain_name, link_name = KIND_CHAINS[kind]
    chain = Chain.objects.filter(owner=root, name=chain_name).first()
    link = ChainLink.objects.filter(chain=chain, name=link_name).first() if chain else None
    return chain, link


def seed_enterprises(today, units: dict) -> dict:
    rng = random.Random(SEED)
    root = units[names.COUNTY]
    holders = [units[name] for name in HOLDERS if name in units]
    # each holder works its own targets: the work linked is of the target's own unit, so its users see it
    trips = _by_unit(Trip.objects.values_list("unit_id", "pk"))
    receptions = _by_unit(Reception.objects.values_list("unit_id", "pk"))
    leads = _by_unit(Project.objects.filter(lead__isnull=False).values_list("responsible_unit_id", "pk"))
    signed = _by_unit(Project.objects.filter(stage__in=SIGNED_STAGES).values_list("responsible_unit_id", "pk"))
    made, taken, linked = 0, set(), 0
    while made < COUNT:
        place = rng.choice(HEADQUARTERS)
        kind = rng.choice(KINDS)
        word = rng.choice(names.INVESTOR_WORDS) + rng.choice(names.INVESTOR_WORDS)
        name = f"{place[:-1]}{word}{kind}股份有限公司" if rng.random() < 0.3 else f"{place[:-1]}{word}{kind}有限公司"
        if name in taken:
            continue
        taken.add(name)
        chain, link = _chain(root, kind)
        target = services.target_save(
            actor=None,
            values={
                "unit": rng.choice(holders),
                "name": name,
                "credit_code": _credit_code(rng) if rng.random() < 0.6 else "",
                "headquarters": place,
                "tags": list(rng.choice(TAG_SETS)),
                "chain": chain,
                "link": link if rng.random() < 0.8 else None,
                "main_products": PRODUCTS[kind],
                "contact_person": rng.choice(CONTACTS),
                "contact_phone": f"139{rng.randint(10000000, 99999999)}",
                # some met by phone only: contacted by hand, nothing linked
                "status": ContactStatus.CONTACTED if rng.random() < 0.1 else ContactStatus.NONE,
            },
            source=Source.COMMAND,
        )
        made += 1
        # a third worked by the front line: visited, received, or a lead of it registered
        roll, holder = rng.random(), target.unit_id
        work = []
        if roll < 0.15 and trips.get(holder):
            work = [("trip", rng.choice(trips[holder]))]
        elif roll < 0.25 and receptions.get(holder):
            work = [("reception", rng.choice(receptions[holder]))]
        elif roll < 0.4 and leads.get(holder):
            work = [("trip", rng.choice(trips[holder]))] if trips.get(holder) else []
            work.append(("project", rng.choice(leads[holder])))
        elif roll < 0.5 and signed.get(holder):  # brought in: its project is signed
            work = [("project", rng.choice(signed[holder]))]
        for kind_name, pk in work:
            services.target_link(actor=None, target=target, kind=kind_name, pk=pk, source=Source.COMMAND)
            linked += 1
    return {"targets": made, "target_links": linked}
