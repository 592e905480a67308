"""Two saves of the monthly grid at the same moment, on PostgreSQL: the second waits for the first's project lock,
then compares what is stored with what its page showed, so it refuses the cell instead of overwriting it."""

from decimal import Decimal

import pytest

from tests.concurrency import race
from zhaoshang.core.periods import add_months, current_month
from zhaoshang.projects import figures
from zhaoshang.projects.models import MonthlyFunds

pytestmark = pytest.mark.django_db(transaction=True)
LAST = add_months(current_month(), -1)


def test_two_grid_saves_of_one_cell_both_loaded_blank(county):
    def save(user, amount):
        cell = figures.GridCell(shown=None, value=Decimal(amount))
        entry = figures.GridEntry(project=county.project, cells={"funds": cell})
        return lambda: figures.monthly_grid_save(actor=user, month=LAST, entries=[entry])

    results, errors = race(save(county.reporter, "1"), save(county.unit_head, "2"))
    assert results == {"first": 1}
    assert len(errors) == 1 and isinstance(errors[0], figures.GridConflicts), errors
    assert f"已被 {county.reporter.display_name} 于" in errors[0].messages[0]
    assert MonthlyFunds.objects.get().amount == Decimal("1.00")
