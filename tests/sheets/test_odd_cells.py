"""Cells Excel rarely (or never) writes and amounts at the edge of the columns: each comes back as a cell error
(第N行 列名: 原因) or is stored exactly, never a crash, on SQLite and on PostgreSQL alike."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import make_project
from tests.sheets.files import PLACEHOLDER, replace_in_sheet, run_import, xlsx
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.progress.models import Target
from zhaoshang.projects import figures
from zhaoshang.projects.models import MonthlyFunds, UnitMonthTotal
from zhaoshang.sheets import cells
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.undo import UndoRefused, import_undo

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)


def errors_of(kind, path, *args) -> str:
    """The errors the command prints for a refused file."""
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_xlsx", kind, str(path), *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.mark.parametrize("parse", [cells.amount, cells.figure, cells.signed, cells.whole])
@pytest.mark.parametrize("value", [1e30, -1e30, float("nan"), float("inf"), "1e40", "NaN", "-Infinity"])
def test_every_number_parser_answers_a_value_error_for_numbers_no_column_holds(parse, value):
    with pytest.raises(ValueError):
        parse(value)


@pytest.mark.parametrize("value", [1e30, "1e30", "100000000000000000000000000000", 10**20])
def test_a_huge_amount_is_refused_with_the_limit(county, tmp_path, value):
    path = xlsx(tmp_path, [(county.project.code, format_month(LAST), value)])
    assert "第2行 到位资金: 数值过大，最大为 99,999,999,999,999.99" in errors_of("funds", path)
    assert not MonthlyFunds.objects.exists()


@pytest.mark.parametrize("raw", ["<v>NaN</v>", "<v>inf</v>", "<v>1e400</v>"])
def test_a_nan_or_infinite_number_cell_is_a_cell_error(county, tmp_path, raw):
    path = xlsx(tmp_path, [(county.project.code, format_month(LAST), PLACEHOLDER)], raw=raw)
    assert "第2行 到位资金" in errors_of("funds", path)
    assert not MonthlyFunds.objects.exists()


def test_a_formula_error_cell_reads_as_blank_and_is_counted_not_written(county, tmp_path):
    """python-calamine hands an error value (#DIV/0!) over as an empty cell: the row is one of the blank ones the
    summary counts, and nothing is written for it."""
    path = xlsx(tmp_path, [(county.project.code, format_month(LAST), PLACEHOLDER)], raw="<v>#DIV/0!</v>")
    path.write_bytes(replace_in_sheet(path.read_bytes(), b'<c r="C2">', b'<c r="C2" t="e">'))
    out, _ = run_import("funds", path, "--user", "reporter")
    assert "空白未填 1" in out
    assert not MonthlyFunds.objects.exists()


def test_a_huge_target_is_a_cell_error(county, tmp_path):
    path = xlsx(tmp_path, [("甲镇", 2025, "签约内资项目", "1e30")], headers=("单位", "年度", "指标", "目标值"))
    assert "第2行 目标值: 数值过大" in errors_of("targets", path, "--user", "bureau")
    assert not Target.objects.exists()


@pytest.mark.parametrize("value", ["1000000000000", "99999999999999.99", 99999999999999])
def test_the_largest_amounts_the_column_holds_are_imported_and_audited(county, tmp_path, value):
    """The set-based write computes amounts from whole cents: the largest amount's cents have 16 integer digits,
    more than numeric(16, 2) holds on PostgreSQL."""
    run_import("funds", xlsx(tmp_path, [(county.project.code, format_month(LAST), value)]), "--user", "reporter")
    expected = Decimal(str(value))
    if connection.vendor == "sqlite" and len(expected.as_tuple().digits) > 15:
        pytest.skip("SQLite keeps a decimal column as a double: 16 significant digits do not survive (README)")
    assert MonthlyFunds.objects.get(project=county.project).amount == expected
    entry = AuditEntry.objects.get(action="funds.set", source="import")
    assert entry.data["amount"] == [None, f"{expected:.2f}"]


def test_negative_zero_is_stored_and_audited_as_zero(county, tmp_path):
    second = make_project(county.bureau, county.town)
    rows = [(county.project.code, format_month(LAST), -0.0), (second.code, format_month(LAST), "-0")]
    run_import("funds", xlsx(tmp_path, rows))
    assert {m.amount for m in MonthlyFunds.objects.all()} == {Decimal("0.00")}
    assert [e.data["amount"][1] for e in AuditEntry.objects.filter(action="funds.set")] == ["0.00", "0.00"]


def test_an_imported_entry_reads_like_the_one_a_page_writes(county, tmp_path):
    """Quotes, backslashes, LIKE wildcards and a 200-character name, imported by a command without --user."""
    name = ("'\"\\%_" + "项" * 300)[:200]
    odd = make_project(county.bureau, county.town, name=name)
    figures.monthly_funds_set(actor=None, project=odd, month=LAST, amount=Decimal("5"), source="command")
    page = AuditEntry.objects.get(action="funds.set", target_id=str(odd.pk))
    run_import("funds", xlsx(tmp_path, [(odd.code, format_month(LAST), 6.5)]))
    imported = AuditEntry.objects.get(action="funds.set", source="import")
    fields = ["actor_id", "actor_name", "unit_id", "target_type", "target_id", "target_repr", "ip"]
    assert [getattr(imported, f) for f in fields] == [getattr(page, f) for f in fields]
    import_id = ImportLog.objects.get().pk
    assert imported.data == {"month": format_month(LAST), "amount": ["5.00", "6.50"], "import": import_id}


def test_undo_restores_the_amounts_and_the_totals_and_audits_each_row(county, tmp_path):
    figures.monthly_funds_set(
        actor=county.reporter, project=county.project, month=LAST, amount=Decimal("0.1"), source="command"
    )
    second = make_project(county.bureau, county.town)
    rows = [(county.project.code, format_month(LAST), 0.3), (second.code, format_month(LAST), 0)]
    run_import("funds", xlsx(tmp_path, rows), "--user", "reporter")
    assert import_undo(actor=county.reporter, log=ImportLog.objects.get()) == 2
    assert MonthlyFunds.objects.get(project=county.project).amount == Decimal("0.10")
    assert not MonthlyFunds.objects.filter(project=second).exists()
    assert UnitMonthTotal.objects.get(unit=county.town, month=LAST).domestic_arrived_wan == Decimal("0.10")
    undone = {e.target_id: e.data for e in AuditEntry.objects.filter(action="funds.set", source="page")}
    assert undone[str(second.pk)] == {"month": format_month(LAST), "amount": ["0.00", None]}
    assert undone[str(county.project.pk)] == {"month": format_month(LAST), "amount": ["0.30", "0.10"]}


def test_a_sheet_of_headers_only_imports_nothing_and_undoes_nothing(county, tmp_path):
    run_import("funds", xlsx(tmp_path, []), "--user", "reporter")
    assert import_undo(actor=county.reporter, log=ImportLog.objects.get()) == 0


def test_an_outsider_can_neither_write_nor_undo_another_units_rows(county, tmp_path):
    rows = [(county.project.code, format_month(LAST), 5)]
    assert "不在您的填报范围内" in errors_of("funds", xlsx(tmp_path, rows), "--user", "outsider")
    run_import("funds", xlsx(tmp_path, rows, name="r.xlsx"), "--user", "reporter")
    with pytest.raises(UndoRefused, match="不在您的填报范围内"):
        import_undo(actor=county.outsider, log=ImportLog.objects.get())


@pytest.mark.parametrize("tail", [0.3 - 0.1 - 0.2, -1.4210854715202004e-14])
def test_a_formulas_zero_with_a_negative_float_tail_is_imported_as_zero(county, tmp_path, tail):
    """=0.3-0.1-0.2 or =累计-上月累计 give -2.8e-17 or -1.4e-14: zero, not a negative amount."""
    assert cells.amount(tail) == Decimal("0.00")
    run_import("funds", xlsx(tmp_path, [(county.project.code, format_month(LAST), tail)]))
    assert MonthlyFunds.objects.get(project=county.project, month=LAST).amount == Decimal("0.00")
