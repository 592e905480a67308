"""Each scoring rule on hand-computed cases: the unrounded score and the formula the published tables print."""

from decimal import Decimal as D

from zhaoshang.assessment import rules


def test_ratio_as_the_published_tables_write_it():
    scored = rules.ratio(D("0.5"), D("96"), D("100"))
    assert scored.score == D("0.48")
    assert scored.detail == "96%×0.5=0.48"
    assert scored.flags == ()


def test_ratio_cap_default_one_and_a_higher_cap():
    assert rules.ratio(10, 130, 100).score == D(10)
    assert rules.ratio(10, 130, 100).detail == "130%（上限100%）×10=10.00"
    capped = rules.ratio(10, 130, 100, cap=D("1.2"))
    assert capped.score == D(12)
    assert capped.detail == "130%（上限120%）×10=12.00"
    assert rules.ratio(10, 115, 100, cap=D("1.2")).score == D("11.5")


def test_ratio_keeps_the_rate_unrounded_and_shows_two_decimals():
    scored = rules.ratio(10, 1, 3)
    assert scored.score == D(10) * (D(1) / D(3))
    assert scored.detail == "33.33%×10=3.33"


def test_missing_and_zero_target_score_zero_and_are_flagged():
    missing = rules.ratio(10, 50, None)
    assert (missing.score, missing.flags, missing.detail) == (D(0), ("目标缺失",), "目标缺失，计0.00")
    zero = rules.ratio(10, 50, 0)
    assert (zero.score, zero.flags) == (D(0), ("目标为0",))


def test_missing_actual_counts_as_zero_flagged():
    scored = rules.ratio(10, None, 100)
    assert scored.score == 0 and scored.flags == ("数据缺失",)


def test_ratio_mix_each_part_capped():
    # (8÷10)×50% + min(13÷10, 1.2)×50% = 0.4 + 0.6 = 1.0, × 10 points
    scored = rules.ratio_mix(10, [(8, 10, D("0.5"), 1), (13, 10, D("0.5"), D("1.2"))])
    assert scored.score == D(10)
    assert scored.detail == "(80%×50%+130%（上限120%）×50%)×10=10.00"


def test_ratio_mix_a_part_without_target_adds_nothing():
    scored = rules.ratio_mix(10, [(8, 10, D("0.5"), 1), (13, None, D("0.5"), 1)])
    assert scored.score == D(4)
    assert scored.flags == ("目标缺失",)
    assert scored.detail == "(80%×50%+0（目标缺失）×50%)×10=4.00"


def test_count_points_max_defaults_to_points():
    assert rules.count_points(5, [(3, 1), (1, D("0.5"))]).score == D("3.5")
    assert rules.count_points(5, [(3, 1), (1, D("0.5"))]).detail == "1×3+0.5×1=3.50"
    capped = rules.count_points(5, [(4, 2)])
    assert capped.score == D(5)
    assert capped.detail == "2×4=8，超过上限5，计5.00"
    assert rules.count_points(5, [(4, 2)], max=10).score == D(8)


def test_deduct_base_defaults_to_points_floor_to_zero():
    scored = rules.deduct(2, [(3, D("0.1"))])
    assert scored.score == D("1.7")
    assert scored.detail == "2−0.1×3=1.70"
    floored = rules.deduct(2, [(30, D("0.1"))])
    assert floored.score == D(0)
    assert floored.detail == "2−0.1×30=−1，低于下限0，计0.00"
    assert rules.deduct(2, [(30, D("0.1"))], floor=D("0.5")).score == D("0.5")
    assert rules.deduct(2, [(1, 1)], base=3).score == D(2)


def test_quota_missing_below_at_least():
    # at least 3 signed (has 1), at least 2 started (has 2): 2 missing × 0.5
    scored = rules.quota(2, [(1, 3), (2, 2)], D("0.5"))
    assert scored.score == D(1)
    assert scored.detail == "2−0.5×((3−1)+0)=1.00"
    assert rules.quota(2, [(0, 10)], D("0.5")).score == D(0)
    assert rules.quota(2, [(5, 3)], D("0.5")).detail == "2−0.5×0=2.00"


def test_over_target_below_and_above_and_max():
    assert rules.over_target(10, D("0.96"), D("0.1")).score == D("9.6")
    assert rules.over_target(10, D("0.96"), D("0.1")).detail == "10×96%=9.60"
    above = rules.over_target(10, D("1.3"), D("0.1"))
    assert above.score == D(13)
    assert above.detail == "10×100%+0.1×30=13.00"
    capped = rules.over_target(10, D("1.3"), D("0.1"), max=12)
    assert capped.score == D(12)
    assert capped.detail == "10×100%+0.1×30=13，超过上限12，计12.00"
    missing = rules.over_target(10, None, D("0.1"), missing="目标为0")
    assert (missing.score, missing.flags) == (D(0), ("目标为0",))


def test_efficacy_among_units_and_all_equal():
    values = [D(50), D(80), D(100)]
    assert rules.efficacy(10, D(50), values).score == D(6)
    assert rules.efficacy(10, D(100), values).score == D(10)
    mid = rules.efficacy(10, D(80), values)
    assert mid.score == D("8.4")
    assert mid.detail == "10×(0.6+0.4×(80−50)÷(100−50))=8.40"
    equal = rules.efficacy(10, D(7), [D(7), D(7)])
    assert equal.score == D(10)
    assert equal.detail == "各单位均为7，计满分10.00"
    assert rules.efficacy(10, None, values).flags == ("数据缺失",)


def test_tiers_first_reached_wins_else_zero():
    table = [(D(1), D(1)), (D("0.8"), D("0.75")), (D("0.5"), D("0.5"))]
    assert rules.tiers(10, D("1.05"), table).score == D(10)
    reached = rules.tiers(10, D("0.85"), table)
    assert reached.score == D("7.5")
    assert reached.detail == "完成率85%，达80%档：10×0.75=7.50"
    none = rules.tiers(10, D("0.4"), table)
    assert none.score == D(0)
    assert none.detail == "完成率40%，未达任何档次，计0.00"


def test_judges_result_over_full_marks():
    scored = rules.judges(10, D("88.5"), D(100))
    assert scored.score == D("8.85")
    assert scored.detail == "10×88.5÷100=8.85"
    assert rules.judges(10, None, D(100)).flags == ("数据缺失",)
    assert rules.judges(10, D(80), None).score == 0


def test_numbers_and_percentages_as_written():
    assert rules.num(D("10.00")) == "10"
    assert rules.num(D("0.50")) == "0.5"
    assert rules.pct(D("0.955")) == "95.5%"
    assert rules.two(D("2.675")) == "2.68"
    assert rules.two(D("-1")) == "−1.00"
