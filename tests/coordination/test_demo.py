"""The demo county's problem list is believable: every state, some overdue and escalated, each problem's history
ending in its state, the same for the same seed."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from zhaoshang.audit.models import AuditEntry
from zhaoshang.coordination import rules
from zhaoshang.coordination.models import Problem
from zhaoshang.coordination.problems import problems_escalate

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


def test_the_demo_county_has_problems_in_every_state_with_their_history():
    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO())
    problems = list(Problem.objects.select_related("department").prefetch_related("events"))
    assert 50 <= len(problems) <= 60
    assert {p.status for p in problems} == {"待分派", "办理中", "已办结待确认", "已销号"}
    overdue = [p for p in problems if rules.is_overdue(p.status, p.deadline, TODAY)]
    assert overdue and any(p.escalated_at for p in overdue)
    assert all(p.department.kind == "部门" for p in problems if p.department_id)
    assert Problem.objects.filter(project__responsible_unit__name="城关镇", status="已办结待确认").exists()
    for p in problems:
        events = list(p.events.all())
        assert events[0].action == "raised" and events[-1].to_status == p.status, p.pk
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert bool(p.escalated_at) == any(e.action == "escalated" for e in events)
    assert AuditEntry.objects.filter(action="problem.raised").count() == len(problems)
    # the ones not yet escalated are left for the next daily run, which takes each once
    waiting = {p.pk for p in overdue if not p.escalated_at}
    assert {p.pk for p in problems_escalate(today=TODAY)} == waiting
