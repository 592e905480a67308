"""Monthly figures written from two places at once (two imports, an import and a page, two pages): the second
waits for the first, then sees its rows. Without the project locks (projects.locks) the second inserted the same
row again and failed on the unique constraint (a 500), or audited a "before" that was no longer true."""

from decimal import Decimal

import pytest

from tests.concurrency import race
from tests.factories import make_project
from tests.sheets.files import xlsx
from tests.sheets.test_import_records import PROJECT_HEADERS, project_row
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment, Project, UnitMonthTotal
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.services import run_import
from zhaoshang.sheets.undo import import_undo

pytestmark = pytest.mark.django_db(transaction=True)
LAST = add_months(current_month(), -1)
INVESTMENT_HEADERS = ["项目编号", "月份", "本月完成投资(万元)"]
PLAN_HEADERS = ["项目编号", "年度", "年度计划投资(万元)"]


def funds_sheet(tmp_path, projects, amount, name):
    return xlsx(tmp_path, [(p.code, format_month(LAST), amount) for p in projects], name=name).read_bytes()


def importing(county, data, actor=None):
    actor = actor or county.reporter

    def run():
        result = run_import("funds", data, file_name="funds.xlsx", actor=actor, dry_run=False)
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


def test_a_funds_import_while_a_project_moves_counts_in_the_unit_it_moved_to(county, tmp_path):
    """The import reads its projects (unit, key level, the importer's scope) once it holds their locks, not
    before: the funds count in the unit the project moved to while the import waited."""

    def move():
        return project_services.project_update(
            actor=county.bureau, project=county.project, values={"responsible_unit": county.other_town}
        )

    data = funds_sheet(tmp_path, [county.project], 4, "d.xlsx")
    results, errors = race(move, importing(county, data, county.bureau))
    assert errors == []
    assert results["second"].created == 1
    totals = dict(UnitMonthTotal.objects.filter(month=LAST).values_list("unit", "domestic_arrived_wan"))
    assert totals == {county.other_town.pk: Decimal("4")}


def test_an_investment_import_while_the_project_stops_being_a_key_project_counts_in_no_key_figure(county, tmp_path):
    """The import reads the key level under the lock: the row is written (完成投资 is a fact of any signed project)
    and, once the project is no longer a key project, no key-project figure counts it."""
    project = make_project(county.bureau, county.town, key_level="县重点")

    def demote():
        return project_services.project_update(actor=county.bureau, project=project, values={"key_level": ""})

    data = xlsx(tmp_path, [(project.code, format_month(LAST), 9)], headers=INVESTMENT_HEADERS, name="e.xlsx")

    def investment():
        return run_import("investment", data.read_bytes(), file_name="e.xlsx", actor=county.bureau, dry_run=False)

    results, errors = race(demote, investment)
    assert errors == []
    assert results["second"].errors == []
    assert MonthlyInvestment.objects.get(project=project).amount == Decimal("9")
    total = UnitMonthTotal.objects.filter(unit=county.town, month=LAST).first()
    assert total is None or total.key_done_wan == 0


def test_two_imports_of_the_same_plan_count_it_created_once(county, tmp_path):
    """The plan import counts a row created, updated or unchanged from what it reads under the project's lock:
    the second of two identical imports finds the first's row and counts it unchanged (it counted it created)."""
    project = make_project(county.bureau, county.town, key_level="县重点")
    data = xlsx(tmp_path, [(project.code, LAST.year, 120)], headers=PLAN_HEADERS, name="f.xlsx").read_bytes()

    def plans():
        result = run_import("plans", data, file_name="f.xlsx", actor=county.bureau, dry_run=False)
        assert result.ok, result.errors
        return result

    results, errors = race(plans, plans)
    assert errors == []
    first, second = results["first"], results["second"]
    assert (first.created, second.created, second.updated, second.unchanged) == (1, 0, 0, 1)
    assert ImportLog.objects.order_by("pk").last().created == 0
    assert AuditEntry.objects.filter(action="plan.set").count() == 1


def test_two_ledger_imports_moving_a_project_one_stage_count_it_once(county, tmp_path):
    """The ledger import reads each project under its lock: the second of two identical imports finds the stage
    the first reached and counts the row unchanged (it read the stage before the wait and was refused)."""
    path = xlsx(tmp_path, [project_row("XM-101", 项目阶段="注册")], PROJECT_HEADERS, name="g.xlsx")
    make_project(county.bureau, county.town, code="XM-101", name="XM-101 新材料项目")

    def ledger():
        result = run_import("projects", path.read_bytes(), file_name="g.xlsx", actor=county.bureau, dry_run=False)
        assert result.ok, result.errors
        return result

    results, errors = race(ledger, ledger)
    assert errors == []
    assert (results["first"].updated, results["second"].updated, results["second"].unchanged) == (1, 0, 1)
    assert Project.objects.get(code="XM-101").stage_changes.filter(to_stage="注册").count() == 1
