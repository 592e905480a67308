"""A team's 实质性进展: a signing, a stage move, or a start or production dated in the period. A project entered
directly at 开工 (its only stage row is its creation) counted as 新开工 that month while its team counted as
未有实质性进展."""

from datetime import date

import pytest

from tests.factories import make_project
from zhaoshang.core.periods import today
from zhaoshang.progress.report import period_report
from zhaoshang.projects import services, totals
from zhaoshang.projects.models import TeamMonthTotal

pytestmark = pytest.mark.django_db
Y = today().year - 1
MARCH = date(Y, 3, 1)


def test_a_project_entered_at_its_start_is_progress_in_the_month_it_counts_as_started(county):
    make_project(
        county.bureau,
        county.town,
        signed_on=date(Y, 1, 10),
        stage="开工",
        started_on=date(Y, 3, 5),
        team=county.team,
    )
    report = period_report(county.root, MARCH)
    assert report.progress(county.root, "started_count").month == 1
    assert report.teams_month.total == 1
    assert report.teams_month.without_progress == 0  # it was 1: the start went unseen
    assert period_report(county.root, date(Y, 2, 1)).teams_month.without_progress == 1  # February: nothing


def test_a_recorded_move_to_start_counts_once(county):
    project = make_project(county.bureau, county.town, signed_on=date(Y, 1, 10), team=county.team)
    services.project_change_stage(actor=county.bureau, project=project, to_stage="注册", on_date=date(Y, 2, 1))
    services.project_change_stage(actor=county.bureau, project=project, to_stage="开工", on_date=date(Y, 3, 5))
    row = TeamMonthTotal.objects.get(team=county.team, month=MARCH)
    assert row.advanced_count == 1


def test_the_maintained_team_totals_equal_a_rebuild(county):
    make_project(
        county.bureau,
        county.town,
        signed_on=date(Y, 1, 10),
        stage="投产",
        started_on=date(Y, 2, 5),
        production_on=date(Y, 4, 5),
        team=county.team,
    )
    kept = {(r.team_id, r.month): (r.signed_count, r.advanced_count) for r in TeamMonthTotal.objects.all()}
    assert kept[(county.team.pk, date(Y, 2, 1))] == (0, 1)  # the start, recorded by no move
    assert kept[(county.team.pk, date(Y, 4, 1))] == (0, 1)  # the production
    totals.rebuild_all()
    rebuilt = {(r.team_id, r.month): (r.signed_count, r.advanced_count) for r in TeamMonthTotal.objects.all()}
    assert rebuilt == kept
