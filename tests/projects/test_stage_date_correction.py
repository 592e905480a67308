"""Correcting a 签约 / 开工 / 投产 date corrects the stage history with it, in one transaction, audited as a
correction: the ledger never counts a signing in one month while its history says it was reached in another."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.guard import MonthClosed
from zhaoshang.closing.services import month_close
from zhaoshang.core.periods import today
from zhaoshang.projects import services
from zhaoshang.projects.models import Project, StageChange, TeamMonthTotal, UnitMonthTotal

pytestmark = pytest.mark.django_db
YEAR = today().year - 1  # a whole past year: every date below is in the past and its months may be closed
MARCH, APRIL = date(YEAR, 3, 1), date(YEAR, 4, 1)


def history(project):
    return [(c.from_stage, c.to_stage, c.changed_on) for c in StageChange.objects.filter(project=project)]


def signed_count(unit, month):
    row = UnitMonthTotal.objects.filter(unit=unit, month=month).first()
    return row.domestic_signed_count if row else 0


def correct(county, project, **values):
    return services.project_update(actor=county.bureau, project=project, values=values)


def test_correcting_the_signing_date_moves_the_count_and_the_history_together(county):
    project = make_project(county.bureau, county.town, signed_on=date(YEAR, 3, 10))
    assert history(project) == [("", "签约", date(YEAR, 3, 10))]
    correct(county, project, signed_on=date(YEAR, 4, 2))
    assert history(project) == [("", "签约", date(YEAR, 4, 2))]
    assert (signed_count(county.town, MARCH), signed_count(county.town, APRIL)) == (0, 1)
    entry = AuditEntry.objects.get(action="project.stage_history_corrected")
    assert entry.data == {"签约": [f"{YEAR}-03-10", f"{YEAR}-04-02"]}
    assert entry.actor == county.bureau and entry.unit == county.town
    assert AuditEntry.objects.get(action="project.updated").data["signed_on"] == [f"{YEAR}-03-10", f"{YEAR}-04-02"]


def test_a_stage_reached_by_a_stage_change_is_corrected_and_the_teams_month_follows(county):
    """The team's "substantive progress" counts stage moves by their history row: it follows the correction."""
    project = make_project(county.bureau, county.town, signed_on=date(YEAR, 3, 10), team=county.team)
    services.project_change_stage(actor=county.bureau, project=project, to_stage="注册", on_date=date(YEAR, 3, 20))
    services.project_change_stage(actor=county.bureau, project=project, to_stage="开工", on_date=date(YEAR, 5, 6))
    correct(county, project, started_on=date(YEAR, 6, 3))
    assert history(project)[-1] == ("注册", "开工", date(YEAR, 6, 3))
    moves = dict(TeamMonthTotal.objects.filter(team=county.team).values_list("month", "advanced_count"))
    assert moves.get(date(YEAR, 5, 1), 0) == 0 and moves[date(YEAR, 6, 1)] == 1


def test_each_date_corrects_its_own_stage_row(county):
    project = make_project(county.bureau, county.town, signed_on=date(YEAR, 3, 10))
    services.project_change_stage(actor=county.bureau, project=project, to_stage="注册", on_date=date(YEAR, 3, 20))
    services.project_change_stage(actor=county.bureau, project=project, to_stage="开工", on_date=date(YEAR, 5, 6))
    services.project_change_stage(actor=county.bureau, project=project, to_stage="投产", on_date=date(YEAR, 9, 1))
    correct(county, project, started_on=date(YEAR, 5, 16), production_on=date(YEAR, 10, 8))
    assert history(project) == [
        ("", "签约", date(YEAR, 3, 10)),
        ("签约", "注册", date(YEAR, 3, 20)),
        ("注册", "开工", date(YEAR, 5, 16)),
        ("开工", "投产", date(YEAR, 10, 8)),
    ]
    entry = AuditEntry.objects.get(action="project.stage_history_corrected")
    assert entry.data == {"开工": [f"{YEAR}-05-06", f"{YEAR}-05-16"], "投产": [f"{YEAR}-09-01", f"{YEAR}-10-08"]}


