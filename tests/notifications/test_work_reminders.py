"""The reminders for work that is late: an overdue problem (to whoever owes its next step, and to the leaders once
escalated), an overdue approval step (to the department and the project's unit), a dispatch meeting task falling
due or overdue (to its owner unit). Each is told once; the group gets one list a day."""

from datetime import timedelta

import pytest

from zhaoshang.construction.models import ApprovalStep
from zhaoshang.coordination import meetings, problems
from zhaoshang.core.periods import today
from zhaoshang.notifications import reminders
from zhaoshang.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def robots(settings, receiver):
    settings.DINGTALK_WEBHOOK = f"{receiver.url}/robot/send?access_token=t"
    settings.DINGTALK_SECRET = "SECwork"
    settings.WECOM_WEBHOOK = ""
    return receiver


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def overdue_problem(county, days=3):
    problem = problems.problem_raise(
        actor=county.reporter, project=county.project, category="用地", description="土地报批卡在省厅"
    )
    problems.problem_assign(actor=county.bureau, problem=problem, department=county.department, deadline=today())
    return problem, today() + timedelta(days=days)


def test_an_overdue_problem_reminds_who_owes_the_next_step_then_the_leaders(county, robots):
    problem, later = overdue_problem(county)
    reminders.run(today=later)
    assert told("problem.overdue") == {"dept"}  # the department owes the answer
    note = Notification.objects.get(kind="problem.overdue")
    assert note.link == f"/problems/{problem.pk}/" and "土地报批卡在省厅" in note.body

    problems.problem_answer(actor=county.dept_user, problem=problem, answer="已协调省厅加快审批")
    problems.problems_escalate(today=later)
    reminders.run(today=later)
    # Answered, not yet confirmed: the raising unit owes the confirmation; escalated: the leaders are told.
    assert told("problem.overdue") == {"dept", "reporter", "unithead", "leader"}
    assert Notification.objects.filter(kind="problem.overdue", user=county.dept_user).count() == 1  # once

    lists = [r.body["markdown"]["text"] for r in robots.requests if "逾期未办结问题" in r.body["markdown"]["text"]]
    assert len(lists) == 1 and "逾期未办结问题（1个）" in lists[0] and county.project.name in lists[0]  # once a day


def test_an_overdue_approval_step_reminds_the_department_and_the_projects_unit(county, robots):
    ApprovalStep.objects.create(
        project=county.project, name="用地预审", department=county.department, planned_on=today() - timedelta(days=9)
    )
    ApprovalStep.objects.create(
        project=county.other_project, name="环评", planned_on=today() + timedelta(days=9)
    )  # not yet due: nobody is told
    reminders.run(today=today())
    assert told("approval.overdue") == {"dept", "reporter", "unithead"}
    assert Notification.objects.get(kind="approval.overdue", user=county.reporter).title == (
        f"{county.project.code} 用地预审逾期9天"
    )
    assert any("逾期未办结的前期手续（1项）" in r.body["markdown"]["text"] for r in robots.requests)


def test_a_meeting_task_is_announced_before_its_deadline_and_again_once_overdue(county, robots_off):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    item = meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title="甲镇道路配套")
    task = meetings.agenda_item_decide(
        actor=county.bureau,
        item=item,
        decision="甲镇完成道路招标。",
        owner=county.town,
        deadline=today() + timedelta(days=2),
    )
    reminders.run(today=today())
    assert told("task.due") == set()  # the meeting is still in session: its decisions are not final
    meetings.meeting_close(actor=county.bureau, meeting=meeting)
    reminders.run(today=today() - timedelta(days=5))
    assert told("task.due") == set()  # a week off: not yet
    reminders.run(today=today())
    reminders.run(today=today())
    assert told("task.due") == {"reporter", "unithead"}
    assert Notification.objects.filter(kind="task.due").count() == 2  # each told once
    reminders.run(today=task.deadline + timedelta(days=1))
    assert Notification.objects.filter(kind="task.due", title__contains="已逾期").count() == 2

    meetings.task_done(actor=county.reporter, task=task, done_on=today(), note="已完成招标")
    before = set(Notification.objects.values_list("pk", flat=True))
    reminders.run(today=task.deadline + timedelta(days=2))
    assert not Notification.objects.filter(kind="task.due").exclude(pk__in=before).exists()  # done: silent


def test_a_dry_run_tells_nobody(county, robots):
    overdue_problem(county)
    report = reminders.run(today=today() + timedelta(days=3), dry_run=True)
    assert any(n.reminder.kind == "problem.overdue" and n.users for n in report.notified)
    assert not Notification.objects.exists() and not robots.requests


def test_an_escalation_never_reaches_a_namesake_leader_who_cannot_read_the_project(county, robots_off):
    from tests.factories import make_user
    from zhaoshang.org.models import Role
    from zhaoshang.projects.models import Project

    namesake = make_user("yizhen_leader", county.other_town, Role.LEADER)
    namesake.full_name = "王明"
    namesake.save()
    Project.objects.filter(pk=county.project.pk).update(leader_in_charge="王明")
    problem, later = overdue_problem(county)
    problem.refresh_from_db()
    assert problems.leaders_for(problem) == [county.leader]  # no readable 王明: the county's leaders
    problems.problems_escalate(today=later)
    reminders.run(today=later)
    assert not Notification.objects.filter(user=namesake).exists()
    assert Notification.objects.filter(user=county.leader, kind="problem.overdue").exists()


def test_text_users_typed_cannot_become_a_link_in_the_group(county, robots):
    from zhaoshang.projects.models import Project

    Project.objects.filter(pk=county.project.pk).update(
        name="[县政府紧急通知：点此重新登录](https://evil.example/login)"
    )
    _, later = overdue_problem(county)
    reminders.run(today=later)
    text = next(r.body["markdown"]["text"] for r in robots.requests if "逾期未办结问题" in r.body["markdown"]["text"])
    assert "](" not in text and "[县政府" not in text
    assert "［县政府紧急通知：点此重新登录］（https://evil.example/login）" in text  # shown, not clickable


def test_marking_read_with_a_strange_id_changes_nothing(county, client_for):
    response = client_for(county.reporter).post("/notifications/read/", {"id": "²"})
    assert response.status_code == 302
