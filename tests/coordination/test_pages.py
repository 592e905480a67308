"""The problem list's pages: who sees which problems, who may take which step, the summary by department,
the export, and a fixed number of queries whatever the list's length."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from tests.coordination.helpers import answered, assigned, raise_problem, second_department
from tests.factories import make_project
from tests.xlsx_cells import content
from zhaoshang.audit.models import AuditEntry
from zhaoshang.coordination import problems
from zhaoshang.coordination.models import Problem
from zhaoshang.core.periods import today

pytestmark = pytest.mark.django_db


def listed(client, **params):
    response = client.get(reverse("problem_list"), params)
    assert response.status_code == 200
    return {p.pk for p in response.context["page"].object_list}


def test_it_shows_a_department_the_problems_assigned_to_it_and_no_others(county, client_for):
    mine = assigned(county)
    other_dept, other_user = second_department(county)
    theirs = assigned(county, department=other_dept)
    unassigned = raise_problem(county)
    elsewhere = assigned(county, project=county.other_project, actor=county.outsider)
    dept = client_for(county.dept_user)
    assert listed(dept) == {mine.pk, elsewhere.pk}
    assert listed(dept, status="") == {mine.pk, elsewhere.pk}
    assert listed(client_for(other_user)) == {theirs.pk}
    assert dept.get(reverse("problem_detail", args=[theirs.pk])).status_code == 404
    assert dept.get(reverse("problem_detail", args=[unassigned.pk])).status_code == 404
    assert dept.get(reverse("problem_detail", args=[mine.pk])).status_code == 200
    # lands on its own department's problems, the filter showing it
    assert client_for(county.dept_user).get(reverse("problem_list")).context["form"]["department"].value() == str(
        county.department.pk
    )
    # once reassigned elsewhere, the problem leaves its sight
    problems.problem_assign(actor=county.bureau, problem=mine, department=other_dept, deadline=today())
    assert dept.get(reverse("problem_detail", args=[mine.pk])).status_code == 404


def test_it_shows_a_unit_its_projects_problems(county, client_for):
    town = raise_problem(county)
    park = raise_problem(county, project=county.park_project, actor=county.unit_head)
    other = raise_problem(county, project=county.other_project, actor=county.outsider)
    assert listed(client_for(county.reporter)) == {town.pk, park.pk}
    assert listed(client_for(county.unit_head)) == {town.pk, park.pk}
    assert listed(client_for(county.outsider)) == {other.pk}
    assert listed(client_for(county.leader)) == listed(client_for(county.bureau)) == {town.pk, park.pk, other.pk}
    assert listed(client_for(county.reporter), unit=county.other_town.pk) == {town.pk, park.pk}  # not a choice
    assert listed(client_for(county.bureau), unit=county.town.pk) == {town.pk, park.pk}


def test_it_answers_404_outside_the_scope_and_403_to_the_wrong_party(county, client_for):
    problem = answered(county)
    urls = {step: reverse(f"problem_{step}", args=[problem.pk]) for step in ("assign", "answer", "confirm", "return")}
    posts = {
        "assign": {"department": county.department.pk, "deadline": today().isoformat()},
        "answer": {"answer": "答复"},
        "confirm": {},
        "return": {"reason": "未解决"},
    }
    outsider, leader = client_for(county.outsider), client_for(county.leader)
    assert outsider.get(reverse("problem_detail", args=[problem.pk])).status_code == 404
    assert outsider.get(reverse("problem_create"), {"project": county.project.pk}).status_code == 404
    for step, url in urls.items():
        assert outsider.post(url, posts[step]).status_code == 404, step
        assert leader.post(url, posts[step]).status_code == 403, step
    assert leader.get(reverse("problem_create")).status_code == 403
    assert leader.post(reverse("problem_create"), {"project": county.project.pk}).status_code == 403
    dept, reporter = client_for(county.dept_user), client_for(county.reporter)
    assert dept.post(urls["confirm"]).status_code == 403
    assert dept.post(urls["return"], posts["return"]).status_code == 403
    assert dept.post(urls["assign"], posts["assign"]).status_code == 403
    assert reporter.post(urls["answer"], posts["answer"]).status_code == 403
    assert reporter.post(urls["assign"], posts["assign"]).status_code == 403
    assert (
        client_for(county.reporter).get(reverse("problem_create"), {"project": county.park_project.pk}).status_code
        == 403
    )
    assert Problem.objects.get(pk=problem.pk).status == "已办结待确认"
    assert not AuditEntry.objects.filter(action__in=["problem.closed", "problem.returned"]).exists()


def test_it_takes_each_step_through_the_pages(county, client_for):
    reporter, bureau, dept = client_for(county.reporter), client_for(county.bureau), client_for(county.dept_user)
    response = reporter.post(
        reverse("problem_create") + f"?project={county.project.pk}",
        {
            "project": county.project.pk,
            "category": "水电路气",
            "description": "施工用电未接入",
            "help_wanted": "协调供电",
        },
    )
    problem = Problem.objects.get()
    assert response["Location"] == reverse("problem_detail", args=[problem.pk])
    deadline = today() + timedelta(days=5)
    bureau.post(
        reverse("problem_assign", args=[problem.pk]),
        {"department": county.department.pk, "deadline": deadline.isoformat(), "note": ""},
    )
    dept.post(reverse("problem_answer", args=[problem.pk]), {"answer": "已协调供电公司"})
    reporter.post(reverse("problem_return", args=[problem.pk]), {"reason": "仍未通电"})
    dept.post(reverse("problem_answer", args=[problem.pk]), {"answer": "已通电"})
    reporter.post(reverse("problem_confirm", args=[problem.pk]), {"note": ""})
    problem.refresh_from_db()
    assert (problem.status, problem.department, problem.deadline) == ("已销号", county.department, deadline)
    assert list(problem.events.values_list("action", flat=True)) == [
        "raised", "assigned", "answered", "returned", "answered", "closed"
    ]  # fmt: skip


def test_it_refuses_a_step_from_the_wrong_state_on_the_page_with_its_message(county, client_for):
    problem = assigned(county)
    response = client_for(county.reporter).post(reverse("problem_confirm", args=[problem.pk]), follow=True)
    assert "只有“已办结待确认”的问题可以确认销号（当前状态：办理中）" in response.content.decode()
    empty = client_for(county.reporter).post(reverse("problem_return", args=[problem.pk]), {"reason": ""}, follow=True)
    assert "退回重办须说明原因" in empty.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == "办理中"
    past = client_for(county.bureau).post(
        reverse("problem_assign", args=[problem.pk]),
        {"department": county.department.pk, "deadline": (today() - timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "办理时限不能早于今天" in past.content.decode()


def test_it_offers_each_user_only_the_forms_it_may_use(county, client_for):
    def forms(user, problem):
        body = client_for(user).get(reverse("problem_detail", args=[problem.pk])).content.decode()
        return {step for step in ("assign", "answer", "confirm", "return") if f"/{problem.pk}/{step}/" in body}

    raised, working, done = raise_problem(county), assigned(county), answered(county)
    assert forms(county.bureau, raised) == {"assign"}
    assert forms(county.reporter, raised) == set()
    assert forms(county.dept_user, working) == {"answer"}
    assert forms(county.reporter, working) == set()
    assert forms(county.reporter, done) == {"confirm", "return"}
    assert forms(county.dept_user, done) == set()
    assert forms(county.leader, done) == set()


def test_it_puts_the_projects_problems_and_the_report_link_on_its_page(county, client_for):
    problem = raise_problem(county, description="环评批复迟迟未下")
    link = reverse("problem_create") + f"?project={county.project.pk}"
    body = client_for(county.reporter).get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert "环评批复迟迟未下" in body and reverse("problem_detail", args=[problem.pk]) in body and link in body
    leader_body = client_for(county.leader).get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert "环评批复迟迟未下" in leader_body and link not in leader_body


def test_it_sums_up_each_department_as_counted_by_hand(county, client_for):
    """自然资源局: 4 problems — one closed in 2 days, one in 5 days, one overdue, one on time; 住建局: one closed
    in 3 days; one not yet assigned. Average days to close: (2 + 5) / 2 = 3.5 and 3."""
    other_dept, _ = second_department(county)
    closed_a = problems.problem_confirm(actor=county.bureau, problem=answered(county))
    closed_b = problems.problem_confirm(actor=county.bureau, problem=answered(county))
    overdue = assigned(county)
    assigned(county, days=20)
    closed_c = problems.problem_confirm(actor=county.bureau, problem=answered(county, department=other_dept))
    raise_problem(county)
    now = timezone.now()
    for problem, days in ((closed_a, 2), (closed_b, 5), (closed_c, 3)):
        Problem.objects.filter(pk=problem.pk).update(raised_at=now - timedelta(days=days), closed_at=now)
    Problem.objects.filter(pk=overdue.pk).update(deadline=today() - timedelta(days=3))

    summary = client_for(county.leader).get(reverse("problem_list")).context["summary"]
    figures = [(s.name, s.total, s.open, s.overdue, s.closed, s.avg_days_to_close) for s in summary]
    assert figures[0][:5] == ("自然资源局", 4, 2, 1, 2) and figures[0][5] == pytest.approx(3.5)
    assert figures[1][:5] == ("住房和城乡建设局", 1, 0, 0, 1) and figures[1][5] == pytest.approx(3.0)
    assert figures[2] == ("未分派", 1, 1, 0, 0, None)
    page = client_for(county.leader).get(reverse("problem_list"))
    assert [p.pk for p in page.context["page"].object_list][0] == overdue.pk  # overdue first
    assert "逾期3天" in page.content.decode()
    only_overdue = listed(client_for(county.leader), overdue="on")
    assert only_overdue == {overdue.pk}


def test_the_list_makes_a_fixed_number_of_queries(county, client_for):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client_for(county.leader).get(reverse("problem_list")).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for _ in range(n):
            project = make_project(county.bureau, county.town)
            answered(county, project=project)

    add(2)
    few = count()
    add(20)
    assert count() == few


def test_it_exports_what_the_list_shows_to_xlsx(county, client_for):
    problem = answered(county, description="=cmd|' /C calc'!A0")
    raise_problem(county, project=county.other_project, actor=county.outsider, description="乙镇的问题")
    response = client_for(county.reporter).get(reverse("problem_list"), {"format": "xlsx"})
    assert response["Content-Disposition"].endswith("%E9%97%AE%E9%A2%98%E6%B8%85%E5%8D%95.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content(response))).get_sheet_by_name("问题清单").to_python()
    assert rows[0][:4] == ["问题编号", "项目编号", "项目名称", "责任单位"]
    assert len(rows) == 2  # 乙镇's problem is not the reporter's to see
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["项目编号"] == county.project.code and row["责任部门"] == "自然资源局"
    assert row["状态"] == "已办结待确认" and row["办理答复"] == "已完成用地报批"
    assert row["问题描述"] == "'=cmd|' /C calc'!A0"  # escaped as text, never a formula
    assert row["办理时限"] == problem.deadline.isoformat()


def test_a_confirmation_note_too_long_stops_the_closing_instead_of_being_dropped(county, client_for):
    problem = answered(county)
    response = client_for(county.bureau).post(
        reverse("problem_confirm", args=[problem.pk]), {"note": "已解决" * 200}, follow=True
    )
    assert "500" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == "已办结待确认"
    assert not problem.events.filter(action="closed").exists()