def test_a_project_created_at_a_later_stage_has_its_creation_row_corrected(county):
    started = make_project(county.bureau, county.town, stage="开工", signed_on=date(YEAR, 2, 1), started_on=MARCH)
    correct(county, started, signed_on=date(YEAR, 2, 3))  # no 签约 row: the history has nothing to correct
    assert history(started) == [("", "开工", MARCH)]
    assert not AuditEntry.objects.filter(action="project.stage_history_corrected").exists()
    correct(county, started, started_on=date(YEAR, 3, 5))
    assert history(started) == [("", "开工", date(YEAR, 3, 5))]
    registered = make_project(county.bureau, county.town, stage="注册", signed_on=date(YEAR, 2, 1))
    assert history(registered) == [("", "注册", date(YEAR, 2, 1))]  # dated by its signing (no 注册日期 field)
    correct(county, registered, signed_on=date(YEAR, 2, 8))
    assert history(registered) == [("", "注册", date(YEAR, 2, 8))]


def test_a_correction_that_would_reverse_the_history_is_refused(county):
    project = make_project(county.bureau, county.town, signed_on=date(YEAR, 3, 10))
    services.project_change_stage(actor=county.bureau, project=project, to_stage="注册", on_date=date(YEAR, 3, 20))
    with pytest.raises(ValidationError) as refused:
        correct(county, project, signed_on=date(YEAR, 3, 25))
    assert refused.value.message_dict["signed_on"] == [
        f"签约日期不能晚于阶段记录中其后的“注册”（{YEAR}-03-20），请核对日期"
    ]
    assert Project.objects.get(pk=project.pk).signed_on == date(YEAR, 3, 10)
    assert history(project)[0] == ("", "签约", date(YEAR, 3, 10))
    assert not AuditEntry.objects.filter(action__in=["project.updated", "project.stage_history_corrected"]).exists()
    services.project_change_stage(actor=county.bureau, project=project, to_stage="开工", on_date=date(YEAR, 5, 6))
    with pytest.raises(ValidationError) as refused:
        correct(county, project, started_on=date(YEAR, 3, 15))
    assert refused.value.message_dict["started_on"] == [
        f"开工日期不能早于阶段记录中此前的“注册”（{YEAR}-03-20），请核对日期"
    ]


@pytest.mark.parametrize("closed", [MARCH, APRIL], ids=["out_of_a_closed_month", "into_a_closed_month"])
def test_a_correction_moving_a_date_out_of_or_into_a_closed_month_is_refused(county, closed):
    project = make_project(county.bureau, county.town, signed_on=date(YEAR, 3, 10))
    month_close(actor=county.bureau, month=closed)
    with pytest.raises(MonthClosed) as refused:
        correct(county, project, signed_on=date(YEAR, 4, 2))
    assert (
        str(refused.value) == f"{YEAR}年{closed.month}月已关账，不能修改该月数据；如需更正，请联系主管部门重新开放该月"
    )
    assert Project.objects.get(pk=project.pk).signed_on == date(YEAR, 3, 10)
    assert history(project) == [("", "签约", date(YEAR, 3, 10))]
    assert (signed_count(county.town, MARCH), signed_count(county.town, APRIL)) == (1, 0)
    assert not AuditEntry.objects.filter(action="project.stage_history_corrected").exists()


def test_a_correction_within_an_open_month_moves_the_row_and_nothing_else(county):
    project = make_project(county.bureau, county.town, signed_on=date(YEAR, 3, 10))
    month_close(actor=county.bureau, month=APRIL)  # another month is closed: no matter
    correct(county, project, signed_on=date(YEAR, 3, 12))
    assert history(project) == [("", "签约", date(YEAR, 3, 12))]
    assert signed_count(county.town, MARCH) == 1


def test_a_project_dropped_before_signing_takes_no_signing_date(county):
    """Found by the recomputation: a 签约日期 typed on a project dropped while 在谈 counted a signing that never was."""
    lead = make_project(county.bureau, county.town, stage="在谈", signed_on=None, contract_amount=None)
    services.project_change_stage(actor=county.bureau, project=lead, to_stage="终止", on_date=today(), reason="放弃")
    with pytest.raises(ValidationError) as refused:
        correct(county, lead, signed_on=date(YEAR, 4, 15), contract_amount=3000)
    assert refused.value.message_dict["signed_on"] == ["项目在签约前已终止，不能填写签约日期"]
    assert Project.objects.get(pk=lead.pk).signed_on is None
    assert signed_count(county.town, APRIL) == 0


def test_a_project_dropped_after_signing_keeps_a_correctable_signing_date(county):
    project = make_project(county.bureau, county.town, signed_on=date(YEAR, 3, 10))
    services.project_change_stage(actor=county.bureau, project=project, to_stage="终止", on_date=today(), reason="撤资")
    correct(county, project, signed_on=date(YEAR, 4, 2))
    assert Project.objects.get(pk=project.pk).signed_on == date(YEAR, 4, 2)
    assert signed_count(county.town, APRIL) == 1
