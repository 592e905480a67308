"""The bulletin annex's optional 产业链招商情况 and 载体情况 tables (bulletins/chains.py): shown in Word, Excel and on
the page only when the bureau ticks them, frozen in the snapshot when issued, bounded like every annex list, scoped
to the bulletin's area; and the 季度小结's chain section naming the weakest links."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from python_calamine import CalamineWorkbook

from tests.bulletins.test_gongwen import OFFICE
from tests.chain_world import YEAR, build
from tests.factories import make_project
from zhaoshang.bulletins import meetings, services
from zhaoshang.bulletins.models import Bulletin
from zhaoshang.carriers.models import Occupancy
from zhaoshang.chains.models import Chain, ChainLink, ChainTarget
from zhaoshang.industry.models import TargetEnterprise
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db
PERIOD = f"{YEAR}-12"
CHAINS, CARRIERS = "产业链招商情况", "载体情况"


def pick(actor, unit, *tables, **more):
    services.office_save(actor=actor, unit=unit, values={**OFFICE, "annex_tables": list(tables), **more})


def docx_tables(content: bytes) -> dict[str, list[list[str]]]:
    """The docx's tables by the heading paragraph just before each: [[cell text]] row by row."""
    document = Document(io.BytesIO(content))
    found, heading = {}, None
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")).strip()
            if text:
                heading = text
        elif tag == "tbl":
            table = next(t for t in document.tables if t._tbl is block)
            found.setdefault(heading, [[cell.text for cell in row.cells] for row in table.rows])
            heading = None
    return found


def draft(client, unit, fmt: str) -> bytes:
    response = client.get(f"{reverse('bulletin_draft')}?month={PERIOD}&unit={unit.pk}&format={fmt}")
    assert response.status_code == 200, response.content[:300]
    return response.content


