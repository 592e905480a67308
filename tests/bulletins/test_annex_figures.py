"""The per-unit table of the bulletin (its JSON and its annex): every indicator in every unit's `figures`, the
亿元以上 start rate and the 5亿元 / 10亿元 bands; the columns chosen from one registry; the Excel annex holding
numbers as numbers, rounded as shown, in the matching number format. The period is June of last year."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_project
from tests.xlsx_cells import read_cells, rows
from zhaoshang.bulletins.columns import COLUMNS, DEFAULT_COLUMNS, chosen
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.bulletins.tables import ranking_tables
from zhaoshang.bulletins.xlsx_render import render_xlsx
from zhaoshang.core.periods import today
from zhaoshang.progress import services as progress_services
from zhaoshang.projects import figures
from zhaoshang.projects.indicators import UNIT_FIGURES

pytestmark = pytest.mark.django_db
Y = today().year - 1
JUNE = date(Y, 6, 1)


@pytest.fixture
def majors(county):
    """甲镇: three 亿元以上 signings this year (two started), of which one exactly 5亿元 and one foreign just past
    10亿元 at 7.10; 乙镇: a foreign signing just short of 5亿元 after conversion."""
    b = county.bureau
    make_project(b, county.town, signed_on=date(Y, 1, 10), contract_amount=Decimal("50000"))
    make_project(
        b,
        county.town,
        signed_on=date(Y, 2, 1),
        contract_amount=Decimal("12000"),
        stage="开工",
        started_on=date(Y, 3, 1),
    )
    make_project(
        b,
        county.town,
        signed_on=date(Y, 3, 1),
        funding_type="外资",
        contract_amount=Decimal("14084.51"),  # × 7.10 = 100,000.02 万元
        stage="开工",
        started_on=date(Y, 4, 1),
    )
    make_project(b, county.other_town, signed_on=date(Y, 4, 1), funding_type="外资", contract_amount=Decimal("7042.25"))
    return county


def _unit(snapshot, name):
    (unit,) = [u for u in snapshot["units"] if u["name"] == name]
    return unit


def test_every_unit_has_every_indicator_in_its_figures(majors):
    snapshot = build_snapshot(majors.root, JUNE)
    codes = [i.code for i in UNIT_FIGURES]
    assert "major_started_count" in codes and "teams_without_progress" in codes
    for unit in snapshot["units"]:
        assert list(unit["figures"]) == codes, unit["name"]


def test_the_major_start_rate_and_the_size_bands(majors):
    snapshot = build_snapshot(majors.root, JUNE)
    town = _unit(snapshot, "甲镇")["figures"]
    assert (town["major_signed_count"], town["major_started_count"]) == (3, 2)
    assert town["major_start_rate"] == "66.7"  # 2 ÷ 3 × 100, one decimal, half-up
    assert (town["major5_signed_count"], town["major10_signed_count"]) == (2, 1)  # 5亿 exactly; 10.0000002亿
    other = _unit(snapshot, "乙镇")["figures"]
    assert other["major_signed_count"] == 1 and other["major5_signed_count"] == 0  # 49,999.975 万元: not 5亿元
    park = _unit(snapshot, "甲镇工业园")["figures"]
    assert park["major_signed_count"] == 0 and park["major_start_rate"] is None  # no 亿元以上 signing: no rate


def test_a_county_adds_up_its_units_bands_and_teams(majors):
    snapshot = build_snapshot(majors.root, JUNE)
    town = _unit(snapshot, "甲镇")["figures"]
    # the county's own figures are the indicators'; its units' bands add up below it
    assert snapshot["indicators"]["major_signed_count"]["ytd"] == 4
    assert town["teams_total"] == 0  # the team sits under the county, not under 甲镇


def test_the_annex_shows_the_columns_chosen(majors):
    snapshot = build_snapshot(majors.root, JUNE)
    columns = ["major_signed_count", "major_started_count", "major_start_rate", "major5_signed_count"]
    (towns,) = [t for t in ranking_tables(snapshot, columns) if t.title.startswith("乡镇组")]
    assert towns.headers == [
        "位次",
        "单位",
        "亿元以上项目(个)",
        "亿元以上签约项目中已开工(个)",
        "亿元以上项目开工率(%)",
        "5亿元以上签约项目(个)",
    ]
    (row,) = [r for r in towns.rows if r.raw[1] == "甲镇"]
    assert row.values[2:] == ["3", "2", "66.7", "2"]
    sheet = rows(read_cells(render_xlsx(title="通报", snapshot=snapshot, columns=columns))["乡镇组排名"])
    assert [c.value for c in sheet[1]] == towns.headers
    (cells,) = [r for r in sheet[2:] if r[1].value == "甲镇"]
    assert [c.value for c in cells[2:]] == [3, 2, 66.7, 2]
    assert [c.number_format for c in cells[2:]] == ["0", "0", "#,##0.0", "0"]


def test_the_registry_lists_every_figure_and_refuses_an_unknown_column():
    codes = [c.code for c in COLUMNS]
    assert set(i.code for i in UNIT_FIGURES) <= set(codes)
    assert [c.code for c in chosen(None)] == DEFAULT_COLUMNS
    with pytest.raises(ValueError, match="附件表格没有这些列：nonsense"):
        chosen(["nonsense"])


@pytest.fixture
def behind(county):
    """A key project 91.7 points behind its plan's 序时 (June: 50%), and 甲镇 with 4.0795 亿元 arrived of a
    target of 10 亿元 (40.795%: shown 40.8%)."""
    b = county.bureau
    key = make_project(
        b, county.town, signed_on=date(Y, 1, 5), stage="开工", started_on=date(Y, 1, 20), key_level="县重点"
    )
    figures.annual_plan_set(actor=b, project=key, year=Y, amount=Decimal("1200"))
    figures.monthly_investment_set(actor=b, project=key, month=date(Y, 2, 1), amount=Decimal("1"))
    arrived = make_project(b, county.town, signed_on=date(Y, 1, 10))
    figures.monthly_funds_set(actor=b, project=arrived, month=date(Y, 3, 1), amount=Decimal("40795"))
    progress_services.targets_save(
        actor=b,
        year=Y,
        cells={
            (county.town, "domestic_arrived_wan"): Decimal(100000),
            (county.other_town, "domestic_arrived_wan"): Decimal(1),
        },
    )
    return county


def test_the_excel_annex_keeps_numbers_numbers_rounded_as_shown(behind):
    snapshot = build_snapshot(behind.root, JUNE)
    book = read_cells(render_xlsx(title="通报", snapshot=snapshot))
    late = book["进度滞后的重点项目"]
    gap = late[(3, 9)]
    # 1 of 1,200 万元 against 50%: 0.083% done, 49.9 points behind (negative: it was stored as the text '-49.9)
    assert gap.is_number and gap.value == -49.9 and gap.number_format == "#,##0.0"
    assert late[(3, 6)].value == 1200 and late[(3, 6)].number_format == "#,##0.00"
    assert late[(3, 8)].value == 0.1 and late[(3, 8)].number_format == "#,##0.0"
    towns = rows(book["乡镇组排名"])
    (town,) = [r for r in towns[2:] if r[1].value == "甲镇"]
    cell = dict(zip([c.value for c in towns[1]], town, strict=True))
    assert cell["位次"].value == 1 and cell["位次"].number_format == "0"  # not 1.00
    assert cell["签约内资项目(个)"].value == 2 and cell["签约内资项目(个)"].number_format == "0"
    arrived = cell["实际到位内资(亿元)"]
    assert arrived.value == 4.08 and arrived.number_format == "#,##0.00"  # 4.0795 rounded half-up as shown
    assert cell["全年目标(亿元)"].value == 10 and cell["全年目标(亿元)"].number_format == "#,##0.00"
    assert cell["完成率(%)"].value == 40.8 and cell["完成率(%)"].number_format == "#,##0.0"
    assert cell["较序时进度(百分点)"].value == -9.2 and cell["较序时进度(百分点)"].is_number
    assert cell["亮灯"].value == "绿灯"
