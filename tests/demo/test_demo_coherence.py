"""The demo county agrees with itself: who reported which month and when, and approval steps against stages."""

from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.periods import add_months, month_start
from zhaoshang.projects.models import MonthlyFunds, Stage
from zhaoshang.reporting.models import UnitMonthReport
from zhaoshang.reporting.queries import reporting_units

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)
LAST = add_months(month_start(TODAY), -1)


@pytest.fixture
def demo():
    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO())


def test_every_unit_reported_every_month_with_figures_some_late(demo):
    units = set(reporting_units().values_list("pk", flat=True))
    months = sorted(set(MonthlyFunds.objects.exclude(month=LAST).values_list("month", flat=True)))
    assert months
    for month in months:
        reported = set(UnitMonthReport.objects.filter(month=month).values_list("unit_id", flat=True))
        assert reported == units, month
    # the open month: some units have reported, some have not yet
    last = UnitMonthReport.objects.filter(month=LAST).count()
    assert 0 < last < len(units)
    # each confirmed in the month after its own, never after today; most by the deadline day, some after it
    late = 0
    for report in UnitMonthReport.objects.all():
        when = timezone.localtime(report.confirmed_at).date()
        assert month_start(when) == add_months(report.month, 1) and when <= TODAY, (report.month, when)
        late += when.day > settings.REPORT_DEADLINE_DAY
    total = UnitMonthReport.objects.count()
    assert 0.03 * total < late < 0.3 * total


def test_no_approval_step_is_ahead_of_its_projects_stage(demo):
    steps = ApprovalStep.objects.exclude(done_on=None).select_related("project")
    not_started = steps.exclude(project__stage__in=[Stage.STARTED, Stage.PRODUCING])
    assert not not_started.filter(name="施工许可").exists()  # a permit only for a project that broke ground
    assert not steps.filter(project__stage=Stage.SIGNED, name__in=["土地出让", "规划许可", "施工许可"]).exists()
    # and nothing is filed behind a step the stage holds back
    for step in ApprovalStep.objects.filter(project__stage=Stage.SIGNED, name="规划许可"):
        assert step.filed_on is None, step
    # the projects that did start had every step done by then (as before)
    for step in ApprovalStep.objects.filter(project__stage__in=[Stage.STARTED, Stage.PRODUCING]):
        assert step.done_on and step.done_on <= step.project.started_on
