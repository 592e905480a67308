"""The demo county's chains (链长制): four of its leading industries laid out with their links from 上游 to 下游, a
链长 (a 县领导's account) and a 牵头单位 each, this year's targets, and the ledger's projects of those industries
pointed at them. The other industries' old 产业链 texts are left unmapped, so /chains/unmapped/ has work to show.
Written through the chains' services and the mapping service, audited like a bureau's own work."""

from decimal import Decimal

from zhaoshang.audit.models import Source
from zhaoshang.chains import services
from zhaoshang.demo import names
from zhaoshang.org.models import Membership, Role, User
from zhaoshang.projects.chain_mapping import project_chain_map
from zhaoshang.projects.models import Project

# name: (链长 姓名, 职务, 牵头单位, [(环节, 位置, 强弱, 工作方向)], targets: 签约个数, 签约万元, 到位万元, 落地个数, ㎡)
CHAINS = {
    "新能源": (
        "王建国",
        "县委副书记",
        "示范县经济开发区",
        [
            ("多晶硅与硅片", "上游", "缺失", "补链"),
            ("锂电池正极材料", "上游", "薄弱", "补链"),
            ("光伏组件", "中游", "已有优势", "强链"),
            ("风电装备", "中游", "薄弱", "补链"),
            ("氢能装备", "中游", "缺失", "延链"),
            ("储能电站", "下游", "已有优势", "强链"),
            ("充换电服务", "下游", "缺失", "延链"),
        ],
        (22, 200000, 90000, 20, 80000),
    ),
    "新材料": (
        "李明华",
        "县政府副县长",
        "示范县高新技术产业园",
        [
            ("基础化工原料", "上游", "薄弱", "补链"),
            ("高性能纤维", "中游", "已有优势", "强链"),
            ("碳纤维复合材料", "中游", "缺失", "补链"),
            ("功能薄膜", "中游", "薄弱", "补链"),
            ("特种合金", "中游", "已有优势", "强链"),
            ("环保涂料", "下游", "薄弱", "延链"),
        ],
        (20, 150000, 80000, 18, 50000),
    ),
    "装备制造": (
        "张卫东",
        "县政府副县长",
        "示范县工业和信息化局",
        [
            ("精密铸件", "上游", "已有优势", "强链"),
            ("数控机床", "中游", "薄弱", "补链"),
            ("汽车零部件", "中游", "已有优势", "强链"),
            ("工程机械配件", "中游", "薄弱", "补链"),
            ("智能农机", "下游", "缺失", "延链"),
        ],
        (14, 100000, 50000, 12, 60000),
    ),
    "食品加工": (
        "刘志强",
        "县人大常委会副主任",
        "示范县商务局",
        [
            ("优质粮油种植基地", "上游", "已有优势", "强链"),
            ("粮油精深加工", "中游", "已有优势", "强链"),
            ("乳制品", "中游", "薄弱", "补链"),
            ("预制菜", "中游", "缺失", "补链"),
            ("休闲食品", "下游", "薄弱", "延链"),
            ("冷链食品", "下游", "缺失", "延链"),
        ],
        (12, 120000, 60000, 10, 30000),
    ),
}


def _leader(name: str, county) -> User:
    """The 链长's account: the demo's own 县领导 (`leader`) leads the first chain; the others get a leader account
    named after them (password as every demo account's)."""
    user = User.objects.filter(full_name=name).first()
    if user is None:
        user = User.objects.get(username="leader") if name == names.LEADERS[0] else None
    if user is None:
        from zhaoshang.demo.seed import DEMO_PASSWORD  # noqa: PLC0415 - seed imports this module

        user = User(username=f"lz{names.LEADERS.index(name) + 1}", full_name=name)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(user=user, unit=county, role=Role.LEADER)
    return user


def seed_chains(rng, today, units, users) -> dict:
    county, bureau = units[names.COUNTY], users["bureau"]
    mapped = 0
    for order, (name, (leader, title, lead_unit, links, targets)) in enumerate(CHAINS.items(), start=1):
        chain = services.chain_create(
            actor=bureau,
            owner=county,
            values={
                "name": name,
                "leader": _leader(leader, county),
                "leader_title": title,
                "lead_unit": units[lead_unit],
                "sort_order": order,
                "description": f"示范县{name}产业链：围绕龙头企业延链补链强链。",
            },
            source=Source.COMMAND,
        )
        for link_name, position, strength, work in links:
            link, _ = services.link_save(
                actor=bureau,
                chain=chain,
                values={"name": link_name, "position": position, "strength": strength, "work": work},
                source=Source.COMMAND,
            )
        signed_count, signed_wan, arrived_wan, landed, area = targets
        services.target_set(
            actor=bureau,
            chain=chain,
            year=today.year,
            values={
                "signed_count": signed_count,
                "signed_amount_wan": Decimal(signed_wan),
                "arrived_wan": Decimal(arrived_wan),
                "landed_count": landed,
                "floor_area_m2": Decimal(area),
            },
            source=Source.COMMAND,
        )
        # The projects whose old text names the chain, each on the link its product is (the demo's project
        # names carry their product: 年产10万套风电装备产业园项目); every fourth keeps no link, as a bureau maps
        # what it knows.
        for link in chain.links.all():
            texts = Project.objects.filter(chain=None, industry_chain=name, name__contains=link.name).order_by("pk")
            for index, project in enumerate(texts):
                if index % 4 == 3:
                    continue
                project.chain, project.chain_link = chain, link
                project.save(update_fields=["chain", "chain_link"])
                mapped += 1
        mapped += project_chain_map(actor=bureau, text=name, chain=chain, source=Source.COMMAND)
    return {"chains": len(CHAINS), "chain_projects": mapped}