def sheet(content: bytes, name: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(name).to_python()


def test_the_tables_are_in_the_annex_only_when_picked(city, client_for):
    build(city)
    c = city.county
    client = client_for(c.bureau)
    assert not {CHAINS, CARRIERS} & set(docx_tables(draft(client, c.root, "docx")))
    pick(c.bureau, c.root, "chain_table", "carrier_table")
    tables = docx_tables(draft(client, c.root, "docx"))
    assert {CHAINS, CARRIERS} <= set(tables)
    page = client.get(f"{reverse('bulletin_draft')}?month={PERIOD}&unit={c.root.pk}").content.decode()
    assert CHAINS in page and CARRIERS in page and "甲镇孵化器" not in page  # carriers by place, not by name
    # the ranking keeps its default columns beside the picked tables
    ranking = next(rows for title, rows in tables.items() if "排名" in title)
    assert ranking[0][2:5] == ["签约内资项目(个)", "内资协议资金(亿元)", "实际到位内资(亿元)"]
    form = client.get(f"{reverse('bulletin_office')}?unit={c.root.pk}").content.decode()
    assert re.search(r'name="annex_tables" value="chain_table"[^>]*checked', form)


def test_the_word_annex_reads_back_each_chain_against_target_and_the_carriers(city, client_for):
    build(city)
    c = city.county
    pick(c.bureau, c.root, "chain_table", "carrier_table")
    tables = docx_tables(draft(client_for(c.bureau), c.root, "docx"))
    chains = tables[CHAINS]
    assert chains[0] == ["产业链", "指标", "全年目标", "1-12月完成", "完成率", "较序时进度(百分点)", "位次"]
    # 测试县's bulletin: the city's 新能源 over 测试县's projects (30,000 + 2,000万美元×5 + 7,000), its own two chains
    assert [r[0] for r in chains[1:] if r[0]] == ["新能源（测试市）", "装备制造（测试县）", "食品加工（测试县）"]
    assert chains[2] == ["", "签约金额(亿元)", "10.00", "4.70", "47.0%", "-53.0", "1"]
    machines = chains[6:11]
    assert machines[0][1:5] == ["签约项目数(个)", "0", "2", "目标为0"]
    assert machines[4][1:5] == ["入驻厂房面积(㎡)", "—", "800.00", "未设目标"]
    assert machines[2][1:6] == ["到位资金(亿元)", "0.20", "0.09", "45.0%", "-55.0"]
    text = "".join("".join(r) for r in chains)
    assert "纺织" not in text and "邻县" not in text
    carriers = tables[CARRIERS]
    assert carriers[0][:3] == ["类型", "园区/乡镇", "载体数"]
    # 亩 to one decimal, ㎡ whole (ten area columns fit a landscape line)
    # on 31 December: 一期 holds 光伏组件 4,000 and 上年签约 1,500 (外资储能 moved out on 30 November)
    assert carriers[1] == [
        "标准化厂房", "甲镇工业园", "1", "50.0", "0.0", "50.0", "20,000", "5,500", "14,500", "27.5%", "2",
    ]  # fmt: skip
    assert carriers[2][:2] == ["孵化器", "甲镇"] and carriers[2][7:] == ["1,100", "1,900", "36.7%", "2"]
    assert [r[1] for r in carriers[3:]] == ["标准化厂房合计", "孵化器合计"]
    assert "邻镇" not in "".join("".join(r) for r in carriers)


def test_the_excel_annex_holds_numbers_and_the_chain_on_every_row(city, client_for):
    build(city)
    pick(city.city_bureau, city.root, "chain_table", "carrier_table")
    content = draft(client_for(city.city_bureau), city.root, "xlsx")
    rows = sheet(content, CHAINS)[2:]
    assert len(rows) == 4 * 5  # the city reads each county's chains: 新能源, 装备制造, 食品加工, 纺织
    energy = [r for r in rows if r[0] == "新能源（测试市）"]
    assert len(energy) == 5
    assert energy[1][1:5] == ["签约金额(亿元)", 10.0, 5.2, 52.0]  # the whole city's 52,000 万元
    carriers = sheet(content, CARRIERS)[2:]
    park = next(r for r in carriers if r[1] == "邻镇")
    assert park[:6] == ["产业园区", "邻镇", 1.0, 300.0, 140.0, 160.0] and park[9:] == [46.7, 1.0]


def test_an_issued_bulletin_keeps_its_tables_after_later_writes_while_the_draft_follows(city, client_for):
    world = build(city)
    c = city.county
    pick(c.bureau, c.root, "chain_table", "carrier_table")
    client = client_for(c.bureau)
    before = docx_tables(draft(client, c.root, "docx"))  # also fills the cached draft
    bulletin = services.bulletin_issue(actor=c.bureau, unit=c.root, month=date(YEAR, 12, 1))
    frozen = Bulletin.objects.get(pk=bulletin.pk).snapshot
    # later: a target raised, a new occupancy, the tables unticked
    ChainTarget.objects.filter(chain=world.machines).update(signed_amount_wan=Decimal("20000"))
    target = ChainTarget.objects.get(chain=world.machines)
    target.save()  # through the signal, as a service writes it
    Occupancy.objects.create(
        carrier=world.projects["domestic"].occupancies.first().carrier,
        project=world.projects["machine"],
        floor_m2=Decimal("1000"),
        moved_in_on=date(YEAR, 12, 10),
    )
    pick(c.bureau, c.root)
    issued = client.get(f"{reverse('bulletin_issued', args=[bulletin.pk])}?format=docx")
    assert docx_tables(issued.content)[CHAINS] == before[CHAINS]
    assert docx_tables(issued.content)[CARRIERS] == before[CARRIERS]
    assert Bulletin.objects.get(pk=bulletin.pk).snapshot == frozen
    # the draft (cached) follows the writes: the version moved
    pick(c.bureau, c.root, "chain_table", "carrier_table")
    now = docx_tables(draft(client, c.root, "docx"))
    assert now[CHAINS][7][2] == "2.00"  # 装备制造's new target
    assert now[CARRIERS][1][7] == "6,500"


def test_each_table_shows_n_chains_and_counts_the_rest_the_excel_holds_all(city, client_for):
    build(city)
    c = city.county
    for n in range(6):
        Chain.objects.create(owner=c.root, name=f"新增链{n}", sort_order=10 + n)
    pick(c.bureau, c.root, "chain_table", list_limit=5)
    client = client_for(c.bureau)
    document = Document(io.BytesIO(draft(client, c.root, "docx")))
    chains = docx_tables(draft(client, c.root, "docx"))[CHAINS]
    assert len(chains) == 1 + 5 * 5
    assert any("另有4条产业链，详见附表（Excel）" in p.text for p in document.paragraphs)
    assert len(sheet(draft(client, c.root, "xlsx"), CHAINS)[2:]) == 9 * 5
    bulletin = services.bulletin_issue(actor=c.bureau, unit=c.root, month=date(YEAR, 12, 1))
    assert len(bulletin.snapshot["chains"]["rows"]) == 5 and bulletin.snapshot["chains"]["total"] == 9
    issued = client.get(f"{reverse('bulletin_issued', args=[bulletin.pk])}?format=xlsx")
    assert len(sheet(issued.content, CHAINS)[2:]) == 9 * 5


def test_the_neighbour_countys_bulletin_shows_only_its_own_chain_and_carriers(city, client_for):
    build(city)
    pick(city.n_bureau, city.neighbour, "chain_table", "carrier_table")
    tables = docx_tables(draft(client_for(city.n_bureau), city.neighbour, "docx"))
    names = [r[0] for r in tables[CHAINS][1:] if r[0]]
    assert names == ["新能源（测试市）", "纺织（邻县）"]
    assert tables[CHAINS][2][3] == "0.50"  # 邻县电池 only
    assert [r[1] for r in tables[CARRIERS][1:]] == ["邻镇", "产业园区合计"]


def test_the_quarterly_summary_names_each_chain_against_target_and_the_weakest_links(city):
    world = build(city)
    c = city.county
    material = meetings.summary(c.root, date(YEAR, 12, 1))
    words = material.paragraphs[-1]
    assert "数控机床（缺失）" in words and "冷链物流（薄弱）" in words and "整机装配" not in words
    table = material.tables[-1]
    assert table.title == f"产业链招商情况（{YEAR}年1-12月）"
    named = [r.values[0] for r in table.rows if r.values[0]]
    assert named == ["新能源（测试市）", "装备制造（测试县）", "食品加工（测试县）"]
    # a target enterprise on 数控机床 and a live project on 冷链物流: both are being worked
    machine_tool = ChainLink.objects.get(name="数控机床")
    TargetEnterprise.objects.create(
        unit=c.town, county=c.root, name="某机床公司", chain=world.machines, link=machine_tool
    )
    cold = ChainLink.objects.get(name="冷链物流")
    project = make_project(c.bureau, c.town, signed_on=date(YEAR, 2, 1))
    Project.objects.filter(pk=project.pk).update(chain=world.food, chain_link=cold)
    words = meetings.summary(c.root, date(YEAR, 12, 1)).paragraphs[-1]
    assert "缺失、薄弱环节均已有项目或目标企业对接" in words
    assert "纺织" not in words
