from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.core.formats import format_percent
from zhaoshang.core.money import (
    MAX_FIGURE,
    format_amount,
    parse_amount,
    round_half_up,
    to_decimal,
)
from zhaoshang.core.periods import add_months, months_between, parse_month


def test_it_adds_months_across_years():
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


@pytest.mark.parametrize("text", ["2026-05", "2026/5", "2026年5月", " 2026-05 "])
def test_it_parses_months(text):
    assert parse_month(text) == date(2026, 5, 1)


@pytest.mark.parametrize("text", ["2026-13", "202605", "五月", ""])
def test_it_refuses_bad_months_in_chinese(text):
    with pytest.raises(ValueError, match="月份"):
        parse_month(text)


def test_it_lists_months_inclusive():
    assert months_between(date(2025, 11, 20), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_it_rounds_half_up_once_when_shown():
    assert round_half_up(Decimal("2.345")) == Decimal("2.35")  # banker's rounding would give 2.34
    assert format_amount(Decimal("12345.675")) == "12,345.68"
    assert format_percent(Decimal("0.12345")) == "12.3%"
    assert format_percent(Decimal("0.00045")) == "0.0%"
    assert format_percent(Decimal("0.1235")) == "12.4%"


def test_it_parses_numeric_text():
    assert to_decimal("1,234.50") == Decimal("1234.50")
    with pytest.raises(ValueError):
        to_decimal("abc")
    with pytest.raises(ValueError):
        to_decimal("NaN")


def test_one_amount_parser_with_its_limits():
    assert parse_amount("1,000.25") == Decimal("1000.25")
    assert parse_amount(0.1 + 0.2) == Decimal("0.30")  # a float cell's binary tail is not a third decimal
    assert parse_amount(7) == Decimal("7.00")
    for value, reason in (
        ("-1", "金额不能为负数"),
        ("1.234", "金额最多保留两位小数"),
        ("1e30", "金额数值过大，最大为 99,999,999,999,999.99"),
        ("abc", "“abc”不是数字"),
        (True, "应为数字"),
    ):
        with pytest.raises(ValueError, match=reason):
            parse_amount(value, noun="金额")
    with pytest.raises(ValueError, match="^数值过大"):
        parse_amount("100000000000000000", limit=MAX_FIGURE)
