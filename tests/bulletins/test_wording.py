"""The bulletin's wording in each case the speech's paragraph can meet."""

import re

import pytest

from zhaoshang.bulletins import text

BEHIND = {"completion_rate": "0.301", "schedule_gap_pp": "-12.34", "ytd": "3010", "target": "10000"}
AHEAD = {"completion_rate": "0.55", "schedule_gap_pp": "5", "ytd": "5500", "target": "10000"}
EVEN = {"completion_rate": "0.5", "schedule_gap_pp": "0.04", "ytd": "5000", "target": "10000"}
NO_TARGET = {"completion_rate": None, "schedule_gap_pp": None, "ytd": "120", "target": None}


@pytest.mark.parametrize(
    "month, words",
    [(1, "1月份"), (3, "一季度"), (5, "1-5月"), (6, "上半年"), (9, "前三季度"), (11, "1-11月"), (12, "全年")],
)
def test_it_names_the_period_by_quarter_where_it_ends_one(month, words):
    assert text.period_words(month) == words


def test_it_words_behind_ahead_and_level_with_the_schedule():
    assert text.share_of_target(BEHIND) == "仅占全年目标任务的30.1%，低于序时进度12.3个百分点"
    assert text.share_of_target(AHEAD) == "占全年目标任务的55.0%，高于序时进度5.0个百分点"
    assert text.share_of_target(EVEN) == "占全年目标任务的50.0%，与序时进度持平"


def test_it_says_when_a_target_is_missing():
    assert text.share_of_target(NO_TARGET) == "全年目标任务尚未下达"


@pytest.mark.parametrize("growth, words", [("8.25", "增长8.3%"), ("-3.15", "下降3.2%"), ("0.04", "与上年同期持平")])
def test_it_words_growth_and_decline(growth, words):
    assert text.growth_words(growth) == words


def economy(**growth):
    codes = [
        "fiscal_revenue",
        "local_fiscal_revenue",
        "fixed_asset_investment",
        "industrial_sales_value",
        "industrial_added_value",
        "industrial_fai",
        "tech_renovation_investment",
    ]
    return [
        {
            "code": c,
            "name": c,
            "cumulative": "221800" if c in growth else None,
            "growth_pct": growth.get(c),
            "rank": 3 if c in growth else None,
            "regions": 6,
        }
        for c in codes
    ]


def test_the_economy_paragraph_ranks_in_the_city_and_names_what_is_missing():
    snapshot = {"unit_kind": "县区", "economy": economy(fiscal_revenue="8.3", industrial_sales_value="-2.0")}
    words = text.economy_paragraph(snapshot, "一季度")
    assert "完成财政收入22.18亿元，增长8.3%，增幅位居全市第三" in words
    assert "规上工业企业实现销售产值22.18亿元，下降2.0%，位列全市第三" in words
    assert "地方财政收入本期尚未报送" in words
    empty = text.economy_paragraph({"unit_kind": "县区", "economy": economy()}, "一季度")
    assert empty == "一季度主要经济指标尚未报送。"
    assert text.economy_paragraph({"unit_kind": "乡镇", "economy": economy()}, "一季度") == ""


@pytest.mark.parametrize(
    "total, signed, idle, words",
    [
        (12, 5, 4, "1-4月，全县12个招商小分队中，仅有5个小分队有新签约项目，4个小分队未有实质性进展。"),
        (8, 8, 0, "1-4月，全县8个招商小分队均有新签约项目，各小分队均有实质性进展。"),
        (6, 0, 6, "1-4月，全县6个招商小分队均无新签约项目，6个小分队未有实质性进展。"),
        (0, 0, 0, ""),
    ],
)
def test_the_teams_sentence(total, signed, idle, words):
    snapshot = {"teams": {"total": total, "with_signing": signed, "without_progress": idle}}
    assert text.teams_paragraph(snapshot, "1-4月", "全县") == words


def indicators(**overrides):
    base = {"month": 0, "ytd": 0, "target": None, "completion_rate": None, "schedule_gap_pp": None}
    codes = [
        "domestic_signed_count",
        "domestic_contract_wan",
        "domestic_arrived_wan",
        "major_signed_count",
        "major_started_count",
        "foreign_signed_count",
        "foreign_contract_usd_wan",
        "foreign_arrived_usd_wan",
        "key_done_wan",
    ]
    return {c: {**base, **overrides.get(c, {})} for c in codes}


def empty_county(period: str) -> dict:
    """A county snapshot with no figures, no targets, no teams and no economic data."""
    return {
        "period": period,
        "unit": "示范县",
        "unit_kind": "县区",
        "indicators": indicators(),
        "groups": {"key_project_levels": []},
        "teams": {"total": 0, "with_signing": 0, "without_progress": 0},
        "economy": economy(),
    }


def test_an_empty_county_reads_without_xx_none_or_division_by_zero():
    snapshot = empty_county("2026-04")
    words = text.bulletin_text(snapshot)
    for bad in ("XX", "None", "nan", "NaN", "Infinity", "inf"):
        assert bad not in words
    assert "全年实际到位内资目标任务尚未下达" in words and "重点项目年度计划投资和完成投资尚未填报" in words
    assert "4月份，共签约内资项目0个" in words


def test_the_month_sentence_is_left_out_in_january():
    snapshot = empty_county("2026-01")
    words = text.bulletin_text(snapshot)
    assert "1月份，全县共签约内资项目0个" in words
    assert not re.search(r"1月份，共签约", words)
