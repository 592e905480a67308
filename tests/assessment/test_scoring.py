"""A whole scheme scored from ledger rows, targets and entered inputs, hand-checked item by item."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment.helpers import PERIOD, YEAR, make_scheme, published_form
from tests.factories import make_project, make_unit
from zhaoshang.assessment.models import InputValue
from zhaoshang.assessment.scoring import SchemeError, score
from zhaoshang.org.models import AssessmentGroup


def _by_unit(result):
    return {u["unit"]: u for u in result["units"]}


def test_scheme_of_published_form_hand_checked(county):
    scheme, _bing, _ding = published_form(county)
    result = score(scheme).as_json()
    assert result["scheme"] == "招商引资考核" and result["year"] == YEAR
    units = _by_unit(result)
    # 甲镇: 2 signed (its park's included) of 2, 10000 of 10000 → 20; 5−0.5×2 = 4; 960÷1000×10 = 9.6
    jia = units["甲镇"]
    assert [i["score"] for i in jia["items"]] == ["20.00", "4.00", "9.60"]
    assert jia["items"][0]["detail"] == "(100%×50%+100%×50%)×20=20.00"
    assert jia["items"][1]["detail"] == "5−0.5×2=4.00"
    assert jia["items"][2]["detail"] == "96%×10=9.60"
    assert jia["total"] == "33.60"
    # 乙镇: 1 of 2, 5000 of 5000 → (0.25+0.5)×20 = 15; 5−0.5×10 → floor 0; 0 → 0
    yi = units["乙镇"]
    assert [i["score"] for i in yi["items"]] == ["15.00", "0.00", "0.00"]
    assert yi["items"][1]["detail"] == "5−0.5×10=0.00"
    assert yi["total"] == "15.00"
    # 丙镇: 2 of 1 (200%, capped 120%), 12000 of 10000 (120%) → 24; 5−6 → floor 0; 150% capped at 100% → 10
    bing = units["丙镇"]
    assert bing["items"][0]["detail"] == "(200%（上限120%）×50%+120%×50%)×20=24.00"
    assert bing["items"][1]["detail"] == "5−0.5×12=−1，低于下限0，计0.00"
    assert bing["total"] == "34.00"
    # 丁镇: no targets → 0 flagged; 5; 10
    ding = units["丁镇"]
    assert ding["items"][0]["score"] == "0.00"
    assert ding["items"][0]["flags"] == ["目标缺失"]
    assert ding["total"] == "15.00"
    # competition ranking with the tie at 15
    assert [(u["unit"], u["rank"]) for u in result["units"]] == [("丙镇", 1), ("甲镇", 2), ("乙镇", 3), ("丁镇", 3)]
    assert {u["group"] for u in result["units"]} == {"乡镇组"}


def test_totals_are_sums_of_unrounded_items(county):
    towns = county.town.group
    scheme = make_scheme(
        county.root,
        group=towns,
        items=[
            ("一", "10", "ratio", {"actual": "input:a", "target": 3}),
            ("二", "10", "ratio", {"actual": "input:a", "target": 3}),
        ],
    )
    InputValue.objects.create(scheme=scheme, unit=county.town, name="a", value=D(1))
    row = _by_unit(score(scheme).as_json())["甲镇"]
    # each 3.333…: shown 3.33, the total 6.666… shown 6.67 (not 3.33 + 3.33)
    assert [i["score"] for i in row["items"]] == ["3.33", "3.33"]
    assert row["total"] == "6.67"
    # 乙镇 has no input: counted 0 and flagged
    assert _by_unit(score(scheme).as_json())["乙镇"]["items"][0]["flags"] == ["数据缺失"]


def test_listed_units_rank_within_their_own_groups(county):
    scheme = make_scheme(
        county.root,
        units=[county.town, county.other_town, county.town_park, county.bureau_unit],
        items=[("签约个数", "10", "count_points", {"counts": [{"of": "indicator:domestic_signed_count", "each": 2}]})],
    )
    result = score(scheme).as_json()
    rows = [(u["unit"], u["group"], u["total"], u["rank"]) for u in result["units"]]
    # 甲镇 2 signed (park included) → 4; 乙镇 1 → 2; the park 1 → 2 (alone in 园区组); 投资促进中心 0 (部门组)
    assert rows == [
        ("甲镇", "乡镇组", "4.00", 1),
        ("乙镇", "乡镇组", "2.00", 2),
        ("甲镇工业园", "园区组", "2.00", 1),
        ("投资促进中心", "部门组", "0.00", 1),
    ]


def test_rate_source_tiers_and_over_target(county):
    scheme, _bing, _ding = published_form(county)
    scheme.items.all().delete()
    tiers = [[1, 1], [0.8, 0.75], [0.5, 0.5]]
    scheme.items.create(
        name="分档", points=D(10), rule="tiers", params={"of": "rate:domestic_signed_count", "tiers": tiers}
    )
    scheme.items.create(
        name="超额",
        points=D(10),
        rule="over_target",
        params={
            "actual": "indicator:domestic_signed_count",
            "target": "target:domestic_signed_count",
            "per_point": 0.05,
        },
    )
    units = _by_unit(score(scheme).as_json())
    assert units["甲镇"]["items"][0]["detail"] == "完成率100%，达100%档：10×1=10.00"
    assert units["乙镇"]["items"][0]["score"] == "5.00"  # 50% reaches the last tier
    assert units["丁镇"]["items"][0]["flags"] == ["目标缺失"]
    # 丙镇: 200% → 10 + 0.05 × 100 points = 15 (no max)
    assert units["丙镇"]["items"][1]["detail"] == "10×100%+0.05×100=15.00"
    assert units["丁镇"]["items"][1]["flags"] == ["目标缺失"]


def test_zero_target_flagged(county):
    from zhaoshang.progress import services as progress_services

    progress_services.targets_save(actor=county.bureau, year=YEAR, cells={(county.town, "domestic_signed_count"): D(0)})
    scheme = make_scheme(
        county.root,
        units=[county.town],
        items=[
            (
                "签约",
                "10",
                "ratio",
                {"actual": "indicator:domestic_signed_count", "target": "target:domestic_signed_count"},
            )
        ],
    )
    item = score(scheme).as_json()["units"][0]["items"][0]
    assert (item["score"], item["flags"], item["detail"]) == ("0.00", ["目标为0"], "目标为0，计0.00")


def test_unknown_code_refused_with_the_list(county):
    scheme = make_scheme(
        county.root, units=[county.town], items=[("x", "10", "ratio", {"actual": "indicator:nope", "target": 1})]
    )
    with pytest.raises(SchemeError) as caught:
        score(scheme)
    assert "指标代码“nope”不存在" in str(caught.value)
    assert "domestic_signed_count" in str(caught.value)


def test_efficacy_among_the_units(county):
    scheme, _bing, _ding = published_form(county)
    scheme.items.all().delete()
    scheme.items.create(name="功效", points=D(10), rule="efficacy", params={"of": "input:省外新增实际投资"})
    units = _by_unit(score(scheme).as_json())
    # values 960, 0, 1500, 1000: min 0, max 1500
    assert units["丙镇"]["items"][0]["score"] == "10.00"
    assert units["乙镇"]["items"][0]["score"] == "6.00"
    assert units["甲镇"]["items"][0]["detail"] == "10×(0.6+0.4×(960−0)÷(1500−0))=8.56"


def _queries(scheme):
    with CaptureQueriesContext(connection) as captured:
        score(scheme).as_json()
    return len(captured)


def test_query_count_fixed_whatever_the_number_of_units(county):
    group = AssessmentGroup.objects.create(name="测试组")
    few = [make_unit(f"少{i}镇", "乡镇", county.root, group) for i in range(2)]
    items = [
        (
            "签约",
            "20",
            "ratio_mix",
            {
                "parts": [
                    {"actual": "indicator:domestic_signed_count", "target": "target:domestic_signed_count", "share": 1}
                ]
            },
        ),
        ("扣分", "5", "deduct", {"counts": [{"of": "input:问题", "each": 1}]}),
        ("完成率", "5", "tiers", {"of": "rate:domestic_contract_wan", "tiers": [[1, 1]]}),
    ]
    small = make_scheme(county.root, name="二", units=few, items=items)
    for unit in few:
        make_project(county.bureau, unit)
    many = [make_unit(f"多{i}镇", "乡镇", county.root, group) for i in range(8)]
    big = make_scheme(county.root, name="八", units=many, items=items)
    for unit in many:
        make_project(county.bureau, unit)
        InputValue.objects.create(scheme=big, unit=unit, name="问题", value=D(1))
    assert _queries(small) == _queries(big)
    assert PERIOD.year == YEAR


def test_quota_over_ledger_and_input_bands(county):
    scheme = make_scheme(
        county.root,
        units=[county.town, county.other_town],
        items=[
            (
                "保底",
                "4",
                "quota",
                {
                    "bands": [
                        {"of": "indicator:domestic_signed_count", "at_least": 3},
                        {"of": "input:重点企业", "at_least": 1},
                    ],
                    "each_missing": "1.5",
                },
            )
        ],
    )
    InputValue.objects.create(scheme=scheme, unit=county.town, name="重点企业", value=D(1))
    units = _by_unit(score(scheme).as_json())
    # 甲镇: 2 signed of at least 3 (1 missing), 1 企业 of 1: 4 − 1.5 × 1 = 2.5
    assert units["甲镇"]["items"][0]["detail"] == "4−1.5×((3−2)+0)=2.50"
    # 乙镇: 1 of 3 (2 missing), no input (counted 0: 1 missing, flagged): 4 − 1.5 × 3 → floor 0
    assert units["乙镇"]["items"][0]["detail"] == "4−1.5×((3−1)+(1−0))=−0.5，低于下限0，计0.00"
    assert units["乙镇"]["items"][0]["flags"] == ["数据缺失"]


def test_a_scheme_written_wrong_is_refused_in_chinese(county):
    scheme = make_scheme(
        county.root,
        units=[county.town],
        items=[("签约", "10", "ratio", {"actual": "indicator:domestic_signed_count", "target": "NaN"})],
    )
    with pytest.raises(SchemeError, match="考核项目“签约”的“target”应为数据来源"):
        score(scheme)
    scheme.items.update(params={"actual": "indicator:domestic_signed_count"})
    with pytest.raises(SchemeError, match="考核项目“签约”缺少“target”"):
        score(scheme)
    scheme.items.update(rule="tiers", params={"of": 0.9, "tiers": [[1]]})
    with pytest.raises(SchemeError, match="档次应写作"):
        score(scheme)
