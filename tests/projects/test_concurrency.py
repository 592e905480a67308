"""Writers of the ledger's figures at the same moment as another writer, on PostgreSQL (tests/concurrency.py).

A figure written while its project is being edited waits for the edit (projects.locks), and then counts where the
project is now: in the unit it moved to, and in the key-project figures only while it is a key project. Before,
the writer used the unit and key level of the project object it was handed, read before the wait.

Two writers of one unit's (or one team's) month refresh the same total: the second waits for the first and then
counts both. Before, both deleted and re-inserted the total's row and the second failed on
unit_month_total_unique (a 500)."""

from decimal import Decimal

import pytest

from tests.concurrency import race
from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, today
from zhaoshang.projects import figures, services
from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment, Project, Stage, TeamMonthTotal, UnitMonthTotal

pytestmark = pytest.mark.django_db(transaction=True)
LAST = add_months(current_month(), -1)


def as_read_before(project):
    """The project as a page read it before the other writer's edit."""
    return Project.objects.select_related("responsible_unit").get(pk=project.pk)


def arrived(unit):
    row = UnitMonthTotal.objects.filter(unit=unit, month=LAST).first()
    return row.domestic_arrived_wan if row else Decimal(0)


def moving(county, unit):
    return lambda: services.project_update(
        actor=county.bureau, project=county.project, values={"responsible_unit": unit}
    )


def test_funds_saved_while_the_project_moves_count_in_the_unit_it_moved_to(county):
    read = as_read_before(county.project)

    def save():
        return figures.monthly_funds_set(actor=county.bureau, project=read, month=LAST, amount=Decimal("4"))

    _, errors = race(moving(county, county.other_town), save)
    assert errors == []
    assert (arrived(county.town), arrived(county.other_town)) == (0, Decimal("4"))
    assert AuditEntry.objects.get(action="funds.set").unit_id == county.other_town.pk


def test_a_grid_saved_while_a_project_moves_counts_in_the_unit_it_moved_to(county):
    entry = figures.GridEntry(as_read_before(county.project), {"funds": figures.GridCell(None, Decimal("6"))})

    def save():
        return figures.monthly_grid_save(actor=county.bureau, month=LAST, entries=[entry])

    _, errors = race(moving(county, county.other_town), save)
    assert errors == []
    assert (arrived(county.town), arrived(county.other_town)) == (0, Decimal("6"))


def test_investment_saved_while_the_project_stops_being_a_key_project_counts_in_no_key_figure(county):
    """完成投资 is a fact of any signed project: the save is kept whichever writer goes first, and the key-project
    figure of the month counts it only while the project is a key project (here: not, once both are done)."""
    project = make_project(county.bureau, county.town, key_level="县重点")
    read = as_read_before(project)

    def demote():
        return services.project_update(actor=county.bureau, project=project, values={"key_level": ""})

    def save():
        return figures.monthly_investment_set(actor=county.bureau, project=read, month=LAST, amount=Decimal("9"))

    _, errors = race(demote, save)
    assert errors == []
    assert MonthlyInvestment.objects.get(project=project).amount == Decimal("9")
    total = UnitMonthTotal.objects.filter(unit=county.town, month=LAST).first()
    assert total is None or total.key_done_wan == 0


def test_two_projects_of_one_unit_saved_at_once_both_count(county):
    second = make_project(county.bureau, county.town)

    def save(project, amount):
        return lambda: figures.monthly_funds_set(
            actor=county.bureau, project=project, month=LAST, amount=Decimal(amount)
        )

    _, errors = race(save(county.project, "3"), save(second, "4"))
    assert errors == []
    assert MonthlyFunds.objects.count() == 2
    assert arrived(county.town) == Decimal("7")


def test_two_projects_of_one_team_advanced_at_once_both_count(county):
    second = make_project(county.bureau, county.other_town, team=county.team)  # two units: only the team is shared

    def register(project):
        return lambda: services.project_change_stage(
            actor=county.bureau, project=project, to_stage=Stage.REGISTERED, on_date=today()
        )

    _, errors = race(register(county.project), register(second))
    assert errors == []
    assert TeamMonthTotal.objects.get(team=county.team, month=current_month()).advanced_count == 2
