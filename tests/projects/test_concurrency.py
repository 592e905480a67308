"""Writers of the ledger's figures at the same moment as another writer, on PostgreSQL (tests/concurrency.py).

Two writers of one unit's (or one team's) month refresh the same total: the second waits for the first and then
counts both. Before, both deleted and re-inserted the total's row and the second failed on
unit_month_total_unique (a 500)."""

from decimal import Decimal

import pytest

from tests.concurrency import race
from tests.factories import make_project
from zhaoshang.core.periods import add_months, current_month, today
from zhaoshang.progress.models import TeamMonthTotal, UnitMonthTotal
from zhaoshang.projects import figures, services
from zhaoshang.projects.models import MonthlyFunds, Stage

pytestmark = pytest.mark.django_db(transaction=True)
LAST = add_months(current_month(), -1)


def arrived(unit):
    row = UnitMonthTotal.objects.filter(unit=unit, month=LAST).first()
    return row.domestic_arrived_wan if row else Decimal(0)


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
