"""冲刺 in the documents: the bulletin's 工作要求 opens with the units furthest behind 序时 and what the remaining
months must bring each (at most the office's 清单列示条数 of them, the rest counted); the 点评 material lists every
unit behind with its line (N on the page and in Word, all in the Excel). The first paragraph is untouched, an
issued bulletin keeps what it was issued with, and a neighbouring county never appears."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from tests.bulletins.test_gongwen import OFFICE
from tests.factories import make_project, make_unit
from zhaoshang.bulletins import meetings, services
from zhaoshang.bulletins.document import body_blocks
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.core.periods import today
from zhaoshang.progress import services as progress_services

pytestmark = pytest.mark.django_db
Y = today().year - 1
APRIL = date(Y, 4, 1)

# 新镇k signed k projects by April against a target of 10: completion k/10 against 序时 4/12 = 33.3%.
# 新镇0: 10 still in 8 months → 1.25 → 2 a month; 双过半 5 in 2 months → 2.5 → 3 a month.
TOWN0 = (
    "新镇0要实现全年目标，剩余8个月需签约内资项目10个（月均2个）；"
    "要实现“双过半”，到6月底剩余2个月需签约内资项目5个（月均3个）。"
)


@pytest.fixture
def towns(county):
    """Six towns with 0..5 of 10 signed by April (0% … 50% against 序时 33.3%) and 甲镇 with 2 of 3 (66.7%).
    Behind: 新镇0, 新镇1, 新镇2, 新镇3 (30% < 33.3%)."""
    group = county.town.group
    cells = {(county.town, "domestic_signed_count"): Decimal(3)}
    made = []
    for k in range(6):
        town = make_unit(f"新镇{k}", "乡镇", county.root, group)
        for n in range(k):
            make_project(county.bureau, town, signed_on=date(Y, 1 + n % 4, 3), contract_amount=Decimal(100))
        cells[(town, "domestic_signed_count")] = Decimal(10)
        made.append(town)
    make_project(county.bureau, county.town, signed_on=date(Y, 2, 3), contract_amount=Decimal(100))
    make_project(county.bureau, county.town, signed_on=date(Y, 3, 3), contract_amount=Decimal(100))
    progress_services.targets_save(actor=county.bureau, year=Y, cells=cells)
    return made


def test_the_snapshot_names_the_furthest_behind_first(county, towns):
    snapshot = build_snapshot(county.root, APRIL)
    pace = snapshot["pace"]
    assert [u["name"] for u in pace["units"]] == ["新镇0", "新镇1", "新镇2", "新镇3"]  # furthest behind first
    assert pace["total"] == 4
    assert "新镇0" + pace["units"][0]["sentence"] == TOWN0
    # 新镇3: 3 of 10 → 7 in 8 months → 1 a month; 双过半 2 in 2 months → 1 a month
    assert pace["units"][3]["sentence"] == (
        "要实现全年目标，剩余8个月需签约内资项目7个（月均1个）；要实现“双过半”，到6月底剩余2个月需签约内资项目2个（月均1个）。"
    )
    assert pace["units"][0]["schedule_gap_pp"].startswith("-33.33")


def test_the_requirements_are_bounded_by_the_offices_list_length(county, towns):
    group = county.town.group
    more = {}
    for k in range(3):  # three more towns with nothing signed: 7 behind in all, the office shows 5
        more[(make_unit(f"后进镇{k}", "乡镇", county.root, group), "domestic_signed_count")] = Decimal(20)
    progress_services.targets_save(actor=county.bureau, year=Y, cells=more)
    services.office_save(actor=county.bureau, unit=county.root, values={**OFFICE, "list_limit": 5})
    snapshot = build_snapshot(county.root, APRIL)
    assert len(snapshot["pace"]["units"]) == 5 and snapshot["pace"]["total"] == 7
    lines = [b.text for b in body_blocks(snapshot | {"text": "总体"}, "各单位要加快进度。")]
    start = lines.index("三、工作要求")
    assert lines[start + 1].startswith("对照全年目标任务，以下单位低于序时进度") and "双过半" in lines[start + 1]
    named = lines[start + 2 : start + 7]
    assert [line[:4] for line in named] == ["后进镇0", "后进镇1", "后进镇2", "新镇0要", "新镇1要"]
    assert lines[start + 7] == "另有2个单位低于序时进度，排名情况详见附件。"
    assert lines[start + 8] == "各单位要加快进度。"  # the bureau's own words follow


def test_the_issued_docx_carries_the_pace_and_keeps_the_first_paragraph(county, towns, client_for):
    services.office_save(actor=county.bureau, unit=county.root, values=OFFICE)
    bulletin = services.bulletin_issue(actor=county.bureau, unit=county.root, month=APRIL)
    # the first paragraph (总体情况) is the data's as before: no pace words in it
    assert "要实现全年目标" not in bulletin.text
    response = client_for(county.leader).get(reverse("bulletin_issued", args=[bulletin.pk]), {"format": "docx"})
    lines = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "三、工作要求" in lines  # written by nobody: the pace alone makes the section
    assert TOWN0 in lines
    page = client_for(county.leader).get(reverse("bulletin_issued", args=[bulletin.pk])).content.decode()
    assert TOWN0.replace("“", "&ldquo;") in page or TOWN0 in page


def test_a_bulletin_issued_before_the_pace_keeps_its_requirements(county, towns):
    services.office_save(actor=county.bureau, unit=county.root, values=OFFICE)
    bulletin = services.bulletin_issue(actor=county.bureau, unit=county.root, month=APRIL, requirements="加快进度。")
    old = {k: v for k, v in bulletin.snapshot.items() if k != "pace"}
    lines = [b.text for b in body_blocks(old, bulletin.requirements)]
    assert lines[lines.index("三、工作要求") + 1 :] == ["加快进度。"]


def test_december_names_the_units_that_missed_the_year(county, towns):
    snapshot = build_snapshot(county.root, date(Y, 12, 1))
    # December: 序时 100%; every 新镇 is short of 10 (at most 5 signed), 甲镇 of its 3 (2 signed)
    assert snapshot["pace"]["total"] == 7
    assert snapshot["pace"]["units"][0]["sentence"] == "本年已无剩余月份，全年目标未完成，尚差签约内资项目10个。"
    lines = [b.text for b in body_blocks(snapshot | {"text": "总体"}, "")]
    assert lines[lines.index("三、工作要求") + 1].startswith("对照全年目标任务，以下单位未完成全年目标")


def test_nobody_behind_no_pace_section(county):
    snapshot = build_snapshot(county.root, APRIL)
    assert snapshot["pace"] == {"units": [], "total": 0}
    assert "三、工作要求" not in [b.text for b in body_blocks(snapshot | {"text": "总体"}, "")]


def test_the_review_material_lists_each_unit_behind(county, towns, client_for):
    services.office_save(actor=county.bureau, unit=county.root, values={**OFFICE, "list_limit": 5})
    more = {
        (make_unit(name, "乡镇", county.root, county.town.group), "domestic_signed_count"): Decimal(9)
        for name in ("后进镇0", "后进镇9")
    }
    progress_services.targets_save(actor=county.bureau, year=Y, cells=more)
    material = meetings.review(county.root, APRIL)
    (spec,) = [t for t in material.tables if t.title.startswith("冲刺任务")]
    assert [row.values[0] for row in spec.rows] == ["后进镇0", "后进镇9", "新镇0", "新镇1", "新镇2"]
    assert spec.total == 6 and spec.rest_words == "另有1个单位低于序时进度，详见附表（Excel）"
    assert spec.rows[2].values[2] == TOWN0.removeprefix("新镇0")
    assert any(p.startswith("低于序时进度的单位6个，差距最大的是后进镇0、后进镇9、新镇0") for p in material.paragraphs)
    whole = meetings.review(county.root, APRIL, whole=True)
    (spec,) = [t for t in whole.tables if t.title.startswith("冲刺任务")]
    assert len(spec.rows) == 6 and spec.total is None
    page = client_for(county.leader).get(reverse("meeting_material", args=["review"]), {"month": f"{Y}-04"})
    assert page.status_code == 200 and "冲刺任务" in page.content.decode()


def test_the_review_material_makes_no_query_per_unit_behind(county, towns):
    with CaptureQueriesContext(connection) as few:
        meetings.review(county.root, APRIL)
    cells = {
        (make_unit(f"后进镇{k}", "乡镇", county.root, county.town.group), "domestic_signed_count"): 9 for k in range(8)
    }
    progress_services.targets_save(actor=county.bureau, year=Y, cells={k: Decimal(v) for k, v in cells.items()})
    with CaptureQueriesContext(connection) as many:
        meetings.review(county.root, APRIL)
    assert len(many) == len(few)


def test_a_county_in_a_city_never_names_a_neighbours_units(city, client_for):
    county = city.county
    progress_services.targets_save(
        actor=city.n_bureau, year=Y, cells={(city.n_town, "domestic_signed_count"): Decimal(50)}
    )
    progress_services.targets_save(
        actor=county.bureau, year=Y, cells={(county.town, "domestic_signed_count"): Decimal(50)}
    )
    snapshot = build_snapshot(county.root, APRIL)
    assert [u["name"] for u in snapshot["pace"]["units"]] == ["甲镇"]
    page = client_for(county.leader).get(reverse("bulletin_draft"), {"month": f"{Y}-04"}).content.decode()
    assert "甲镇要实现全年目标" in page and "邻镇" not in page
    material = meetings.review(county.root, APRIL)
    assert "邻镇" not in str([t.rows for t in material.tables])
