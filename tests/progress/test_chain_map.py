"""产业链图谱: each link's counts (enterprises here, target enterprises by contact status, live projects by stage)
as the rows say, rolled up across units and counties; lists that name only what the reader may read; another
county's chain answering 404; a fixed number of queries; the dashboard's coverage card current after a write."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.bulletins.test_gongwen import OFFICE
from tests.progress.chain_data import make_chain, project_on, target_on
from zhaoshang.bulletins.services import office_save
from zhaoshang.chains.models import ChainLink
from zhaoshang.industry.models import TargetEnterprise
from zhaoshang.progress.chain_map import LANDED_STAGES, LIST_LIMIT, WORKING_STAGES, coverage
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db

LINKS = [
    ("电池材料", "上游", "已有优势"),
    ("电芯", "中游", "薄弱"),
    ("整车", "下游", "缺失"),
    ("回收利用", "下游", "缺失"),
]


def lay_out(county):
    """测试县's 新能源汽车 chain: work spread over 甲镇, 乙镇 and 甲镇工业园, one link (回收利用) left untouched."""
    chain, (materials, cells, vehicles, recycling) = make_chain(county.root, "新能源汽车", LINKS)
    bureau, town, other, park = county.bureau, county.town, county.other_town, county.town_park
    project_on(bureau, town, materials, "投产", name="甲镇正极材料项目")
    project_on(bureau, other, materials, "开工", name="乙镇负极材料项目")
    project_on(bureau, park, materials, "签约", name="园区隔膜项目")
    project_on(bureau, other, materials, "终止", name="乙镇已终止项目")  # never live work
    project_on(bureau, town, cells, "线索", name="甲镇电芯线索")
    project_on(bureau, other, cells, "在谈", name="乙镇电芯在谈项目")
    project_on(bureau, town, None, "注册", chain=chain, name="甲镇未定环节项目")
    target_on(town, materials, "已签约", "甲镇材料目标企业")
    target_on(other, vehicles, "未接触", "乙镇整车目标企业")
    target_on(town, vehicles, "有意向", "甲镇整车目标企业一")
    target_on(town, vehicles, "有意向", "甲镇整车目标企业二")
    return chain, {"材料": materials, "电芯": cells, "整车": vehicles, "回收": recycling}


def counted_from_rows(link):
    """The link's counts read row by row, apart from the grouped queries under test."""
    stages = Counter(p.stage for p in Project.objects.filter(chain_link=link) if p.stage != "终止")
    statuses = Counter(t.status for t in TargetEnterprise.objects.filter(link=link))
    landed = {s: stages[s] for s in LANDED_STAGES if stages[s]}
    working = {s: stages[s] for s in WORKING_STAGES if stages[s]}
    return landed, working, dict(statuses)


def test_it_counts_each_link_as_its_rows_say(county):
    chain, links = lay_out(county)
    (found,) = coverage([chain])
    by_name = {f.link.name: f for f in found.links}
    for link in links.values():
        figures = by_name[link.name]
        landed, working, statuses = counted_from_rows(link)
        assert (+figures.landed, +figures.working, +figures.targets) == (landed, working, statuses), link.name
    # and by hand: what the county sees on its map
    materials, cells, vehicles = by_name["电池材料"], by_name["电芯"], by_name["整车"]
    assert (materials.landed_total, materials.working_total, materials.target_total) == (2, 1, 1)
    assert (cells.landed_total, cells.working_total, cells.target_total) == (0, 2, 0)
    assert (vehicles.landed_total, vehicles.working_total, vehicles.target_total) == (0, 0, 3)
    assert vehicles.targets_by_status() == [("未接触", 1), ("已接触", 0), ("有意向", 2), ("已签约", 0)]
    assert [f.link.name for f in found.gaps] == ["回收利用"]
    assert (found.total, found.with_target, found.with_project, found.covered) == (4, 2, 2, 3)
    # the project that names the chain but no link counts for the chain, apart from every link
    assert found.unplaced.landed_total == 1 and found.unplaced.link.pk is None


