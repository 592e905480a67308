"""A unit's team figures are those of the teams in its own subtree, on the drill-down of a team indicator as on
its own dashboard (found by the recomputation of tests/figures: every town showed the county's 8 teams)."""

import pytest

from tests.factories import make_project, make_unit
from zhaoshang.core.periods import current_month
from zhaoshang.progress.report import period_report

pytestmark = pytest.mark.django_db


def test_each_unit_counts_only_the_teams_below_it(county):
    town_team = make_unit("甲镇招商小分队", "招商小分队", county.town, county.team.group)
    signed = current_month()
    make_project(county.bureau, county.town, team=town_team, signed_on=signed)
    report = period_report(county.root, signed)

    def figures(unit):
        return {
            code: report.progress(unit, code).ytd
            for code in ("teams_total", "teams_with_signing", "teams_without_progress")
        }

    assert figures(county.root)["teams_total"] == 2
    assert figures(county.town) == {"teams_total": 1, "teams_with_signing": 1, "teams_without_progress": 0}
    assert figures(county.other_town) == {"teams_total": 0, "teams_with_signing": 0, "teams_without_progress": 0}
    assert figures(town_team) == {"teams_total": 1, "teams_with_signing": 1, "teams_without_progress": 0}
    # the town's own dashboard says the same as its row in the county's drill-down
    own = period_report(county.town, signed)
    assert own.progress(county.town, "teams_total").ytd == 1
