"""The monthly totals moved from progress to projects in Django's state only: a database migrated before the move
keeps its tables and every row, and reads them through projects' models afterwards."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_unit
from zhaoshang.org.models import UnitKind
from zhaoshang.projects.models import TeamMonthTotal, UnitMonthTotal

BEFORE = [("progress", "0002_campaign_owner"), ("projects", "0002_monthly_figures_one_project_index")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_rows_written_before_the_move():
    county = make_unit("示范县", UnitKind.COUNTY)
    unit, team = make_unit("甲镇", UnitKind.TOWN, county), make_unit("招商一分队", UnitKind.TEAM, county)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE)
        assert old.get_model("progress", "UnitMonthTotal")._meta.db_table == UnitMonthTotal._meta.db_table
        old.get_model("progress", "UnitMonthTotal").objects.create(
            unit_id=unit.pk, month=date(2026, 3, 1), domestic_signed_count=2, domestic_arrived_wan="55.25"
        )
        old.get_model("progress", "TeamMonthTotal").objects.create(
            team_id=team.pk, month=date(2026, 3, 1), signed_count=1, advanced_count=3
        )
    finally:
        migrate(leaves)
    row = UnitMonthTotal.objects.get(unit=unit, month=date(2026, 3, 1))
    assert (row.domestic_signed_count, str(row.domestic_arrived_wan)) == (2, "55.25")
    assert TeamMonthTotal.objects.filter(team=team, signed_count=1, advanced_count=3).count() == 1
