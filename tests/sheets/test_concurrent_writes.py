"""Monthly figures written from two places at once (two imports, an import and a page, two pages): the second
waits for the first, then sees its rows. Without the project locks (projects.locks) the second inserted the same
row again and failed on the unique constraint (a 500), or audited a "before" that was no longer true."""

from decimal import Decimal

import pytest

from tests.concurrency import race
from tests.factories import make_project
from tests.sheets.files import xlsx
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures
from zhaoshang.projects.models import MonthlyFunds
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.service import run_import
from zhaoshang.sheets.undo import import_undo

pytestmark = pytest.mark.django_db(transaction=True)
LAST = add_months(current_month(), -1)


def funds_sheet(tmp_path, projects, amount, name):
    return xlsx(tmp_path, [(p.code, format_month(LAST), amount) for p in projects], name=name).read_bytes()


def importing(county, data):
    def run():
        result = run_import("funds", data, file_name="funds.xlsx", actor=county.reporter, dry_run=False)
        assert result.ok, result.errors
        return result

    return run


def test_two_imports_of_the_same_new_rows(county, tmp_path):
    projects = [county.project, *(make_project(county.bureau, county.town) for _ in range(3))]
    data = funds_sheet(tmp_path, projects, 12.5, "a.xlsx")
    results, errors = race(importing(county, data), importing(county, data))
    assert errors == []
    assert (results["first"].created, results["second"].created, results["second"].unchanged) == (4, 0, 4)
    assert MonthlyFunds.objects.count() == 4
    assert AuditEntry.objects.filter(action="funds.set").count() == 4


def test_an_import_after_a_page_save_audits_the_value_it_replaced(county, tmp_path):
    def page():
        return figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("3"))

    results, errors = race(page, importing(county, funds_sheet(tmp_path, [county.project], 7, "b.xlsx")))
    assert errors == []
    assert results["second"].updated == 1
    entries = AuditEntry.objects.filter(action="funds.set").order_by("pk")
    assert [e.data["amount"] for e in entries] == [[None, "3.00"], ["3.00", "7.00"]]
    assert MonthlyFunds.objects.get().amount == Decimal("7.00")


def test_two_page_saves_of_the_same_empty_cell(county):
    def save(amount):
        return lambda: figures.monthly_funds_set(
            actor=county.reporter, project=county.project, month=LAST, amount=Decimal(amount)
        )

    _, errors = race(save("1"), save("2"))
    assert errors == []
    assert MonthlyFunds.objects.get().amount == Decimal("2.00")
    entries = AuditEntry.objects.filter(action="funds.set").order_by("pk")
    assert [e.data["amount"] for e in entries] == [[None, "1.00"], ["1.00", "2.00"]]


def test_an_undo_racing_a_page_save_of_its_row_is_refused(county, tmp_path):
    run_import(
        "funds",
        funds_sheet(tmp_path, [county.project], 5, "c.xlsx"),
        file_name="c.xlsx",
        actor=county.reporter,
        dry_run=False,
    )
    log = ImportLog.objects.get()

    def page():
        return figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("8"))

    def undo():
        return import_undo(actor=county.reporter, log=log)

    _, errors = race(page, undo)
    assert len(errors) == 1 and "导入后已被修改" in str(errors[0]), errors
    assert MonthlyFunds.objects.get().amount == Decimal("8.00")
