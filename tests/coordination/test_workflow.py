"""The problem's life: raised → assigned → answered → (returned → answered) → confirmed, every step kept with
who and when, audited in the same transaction; wrong steps refused in Chinese; overdue ones escalated once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.coordination.helpers import answered, assigned, raise_problem, second_department
from tests.factories import make_user
from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.coordination import problems, rules
from zhaoshang.coordination.models import Problem, ProblemEvent, ProblemEventIsAppendOnly
from zhaoshang.core.periods import today
from zhaoshang.org.models import Role
from zhaoshang.projects import services as project_services

pytestmark = pytest.mark.django_db


def test_it_keeps_every_step_of_the_whole_workflow_with_who_and_when(county):
    started = timezone.now()
    deadline = today() + timedelta(days=7)
    problem = raise_problem(county)
    assert problem.status == "待分派" and problem.raised_by == county.reporter
    problems.problem_assign(
        actor=county.bureau, problem=problem, department=county.department, deadline=deadline, note="请尽快办理"
    )
    problems.problem_answer(actor=county.dept_user, problem=problem, answer="已上报用地预审")
    problems.problem_return(actor=county.reporter, problem=problem, reason="预审尚未批复")
    problems.problem_answer(actor=county.dept_user, problem=problem, answer="预审已批复")
    problems.problem_confirm(actor=county.unit_head, problem=problem, note="问题已解决")
    problem.refresh_from_db()
    assert problem.status == "已销号" and problem.answer == "预审已批复"
    assert problem.closed_at is not None and problem.closed_at >= started

    steps = [
        (e.action, e.actor, e.from_status, e.to_status, e.note)
        for e in ProblemEvent.objects.filter(problem=problem).order_by("at", "id")
    ]
    assert steps == [
        ("raised", county.reporter, "", "待分派", "请协调自然资源部门加快办理"),
        ("assigned", county.bureau, "待分派", "办理中", "请尽快办理"),
        ("answered", county.dept_user, "办理中", "已办结待确认", "已上报用地预审"),
        ("returned", county.reporter, "已办结待确认", "办理中", "预审尚未批复"),
        ("answered", county.dept_user, "办理中", "已办结待确认", "预审已批复"),
        ("closed", county.unit_head, "已办结待确认", "已销号", "问题已解决"),
    ]
    assert all(started <= e.at <= timezone.now() for e in problem.events.all())

    entries = AuditEntry.objects.filter(target_type="coordination.problem", target_id=str(problem.pk)).order_by("id")
    assert [(e.action, e.actor, e.data.get("status"), e.unit) for e in entries] == [
        ("problem.raised", county.reporter, [None, "待分派"], county.town),
        ("problem.assigned", county.bureau, ["待分派", "办理中"], county.town),
        ("problem.answered", county.dept_user, ["办理中", "已办结待确认"], county.town),
        ("problem.returned", county.reporter, ["已办结待确认", "办理中"], county.town),
        ("problem.answered", county.dept_user, ["办理中", "已办结待确认"], county.town),
        ("problem.closed", county.unit_head, ["已办结待确认", "已销号"], county.town),
    ]
    assert entries[1].data["department"] == [None, "自然资源局"]
    assert entries[1].data["deadline"] == [None, deadline.isoformat()]
    assert entries[3].data["reason"] == "预审尚未批复"
    assert all(e.source == Source.PAGE and started <= e.created_at for e in entries)


def test_it_reassigns_an_open_problem_and_records_it_as_such(county):
    problem = answered(county)
    other, _ = second_department(county)
    problems.problem_assign(actor=county.bureau, problem=problem, department=other, deadline=today())
    problem.refresh_from_db()
    assert (problem.status, problem.department) == ("办理中", other)
    last = AuditEntry.objects.filter(action="problem.reassigned").get()
    assert last.data["department"] == ["自然资源局", "住房和城乡建设局"]
    assert problem.events.last().action == "reassigned"


@pytest.mark.parametrize(
    "step, status, message",
    [
        ("answer", "待分派", "只有“办理中”的问题可以答复（当前状态：待分派）"),
        ("confirm", "办理中", "只有“已办结待确认”的问题可以确认销号（当前状态：办理中）"),
        ("return", "办理中", "只有“已办结待确认”的问题可以退回重办（当前状态：办理中）"),
        ("answer", "已销号", "只有“办理中”的问题可以答复（当前状态：已销号）"),
        ("assign", "已销号", "问题已销号，不能再分派"),
        ("confirm", "已销号", "只有“已办结待确认”的问题可以确认销号（当前状态：已销号）"),
    ],
)
def test_it_refuses_a_step_from_the_wrong_state_with_a_message(county, step, status, message):
    problem = {"待分派": raise_problem, "办理中": assigned, "已销号": answered}[status](county)
    if status == "已销号":
        problem = problems.problem_confirm(actor=county.reporter, problem=problem)
    entries = AuditEntry.objects.count()
    calls = {
        "answer": lambda: problems.problem_answer(actor=county.bureau, problem=problem, answer="答复"),
        "confirm": lambda: problems.problem_confirm(actor=county.bureau, problem=problem),
        "return": lambda: problems.problem_return(actor=county.bureau, problem=problem, reason="未解决"),
        "assign": lambda: problems.problem_assign(
            actor=county.bureau, problem=problem, department=county.department, deadline=today()
        ),
    }
    with pytest.raises(ValidationError) as refused:
        calls[step]()
    assert refused.value.messages == [message]
    assert Problem.objects.get(pk=problem.pk).status == status
    assert AuditEntry.objects.count() == entries


def test_it_checks_the_fields_of_each_step(county):
    with pytest.raises(ValidationError) as refused:
        problems.problem_raise(actor=county.reporter, project=county.project, category="天气", description=" ")
    assert refused.value.message_dict == {"category": ["请选择问题类别"], "description": ["请填写问题描述"]}
    problem = raise_problem(county)
    with pytest.raises(ValidationError) as refused:
        problems.problem_assign(
            actor=county.bureau, problem=problem, department=county.town, deadline=today() - timedelta(days=1)
        )
    assert refused.value.message_dict == {
        "department": ["请选择一个部门（单位类型为“部门”）承办"],
        "deadline": ["办理时限不能早于今天"],
    }
    answered_one = answered(county)
    with pytest.raises(ValidationError) as refused:
        problems.problem_return(actor=county.reporter, problem=answered_one, reason="  ")
    assert refused.value.message_dict == {"reason": ["退回重办须说明原因"]}


def test_it_lets_each_party_take_only_its_own_steps(county):
    problem = raise_problem(county)
    with pytest.raises(PermissionDenied):
        raise_problem(county, actor=county.outsider)
    with pytest.raises(PermissionDenied):
        raise_problem(county, actor=county.reporter, project=county.park_project)  # reads 甲镇工业园, writes 甲镇 only
    for who in (county.reporter, county.dept_user, county.leader):
        with pytest.raises(PermissionDenied):
            problems.problem_assign(actor=who, problem=problem, department=county.department, deadline=today())
    problem = problems.problem_assign(
        actor=county.bureau, problem=problem, department=county.department, deadline=today()
    )
    _, other_dept_user = second_department(county)
    for who in (county.reporter, county.unit_head, other_dept_user, county.leader):
        with pytest.raises(PermissionDenied):
            problems.problem_answer(actor=who, problem=problem, answer="答复")
    problem = problems.problem_answer(actor=county.dept_user, problem=problem, answer="答复")
    for who in (county.dept_user, county.outsider, county.leader):
        with pytest.raises(PermissionDenied):
            problems.problem_confirm(actor=who, problem=problem)
        with pytest.raises(PermissionDenied):
            problems.problem_return(actor=who, problem=problem, reason="未解决")
    assert Problem.objects.get(pk=problem.pk).status == "已办结待确认"


def test_it_keeps_the_history_append_only(county):
    event = raise_problem(county).events.get()
    event.note = "改写"
    with pytest.raises(ProblemEventIsAppendOnly):
        event.save()


def test_it_escalates_exactly_the_overdue_problems_once_to_the_right_leaders(county):
    wang = make_user("wang", county.root, Role.LEADER)
    wang.full_name = "王建国"
    wang.save()
    project_services.project_update(actor=county.bureau, project=county.project, values={"leader_in_charge": "王建国"})
    late_assigned = assigned(county, days=1)
    late_answered = answered(county, project=county.park_project, actor=county.unit_head, days=2)  # no such leader
    in_time = assigned(county, days=30)
    raise_problem(county)  # not assigned: no deadline, never overdue
    closed = problems.problem_confirm(actor=county.bureau, problem=answered(county, days=1))

    on = today() + timedelta(days=5)
    escalated = problems.problems_escalate(today=on)
    assert [p.pk for p in escalated] == [late_assigned.pk, late_answered.pk]
    assert problems.leaders_for(late_assigned) == [wang]
    assert problems.leaders_for(late_answered) == [county.leader, wang]
    assert problems.problems_escalate(today=on) == []  # once
    assert not Problem.objects.get(pk=in_time.pk).escalated_at and not Problem.objects.get(pk=closed.pk).escalated_at

    event = late_assigned.events.get(action="escalated")
    assert event.actor is None and event.from_status == event.to_status == "办理中"
    assert event.note == "超过办理时限4天，提请包保领导王建国督办"
    entry = AuditEntry.objects.get(action="problem.escalated", target_id=str(late_assigned.pk))
    assert (entry.actor, entry.actor_name, entry.source) == (None, "系统", Source.SYSTEM)
    assert entry.data == {"deadline": (today() + timedelta(days=1)).isoformat(), "days_overdue": 4, "leaders": "王建国"}
    # A new deadline is a new promise: reassigned, it may be escalated again when that one lapses.
    problems.problem_assign(
        actor=county.bureau, problem=late_assigned, department=county.department, deadline=today() + timedelta(days=6)
    )
    assert problems.problems_escalate(today=on) == []
    assert [p.pk for p in problems.problems_escalate(today=on + timedelta(days=2))] == [late_assigned.pk]


def test_the_pure_rules_count_days_and_overdue():
    day = today()
    assert rules.is_overdue("办理中", day - timedelta(days=1), day)
    assert rules.is_overdue("已办结待确认", day - timedelta(days=1), day)
    assert not rules.is_overdue("办理中", day, day)
    assert not rules.is_overdue("已销号", day - timedelta(days=9), day)
    assert not rules.is_overdue("待分派", None, day)
    start = timezone.now()
    assert rules.days_open(start, None, start + timedelta(days=3, hours=5)) == 3
    assert rules.days_to_close(start, start + timedelta(hours=36)) == 1.5
    assert rules.days_to_close(start, None) is None
