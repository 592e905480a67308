from decimal import Decimal

import pytest

from zhaoshang.core.periods import schedule_rate
from zhaoshang.progress import rules
from zhaoshang.progress.templatetags.progress_tags import gap_words, growth_words


def test_schedule_is_linear_unless_split():
    assert schedule_rate(3) == Decimal(3) / 12
    split = ["0.05", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.95", "1"]
    assert schedule_rate(3, split) == Decimal("0.2")


@pytest.mark.parametrize(
    "gap, light",
    [
        (Decimal("5"), "green"),
        (Decimal("0"), "green"),
        (Decimal("-9.99"), "green"),
        (Decimal("-10"), "yellow"),
        (Decimal("-30"), "yellow"),
        (Decimal("-30.01"), "red"),
        (None, None),
    ],
)
def test_lights_follow_the_gap_to_schedule(gap, light):
    assert rules.light(gap) == light


def test_start_lights():
    assert [rules.start_light(m) for m in (0, 1, 2, 3, 5)] == ["green", "yellow", "yellow", "red", "red"]


def test_competition_ranking_shares_ranks():
    ranks = rules.competition_ranks(
        {"a": Decimal("0.9"), "b": Decimal("0.8"), "c": Decimal("0.8"), "d": Decimal("0.5"), "e": None}
    )
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_double_half_only_in_june():
    assert rules.double_half(Decimal("0.5"), 6) is True
    assert rules.double_half(Decimal("0.4999"), 6) is False
    assert rules.double_half(Decimal("0.9"), 5) is None


def test_completion_without_a_target_is_none():
    assert rules.completion_rate(5, None) is None and rules.completion_rate(5, 0) is None
    assert rules.gap_pp(None, Decimal("0.5")) is None


def test_gap_and_growth_in_words_round_half_up_once():
    assert gap_words(Decimal("-12.45")) == "低于序时进度12.5个百分点"
    assert gap_words(Decimal("3.04")) == "高于序时进度3.0个百分点"
    assert gap_words(Decimal("0.04")) == "与序时进度持平"
    assert gap_words(None) == "无目标"
    assert growth_words(Decimal("-3.15")) == "下降3.2%"
    assert growth_words(Decimal("8")) == "增长8.0%"
