"""core.files' writer rules, shared by every export: numbers stay numbers (a negative one too) in the format of
their kind (a rank or count `0`, a Decimal with its own decimal places), and only text is escaped against
formulas."""

from decimal import Decimal

from tests.xlsx_cells import read_cells, rows
from zhaoshang.core.files import number_format, write_book


def test_numbers_stay_numbers_in_the_format_of_their_kind():
    values = [1, Decimal("4.08"), Decimal("45.7"), Decimal("-91.7"), Decimal("140"), Decimal("0.00"), 2026]
    content = write_book([("表", [f"列{i}" for i in range(len(values))], [values])])
    (row,) = rows(read_cells(content)["表"])[1:]
    assert [c.value for c in row] == [1, 4.08, 45.7, -91.7, 140, 0, 2026]
    assert all(c.is_number for c in row)
    assert [c.number_format for c in row] == ["0", "#,##0.00", "#,##0.0", "#,##0.0", "#,##0", "#,##0.00", "0"]


def test_only_text_is_escaped_and_every_formula_start_still_is():
    texts = ["=1+1", "+1", "-91.7", "@SUM(A1)", "\tx", "\rx", "甲镇"]
    content = write_book([("表", ["数", *texts], [[Decimal("-91.7"), *texts]])])
    (row,) = rows(read_cells(content)["表"])[1:]
    assert row[0].is_number and row[0].value == -91.7
    assert [c.value for c in row[1:]] == ["'=1+1", "'+1", "'-91.7", "'@SUM(A1)", "'\tx", "'\rx", "甲镇"]
    assert not any(c.is_number for c in row[1:])


def test_the_number_format_follows_the_value():
    assert number_format(True) is None and number_format("1") is None and number_format(1.5) is None
    assert number_format(3) == "0"
    assert number_format(Decimal("1.2345")) == "#,##0.00"
