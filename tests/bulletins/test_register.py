"""The register of a 通报: the area ("全县"), never "我们"; ranks in Chinese numerals (第一); foreign money as
3.54亿美元 or 5437万美元, never 35,437.00万美元; the month's 实际到位 beside its signings; every share says what it
is a share of."""

import pytest

from zhaoshang.bulletins import text
from zhaoshang.core.formats import chinese_number

CODES = [
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


def indicators(**overrides):
    base = {"month": 0, "ytd": 0, "target": None, "completion_rate": None, "schedule_gap_pp": None}
    return {code: {**base, **overrides.get(code, {})} for code in CODES}


def empty_county(period: str) -> dict:
    return {
        "period": period,
        "unit": "示范县",
        "unit_kind": "县区",
        "indicators": indicators(),
        "groups": {"key_project_levels": []},
        "teams": {"total": 0, "with_signing": 0, "without_progress": 0},
        "economy": [],
    }


@pytest.mark.parametrize(
    "amount, words",
    [
        ("35437.00", "3.54亿美元"),
        ("10000", "1.00亿美元"),
        ("9649.00", "9649万美元"),
        ("1975.30", "1975.3万美元"),
        ("0", "0万美元"),
        (None, "0万美元"),
    ],
)
def test_foreign_money_reads_as_a_bulletin_writes_it(amount, words):
    assert text.usd(amount) == words


@pytest.mark.parametrize("n, words", [(1, "一"), (3, "三"), (10, "十"), (12, "十二"), (20, "二十"), (101, "一百零一")])
def test_ranks_are_read_in_chinese_numerals(n, words):
    assert chinese_number(n) == words


def test_the_economy_paragraph_names_the_area_and_ranks_in_chinese():
    snapshot = {
        "unit": "示范县",
        "unit_kind": "县区",
        "economy": [{"code": "fiscal_revenue", "cumulative": "221800", "growth_pct": "7.0", "rank": 1}],
    }
    words = text.economy_paragraph(snapshot, "1-10月")
    assert "我们" not in words
    assert words.startswith("从1-10月主要经济指标来看，全县完成财政收入22.18亿元，增长7.0%，增幅位居全市第一")


def test_the_months_sentence_has_its_arrived_funds_and_every_share_names_its_target():
    snapshot = empty_county("2026-10")
    snapshot["indicators"] = indicators(
        domestic_arrived_wan={"month": "45000", "ytd": "322300", "target": "514000", "completion_rate": "0.627",
                              "schedule_gap_pp": "-20.6"},
        foreign_arrived_usd_wan={"month": "1975.30", "ytd": "16600"},
        foreign_contract_usd_wan={"month": "9649", "ytd": "34000"},
        foreign_signed_count={"month": 4, "ytd": 21},
    )  # fmt: skip
    words = text.bulletin_text(snapshot)
    assert "仅占全年实际到位内资目标任务的62.7%" in words
    assert "外资项目21个，协议资金3.40亿美元，实际到位外资1.66亿美元" in words
    assert "10月份，共签约内资项目0个，协议资金0.00亿元，实际到位内资4.50亿元" in words
    assert "外资项目4个，协议资金9649万美元，实际到位外资1975.3万美元" in words
    assert ",000" not in words and ".00万美元" not in words