def test_the_overview_shows_coverage_and_the_gaps(county, client_for):
    lay_out(county)
    page = client_for(county.reporter).get(reverse("chain_overview"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "新能源汽车" in text and "短板：</strong>回收利用（缺失）" in text
    (found,) = [c for _owner, chains in page.context["groups"] for c in chains]
    assert (found.total, found.with_target, found.with_project, len(found.gaps)) == (4, 2, 2, 1)
    assert page.context["grouped"] is False  # one county: no heading per owner


def test_a_town_reads_the_county_counts_but_lists_only_its_own_records(county, client_for):
    chain, links = lay_out(county)
    url = reverse("chain_map", args=[chain.pk])
    mine = client_for(county.reporter).get(url)
    text = mine.content.decode()
    assert mine.status_code == 200
    assert "已落地企业 2 · 目标企业 1 · 项目 1" in text  # the chain's counts, every unit's rows
    for name in ("甲镇正极材料项目", "园区隔膜项目", "甲镇电芯线索", "甲镇整车目标企业一", "甲镇未定环节项目"):
        assert name in text, name
    for name in ("乙镇负极材料项目", "乙镇电芯在谈项目", "乙镇整车目标企业", "乙镇已终止项目"):
        assert name not in text, name
    places = {place.figures.link.name: place for _position, group in mine.context["groups"] for place in group}
    assert (places["电池材料"].hidden_projects, places["整车"].hidden_targets) == (1, 1)
    assert "另有项目 1 个属于其他单位" in text
    # 乙镇's reporter: the same counts, its own names
    theirs = client_for(county.outsider).get(url).content.decode()
    assert "已落地企业 2 · 目标企业 1 · 项目 1" in theirs
    assert "乙镇负极材料项目" in theirs and "甲镇正极材料项目" not in theirs
    # each listed project and target links to its page
    project = Project.objects.get(name="甲镇正极材料项目")
    assert reverse("project_detail", args=[project.pk]) in text
    target = TargetEnterprise.objects.get(name="甲镇整车目标企业一")
    assert reverse("target_detail", args=[target.pk]) in text


def test_a_link_opens_from_the_address_without_script(county, client_for):
    chain, links = lay_out(county)
    url = f"{reverse('chain_map', args=[chain.pk])}?link={links['整车'].pk}"
    text = client_for(county.bureau).get(url).content.decode()
    assert f'id="link-{links["整车"].pk}" open' in text
    assert f'id="link-{links["电芯"].pk}" open' not in text
    assert client_for(county.bureau).get(f"{reverse('chain_map', args=[chain.pk])}?link=²").status_code == 200


def test_a_chain_rolls_up_across_counties_and_lists_stay_in_each(city, client_for):
    county = city.county
    chain, (software,) = make_chain(city.root, "数字经济", [("软件", "中游", "薄弱")])
    project_on(county.bureau, county.town, software, "签约", name="甲镇软件项目")
    city.n_project.chain, city.n_project.chain_link = chain, software
    city.n_project.save(update_fields=["chain", "chain_link"])
    target_on(county.town, software, "已接触", "甲镇软件目标企业")
    target_on(city.n_town, software, "有意向", "邻县机密目标企业")
    (found,) = coverage([chain])
    assert (found.links[0].working_total, found.links[0].target_total) == (2, 2)

    url = reverse("chain_map", args=[chain.pk])
    for user, own, other in (
        (county.bureau, "甲镇软件项目", "邻县机密项目"),
        (city.n_bureau, "邻县机密项目", "甲镇软件项目"),
        (county.reporter, "甲镇软件目标企业", "邻县机密目标企业"),
    ):
        text = client_for(user).get(url).content.decode()
        assert "已落地企业 0 · 目标企业 2 · 项目 2" in text, user
        assert own in text and other not in text, user
    everything = client_for(city.city_bureau).get(url).content.decode()
    assert "甲镇软件项目" in everything and "邻县机密项目" in everything and "邻县机密目标企业" in everything


def test_a_county_cannot_open_another_countys_chain(city, client_for):
    county = city.county
    theirs, (link,) = make_chain(city.neighbour, "邻县绿色食品", [("冷链", "下游", "缺失")])
    ours, _ = make_chain(county.root, "测试县装备制造", [("铸件", "上游", "薄弱")])
    url = reverse("chain_map", args=[theirs.pk])
    for user in (county.bureau, county.leader, county.reporter, county.unit_head):
        assert client_for(user).get(url).status_code == 404, user
        assert "邻县绿色食品" not in client_for(user).get(reverse("chain_overview")).content.decode()
    assert client_for(city.n_reporter).get(url).status_code == 200
    assert client_for(city.n_bureau).get(reverse("chain_map", args=[ours.pk])).status_code == 404
    # the city's bureau reads every county's chains, one group per county
    overview = client_for(city.city_bureau).get(reverse("chain_overview"))
    assert overview.context["grouped"] is True
    assert [owner.name for owner, _chains in overview.context["groups"]] == ["测试县", "邻县"]
    assert client_for(city.city_bureau).get(url).status_code == 200


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_pages_make_a_fixed_number_of_queries(county, client_for):
    chain, links = lay_out(county)
    second, (other_link,) = make_chain(county.root, "生物医药", [("原料药", "上游", "薄弱")])
    client = client_for(county.bureau)
    urls = [reverse("chain_overview"), reverse("chain_map", args=[chain.pk]), reverse("dashboard")]
    few = [queries_for(client, url) for url in urls]
    for i in range(12):
        link = ChainLink.objects.create(chain=chain, name=f"新环节{i}", position="中游", strength="薄弱")
        project_on(county.bureau, county.other_town, link, "开工")
        project_on(county.bureau, county.town_park, links["电芯"], "在谈")
        target_on(county.town, link, "已接触", f"新目标企业{i}")
        target_on(county.other_town, other_link, "未接触", f"医药目标企业{i}")
    make_chain(county.root, "文化旅游", [("民宿", "下游", "缺失"), ("演艺", "下游", "缺失")])
    assert [queries_for(client, url) for url in urls] == few


def card_of(client, name):
    rows = client.get(reverse("dashboard")).context["chain_card"]
    return next(row for row in rows if row.name == name)


def test_the_dashboard_card_follows_every_write_at_once(county, client_for):
    chain, links = lay_out(county)
    client = client_for(county.reporter)  # 甲镇's dashboard, cached by 甲镇's branch
    row = card_of(client, "新能源汽车")
    assert (row.covered, row.total, row.gaps) == (3, 4, ["回收利用"])
    assert card_of(client, "新能源汽车") == row  # from the cache now

    # a target of 乙镇 (another branch) on the gap
    target = target_on(county.other_town, links["回收"], "未接触", "乙镇回收目标企业")
    row = card_of(client, "新能源汽车")
    assert (row.covered, row.total, row.gaps) == (4, 4, [])
    # a new link, and a target moved off a link
    ChainLink.objects.create(chain=chain, name="充电设施", position="下游", strength="缺失", sort_order=9)
    target.link = None
    target.save()
    row = card_of(client, "新能源汽车")
    assert (row.covered, row.total, row.gaps) == (3, 5, ["回收利用", "充电设施"])
    # a project of 乙镇 on a gap
    project_on(county.bureau, county.other_town, links["回收"], "在谈")
    assert card_of(client, "新能源汽车").gaps == ["充电设施"]
    # a new chain shows at once
    make_chain(county.root, "生物医药", [("原料药", "上游", "薄弱")])
    assert card_of(client, "生物医药").gaps == ["原料药"]
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("chain_overview") in page and "产业链覆盖" in page


def test_the_city_chains_card_follows_another_countys_write(city, client_for):
    county = city.county
    chain, (software,) = make_chain(city.root, "数字经济", [("软件", "中游", "薄弱")])
    make_chain(city.neighbour, "邻县绿色食品", [("冷链", "下游", "缺失")])
    client = client_for(county.reporter)
    assert card_of(client, "数字经济").gaps == ["软件"]
    assert "邻县绿色食品" not in [r.name for r in client.get(reverse("dashboard")).context["chain_card"]]
    target_on(city.n_town, software, "有意向", "邻县机密目标企业")
    assert card_of(client, "数字经济").gaps == []
    assert "邻县机密目标企业" not in client.get(reverse("dashboard")).content.decode()
    # the city's page: every county's chains
    names = [r.name for r in client_for(city.city_bureau).get(reverse("dashboard")).context["chain_card"]]
    assert names == ["数字经济", "邻县绿色食品"]


def many_on_one_link(county):
    """One link with more rows than the bureau's N (5): 7 landed and 6 live projects and 8 targets of 甲镇's, 2 of
    乙镇's of each kind (not 甲镇's reporter's to read), and a second link with one project of its own."""
    office_save(actor=county.bureau, unit=county.root, values={**OFFICE, "list_limit": 5})
    chain, (cells, other) = make_chain(county.root, "储能", [("电芯", "中游", "薄弱"), ("电池包", "中游", "薄弱")])
    bureau, town = county.bureau, county.town
    for i in range(7):
        project_on(bureau, town, cells, "开工", name=f"甲镇落地项目{i}")
    for i in range(6):
        project_on(bureau, town, cells, "在谈", name=f"甲镇在谈项目{i}")
    for i in range(8):
        target_on(town, cells, "已接触", f"甲镇目标企业{i:02d}")
    for i in range(2):
        project_on(bureau, county.other_town, cells, "投产", name=f"乙镇落地项目{i}")
        project_on(bureau, county.other_town, cells, "线索", name=f"乙镇线索{i}")
        target_on(county.other_town, cells, "未接触", f"乙镇目标企业{i}")
    project_on(bureau, town, other, "签约", name="甲镇电池包项目")
    return chain, cells, other


def listed(text, prefix):
    return sum(text.count(f">{prefix}{i}<") for i in range(10)) + sum(
        text.count(f">{prefix}{i:02d}<") for i in range(10)
    )


def test_each_list_of_a_link_shows_the_bureaus_n_and_links_to_the_whole_list(county, client_for):
    chain, cells, other = many_on_one_link(county)
    client = client_for(county.reporter)
    text = client.get(reverse("chain_map", args=[chain.pk])).content.decode()
    # the chain's counts stay whole; each list names N = 5 of the rows 甲镇 reads, and counts the rest
    assert "已落地企业 9 · 目标企业 10 · 项目 8" in text
    assert (listed(text, "甲镇落地项目"), listed(text, "甲镇在谈项目"), listed(text, "甲镇目标企业")) == (5, 5, 5)
    assert "另有 2 个，" in text and "另有 1 个，" in text and "另有 3 家，" in text
    assert "另有项目 4 个、目标企业 2 家属于其他单位" in text  # 乙镇's, not counted among "另有 N 个，"
    ledger = f"{reverse('project_list')}?chain={chain.pk}&amp;link={cells.pk}"
    library = f"{reverse('target_list')}?chain={chain.pk}&amp;link={cells.pk}"
    assert ledger in text and library in text
    assert f"link={other.pk}" not in text  # 电池包's one project: no bound reached, no link
    # the full lists: the link's rows 甲镇 reads, every one of them, and nothing of the other link
    projects = client.get(reverse("project_list"), {"chain": chain.pk, "link": cells.pk}).content.decode()
    assert (listed(projects, "甲镇落地项目"), listed(projects, "甲镇在谈项目")) == (7, 6)
    assert "甲镇电池包项目" not in projects and "乙镇落地项目" not in projects
    targets = client.get(reverse("target_list"), {"chain": chain.pk, "link": cells.pk}).content.decode()
    assert listed(targets, "甲镇目标企业") == 8 and "乙镇目标企业" not in targets
    # a target's name leads to its page
    first = TargetEnterprise.objects.filter(name__startswith="甲镇目标企业").order_by("name").first()
    assert reverse("target_detail", args=[first.pk]) in text


def test_without_its_own_setting_a_link_lists_the_default_n(county, client_for):
    chain, (cells,) = make_chain(county.root, "光伏", [("组件", "中游", "薄弱")])
    for i in range(LIST_LIMIT + 3):
        target_on(county.town, cells, "已接触", f"光伏目标企业{i:02d}")
    text = client_for(county.bureau).get(reverse("chain_map", args=[chain.pk])).content.decode()
    assert sum(text.count(f">光伏目标企业{i:02d}<") for i in range(LIST_LIMIT + 3)) == LIST_LIMIT
    assert "另有 3 家，" in text


def test_a_long_link_takes_the_same_queries_as_a_short_one(county, client_for):
    chain, cells, _other = many_on_one_link(county)
    client = client_for(county.reporter)
    url = f"{reverse('chain_map', args=[chain.pk])}?link={cells.pk}"
    few = queries_for(client, url)
    for i in range(30):
        project_on(county.bureau, county.town, cells, "签约", name=f"甲镇签约项目{i}")
        target_on(county.town, cells, "有意向", f"甲镇新目标企业{i}")
    text = client.get(url).content.decode()
    assert "另有 31 个，" in text and "另有 33 家，" in text
    assert queries_for(client, url) == few
