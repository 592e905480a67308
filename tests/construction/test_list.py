"""The approval list: scoped, overdue first, a fixed number of queries, the summary per department over a period
(figures worked out by hand below), and the xlsx of what it shows."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.construction.conftest import days_ago
from tests.factories import make_project
from tests.xlsx_cells import content
from zhaoshang.construction import queries, services
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.periods import add_months, current_month, format_month, today
from zhaoshang.projects import services as project_services

pytestmark = pytest.mark.django_db
START, END = add_months(current_month(), -2), current_month()  # 40 days ago always lies inside
PERIOD = {"start": format_month(START), "end": format_month(END)}


def record(actor, project, name, **values):
    step = ApprovalStep.objects.get(project=project, name=name)
    services.approval_step_save(actor=actor, step=step, values=values)


@pytest.fixture
def history(county, housing, steps):
    """Steps worked out by hand:

    甲镇 project     用地预审 自然资源局  filed 30 ago, done 10 ago: 20 days, planned 15 ago → done late
                    土地出让 自然资源局  filed 50 ago, done 40 ago: 10 days, planned 35 ago → on time
                    规划许可 自然资源局  filed 20 ago, open, planned 5 ago     → in progress, overdue 5 (yellow)
                    施工许可 住建局      filed 300 ago, done 250 ago          → before the period
    甲镇工业园 project 用地预审 自然资源局 filed 33 ago, done 3 ago: 30 days, no plan
                    施工许可 住建局      filed 12 ago, done 6 ago: 6 days, planned 10 ago → done late
                    规划许可 自然资源局  not filed, planned 45 ago             → overdue 45 (red)
    乙镇 project (dropped) 用地预审 自然资源局 filed 10 ago, open, planned 5 ago → neither in progress nor overdue
    """
    b = county.bureau
    record(b, county.project, "用地预审", filed_on=days_ago(30), done_on=days_ago(10), planned_on=days_ago(15))
    record(b, county.project, "土地出让", filed_on=days_ago(50), done_on=days_ago(40), planned_on=days_ago(35))
    record(b, county.project, "规划许可", filed_on=days_ago(20), planned_on=days_ago(5))
    record(b, county.project, "施工许可", filed_on=days_ago(300), done_on=days_ago(250))
    services.approval_steps_init(actor=b, project=county.park_project)
    record(b, county.park_project, "用地预审", filed_on=days_ago(33), done_on=days_ago(3))
    record(b, county.park_project, "施工许可", filed_on=days_ago(12), done_on=days_ago(6), planned_on=days_ago(10))
    record(b, county.park_project, "规划许可", planned_on=days_ago(45))
    services.approval_steps_init(actor=b, project=county.other_project)
    record(b, county.other_project, "用地预审", filed_on=days_ago(10), planned_on=days_ago(5))
    project_services.project_change_stage(
        actor=b, project=county.other_project, to_stage="终止", on_date=today(), reason="投资方撤回"
    )


def figures(row):
    return (row.label, row.done, row.avg_days, row.max_days, row.done_late, row.in_progress, row.overdue, row.red)


def test_it_sums_up_how_long_each_department_took_over_the_period(county, history, client_for):
    response = client_for(county.bureau).get(reverse("approval_list"), PERIOD)
    by_department = [figures(r) for r in response.context["by_department"]]
    assert by_department == [
        ("住房和城乡建设局", 1, pytest.approx(6), 6, 1, 0, 0, 0),  # same 排序: by name
        ("自然资源局", 3, pytest.approx(20), 30, 1, 1, 2, 1),
    ]
    assert figures(response.context["total"]) == ("合计", 4, pytest.approx(16.5), 30, 2, 1, 2, 1)
    by_step = {r.label: figures(r)[1:] for r in response.context["by_step"]}
    assert by_step == {
        "用地预审": (2, pytest.approx(25), 30, 1, 0, 0, 0),
        "土地出让": (1, pytest.approx(10), 10, 0, 0, 0, 0),
        "规划许可": (0, None, None, 0, 1, 2, 1),
        "施工许可": (1, pytest.approx(6), 6, 1, 0, 0, 0),
    }
    body = response.content.decode()
    assert "16.5" in body and "自然资源局" in body


def test_it_rounds_the_average_half_up_once(county, housing, steps):
    record(county.bureau, county.project, "用地预审", filed_on=days_ago(10), done_on=days_ago(9))  # 1 day
    record(county.bureau, county.project, "土地出让", filed_on=days_ago(10), done_on=days_ago(8))  # 2 days
    record(county.bureau, county.project, "规划许可", filed_on=days_ago(10), done_on=days_ago(8))  # 2 days
    record(county.bureau, county.project, "立项/备案", filed_on=days_ago(10), done_on=days_ago(8))  # no department
    rows = queries.summaries(ApprovalStep.objects.all(), start=START, end=END, today=today()).by_department
    assert [(r.label, str(r.avg_days)) for r in rows] == [("自然资源局", "1.7"), ("未指定部门", "2.0")]
    total = queries.summaries(ApprovalStep.objects.filter(name="用地预审"), start=START, end=END, today=today()).total
    assert str(total.avg_days) == "1.0"


def test_it_lists_overdue_steps_first_and_leaves_out_what_the_user_may_not_see(county, history, client_for):
    response = client_for(county.reporter).get(reverse("approval_list"))
    listed = [(s.project.code, s.name) for s in response.context["page"]]
    assert listed[:2] == [(county.park_project.code, "规划许可"), (county.project.code, "规划许可")]
    assert county.other_project.code not in response.content.decode()
    assert len(listed) == 14  # the seven of each of 甲镇's two projects
    overdue = client_for(county.reporter).get(reverse("approval_list"), {"overdue": "on"}).context["page"]
    assert [(s.name, s.light) for s in overdue] == [("规划许可", "red"), ("规划许可", "yellow")]
    done = client_for(county.reporter).get(reverse("approval_list"), {"status": "已完成", "step": "施工许可"})
    assert [s.project.code for s in done.context["page"]] == [county.park_project.code, county.project.code]


def test_it_lands_a_department_on_its_own_steps(county, history, client_for):
    response = client_for(county.dept_user).get(reverse("approval_list"))
    assert response.context["landing"] is True
    steps = list(response.context["page"])
    assert steps and {s.department for s in steps} == {county.department}
    assert all(s.can_write and not s.reads_project for s in steps)
    body = response.content.decode()
    assert reverse("project_approvals", args=[county.project.pk]) in body
    assert f'href="{reverse("project_detail", args=[county.project.pk])}"' not in body
    # what it sees at all: its own steps only, even when it asks for all departments
    everything = client_for(county.dept_user).get(reverse("approval_list"), {"department": ""}).context["page"]
    assert {s.department for s in everything} == {county.department}


def test_it_answers_overdue_steps_for_the_dispatch_meeting_and_reminders(county, housing, history):
    found = queries.overdue_steps(today())
    assert [(o.project, o.step.name, o.department, o.days_overdue, o.light) for o in found] == [
        (county.park_project, "规划许可", county.department, 45, "red"),
        (county.project, "规划许可", county.department, 5, "yellow"),
    ]
    assert [o.project for o in queries.overdue_steps(today(), units=[county.town_park])] == [county.park_project]
    assert queries.overdue_steps(today(), units=[county.other_town]) == []  # its project was dropped
    assert queries.overdue_steps(today(), department=housing) == []
    assert len(queries.overdue_steps(days_ago(10))) == 1  # ten days ago only the red one was late, by 35 days


def test_it_exports_what_it_shows_with_numbers_as_numbers(county, history, client_for):
    record(county.bureau, county.project, "环评", note='=HYPERLINK("http://x")')
    response = client_for(county.reporter).get(reverse("approval_list"), {"format": "xlsx", **PERIOD})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(content(response)))
    steps = book.get_sheet_by_name("前期手续").to_python()
    assert steps[0][:4] == ["项目编号", "项目名称", "责任单位", "前期手续"] and len(steps) == 1 + 14
    top = dict(zip(steps[0], steps[1], strict=True))
    assert top["前期手续"] == "规划许可" and top["逾期(天)"] == 45 and top["亮灯"] == "红灯"
    assert top["计划办结日期"] == days_ago(45).isoformat() and top["办理部门"] == "自然资源局"
    done = next(
        dict(zip(steps[0], r, strict=True)) for r in steps if r[3] == "用地预审" and r[0] == county.project.code
    )
    assert done["办理用时(天)"] == 20 and isinstance(done["办理用时(天)"], float)
    assert done["状态"] == "已完成（逾期办结）"
    note = next(r[-1] for r in steps if r[3] == "环评" and r[0] == county.project.code)
    assert note == '\'=HYPERLINK("http://x")'  # text, never a formula
    summary = book.get_sheet_by_name("按部门统计").to_python()
    assert summary[0][0] == "办理部门" and summary[-1][0] == "合计"
    rows = {r[0]: r[1:] for r in summary[1:]}
    assert rows["自然资源局"] == [3.0, 20.0, 30.0, 1.0, 1.0, 2.0, 1.0]  # 甲镇 sees both of its projects' steps
    assert book.get_sheet_by_name("按手续统计").to_python()[0][0] == "前期手续"


def test_the_list_makes_a_fixed_number_of_queries(county, client_for, housing):
    client = client_for(county.leader)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("approval_list"), PERIOD)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for _ in range(n):
            project = make_project(county.bureau, county.town)
            services.approval_steps_init(actor=county.bureau, project=project)
            record(county.bureau, project, "用地预审", filed_on=days_ago(9), planned_on=days_ago(2))

    add(1)
    few = count()
    add(8)  # 63 steps: two pages
    assert count() == few


def test_it_refuses_a_future_month_and_keeps_the_other_filters(county, history, client_for):
    future = format_month(add_months(current_month(), 1))
    response = client_for(county.reporter).get(reverse("approval_list"), {"end": future, "overdue": "on"})
    assert response.status_code == 200
    assert "不能选择未来月份" in response.content.decode()
    assert [s.name for s in response.context["page"]] == ["规划许可", "规划许可"]
    assert response.context["period"] == (current_month().replace(month=1), current_month())
