"""Dispatch meetings (调度会): the agenda drafted from open problems, overdue approvals and key projects behind
plan; decisions with owner and deadline becoming tracked tasks; the minutes as a docx read back; the next
meeting opening with what the last one decided and whether it was done."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.coordination import meetings, problems
from zhaoshang.coordination.meeting_models import ItemKind, MeetingTask, TaskStatus
from zhaoshang.core.periods import add_months, current_month, today
from zhaoshang.org.models import Unit
from zhaoshang.projects import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def business(county):
    """An assigned problem on 甲镇's project, an approval step 40 days overdue, a key project behind plan."""
    problem = problems.problem_raise(
        actor=county.reporter,
        project=county.project,
        category="用地",
        description="用地指标未落实",
        help_wanted="协调用地指标",
    )
    problems.problem_assign(
        actor=county.bureau, problem=problem, department=county.department, deadline=today() + timedelta(days=10)
    )
    ApprovalStep.objects.create(
        project=county.park_project,
        name="用地预审",
        department=county.department,
        planned_on=today() - timedelta(days=40),
    )
    key = make_project(county.bureau, county.town, key_level="县重点", name="重点滞后项目")
    year = add_months(current_month(), -1).year
    figures.annual_plan_set(actor=county.bureau, project=key, year=year, amount=Decimal("12000"))
    return {"problem": problem, "key": key}


def test_it_drafts_the_agenda_from_problems_overdue_approvals_and_projects_behind(county, business):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    items = list(meeting.items.all())
    kinds = [i.kind for i in items]
    order = [
        ItemKind.CARRIED,
        ItemKind.PROBLEM,
        ItemKind.APPROVAL,
        ItemKind.BEHIND,
        ItemKind.LATE_START,
        ItemKind.STALLED,
        ItemKind.OTHER,
    ]
    assert kinds == sorted(kinds, key=order.index)
    problem_item = next(i for i in items if i.kind == ItemKind.PROBLEM)
    assert problem_item.problem == business["problem"] and "用地指标未落实" in problem_item.detail
    approval = next(i for i in items if i.kind == ItemKind.APPROVAL)
    assert "用地预审逾期40天" in approval.title and approval.project == county.park_project
    if current_month().month > 1:  # January's report month is last year's December: no plan of this year behind yet
        assert any(i.kind == ItemKind.BEHIND and "重点滞后项目" in i.title for i in items)
    assert AuditEntry.objects.filter(action="meeting.created", actor=county.bureau).exists()


def test_decisions_become_tasks_the_owner_reports_done_and_the_next_meeting_hears(county, business, client_for):
    first = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today() - timedelta(days=30))
    item = first.items.filter(kind=ItemKind.PROBLEM).first() or meetings.agenda_item_add(
        actor=county.bureau, meeting=first, title="甲镇用地问题"
    )
    other = meetings.agenda_item_add(actor=county.bureau, meeting=first, title="乙镇道路配套")
    with pytest.raises(ValidationError) as refused:
        meetings.agenda_item_decide(actor=county.bureau, item=item, decision="", owner=None, deadline=None)
    assert set(refused.value.message_dict) == {"decision", "owner", "deadline"}
    task = meetings.agenda_item_decide(
        actor=county.bureau,
        item=item,
        decision="自然资源局两周内调剂用地指标。",
        owner=county.town,
        deadline=today() - timedelta(days=5),
    )
    meetings.agenda_item_decide(
        actor=county.bureau,
        item=other,
        decision="乙镇完成道路招标。",
        owner=county.other_town,
        deadline=today() - timedelta(days=1),
    )
    meetings.meeting_close(actor=county.bureau, meeting=first, summary="会议听取了项目推进情况。")
    with pytest.raises(ValidationError, match="会议已结束"):
        meetings.agenda_item_decide(actor=county.bureau, item=item, decision="改", owner=county.town, deadline=today())

    # The owner unit reports its task done; another unit cannot, and does not even see it.
    assert (
        client_for(county.outsider)
        .post(reverse("task_done", args=[task.pk]), {"done_on": today(), "note": "x"})
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        meetings.task_done(actor=county.leader, task=task, done_on=today(), note="x")
    response = client_for(county.reporter).post(
        reverse("task_done", args=[task.pk]), {"done_on": today().isoformat(), "note": "已调剂指标50亩"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.done_note, task.done_by) == (TaskStatus.DONE, "已调剂指标50亩", county.reporter)
    assert AuditEntry.objects.filter(action="meeting.task_done", actor=county.reporter).exists()

    second = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    carried = list(second.items.filter(kind=ItemKind.CARRIED).order_by("sort_order"))
    assert [c.carried_task for c in carried] == [task, MeetingTask.objects.get(item=other)]
    assert "落实情况：已完成（已调剂指标50亩）" in carried[0].detail
    assert "落实情况：逾期未完成" in carried[1].detail
    assert second.items.order_by("sort_order").first().kind == ItemKind.CARRIED  # the meeting opens with them


def test_the_minutes_docx_reads_back_with_decisions_and_follow_up(county, business, client_for):
    meeting = meetings.meeting_create(
        actor=county.bureau, unit=county.root, held_on=today(), chair="李县长", place="县政府三楼会议室"
    )
    item = meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title="园区供电扩容")
    meetings.agenda_item_decide(
        actor=county.bureau,
        item=item,
        decision="供电公司月底前完成线路改造。",
        owner=county.town_park,
        deadline=today() + timedelta(days=20),
    )
    response = client_for(county.leader).get(reverse("dispatch_detail", args=[meeting.pk]), {"format": "docx"})
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{meeting.title}会议纪要" in text and "李县长主持召开" in text
    assert "关于园区供电扩容。会议议定：供电公司月底前完成线路改造。责任单位：甲镇工业园" in text
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "供电公司月底前完成线路改造。" in cells and "甲镇工业园" in cells


def test_meetings_are_for_readers_of_their_unit_and_writes_for_the_bureau(county, business, client_for):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    assert client_for(county.reporter).get(reverse("dispatch_detail", args=[meeting.pk])).status_code == 404
    assert client_for(county.leader).get(reverse("dispatch_detail", args=[meeting.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        meetings.meeting_create(actor=county.unit_head, unit=county.town, held_on=today())


def test_the_bulletins_dispatch_material_lists_open_problems(county, business, client_for):
    response = client_for(county.bureau).get(
        reverse("meeting_material", args=["dispatch"]), {"month": current_month().strftime("%Y-%m")}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "待协调解决的问题" in body and "用地指标未落实" in body and "自然资源局" in body


def test_an_open_meeting_page_costs_the_same_queries_however_long_its_agenda(county, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    client = client_for(county.bureau)
    url = reverse("dispatch_detail", args=[meeting.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title="议题一")
    few = queries()
    for n in range(10):
        meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title=f"议题{n + 2}")
    assert queries() == few


def test_tasks_of_a_meeting_in_session_are_not_reminded_yet(county):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    item = meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title="议题")
    meetings.agenda_item_decide(actor=county.bureau, item=item, decision="办", owner=county.town, deadline=today())
    assert list(meetings.tasks_due(today())) == []
    meetings.meeting_close(actor=county.bureau, meeting=meeting)
    assert len(meetings.tasks_due(today())) == 1


def test_the_decision_form_shows_the_owner_already_chosen(county, client_for):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    first = meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title="甲镇议题")
    meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title="未议定议题")
    meetings.agenda_item_decide(actor=county.bureau, item=first, decision="办", owner=county.town, deadline=today())
    body = client_for(county.bureau).get(reverse("dispatch_detail", args=[meeting.pk])).content.decode()
    assert body.count(f'<option value="{county.town.pk}" selected>甲镇</option>') == 1
    # An undecided item about a project of 甲镇 offers 甲镇 from the start; the others start empty.
    of_town = meeting.items.filter(task__isnull=True, project__responsible_unit=county.town).count()
    template = body[body.index('<template id="unit-options">') :]
    assert body.count(f'<option value="{county.town.pk}">甲镇</option>') == of_town + 1  # + the page's one list
    assert f'<option value="{county.other_town.pk}">乙镇</option>' in template


def test_the_units_of_a_meeting_are_on_its_page_once_whatever_its_length(county, client_for):
    """A city's meeting of 600 items and 161 units was a 5.6 MB page: every item carried every unit."""
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    for n in range(40):
        meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title=f"议题{n}")
    body = client_for(county.bureau).get(reverse("dispatch_detail", args=[meeting.pk])).content.decode()
    units = Unit.objects.under(county.root).filter(is_active=True).count()
    items = meeting.items.count()
    assert body.count('<template id="unit-options">') == 1
    assert body.count("<option") <= units + 2 * items  # the list once, and at most two options per item
    assert body.count(f'<option value="{county.department.pk}">') == 1


def test_a_project_behind_is_said_to_be_behind_by_its_gap_in_points(county, business):
    """完成投资低于序时进度X个百分点: X is the gap itself (nothing invested of a plan at month M is M/12 × 100 points
    behind), not a hundred times it (it read 8333.3个百分点)."""
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    month = add_months(current_month(), -1)
    expected = (Decimal(month.month) * 100 / 12).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
    item = next(i for i in meeting.items.all() if i.kind == ItemKind.BEHIND and "重点滞后项目" in i.title)
    assert f"完成投资低于序时进度{expected}个百分点" in item.title


def test_the_agenda_page_folds_each_kind_by_unit_with_counts(county, business, client_for):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title="其他临时议题", detail="")
    html = client_for(county.bureau).get(reverse("dispatch_detail", args=[meeting.pk])).content.decode()
    problems_count = meeting.items.filter(kind=ItemKind.PROBLEM).count()
    assert f'待协调问题<span class="count">（{problems_count}）</span>' in html
    # the problem is 甲镇's project's, the overdue step 甲镇工业园's: each under its own unit, with its count
    problems_part = html[html.index("待协调问题") : html.index("逾期前期手续")]
    assert '<summary>甲镇 <span class="count">1项</span></summary>' in problems_part
    approvals_part = html[html.index("逾期前期手续") :]
    assert '<summary>甲镇工业园 <span class="count">1项</span></summary>' in approvals_part
    assert '<summary>其他议题 <span class="count">1项</span></summary>' in html  # an item of no project
    assert "---------" not in html


def test_a_key_project_behind_is_linked_and_filed_under_its_unit(county, business, client_for):
    if current_month().month == 1:
        pytest.skip("January's report month is last year's December: no plan of this year behind yet")
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    behind = meeting.items.get(kind=ItemKind.BEHIND, title__contains="重点滞后项目")
    assert behind.project == business["key"]
    html = client_for(county.bureau).get(reverse("dispatch_detail", args=[meeting.pk])).content.decode()
    part = html[html.index("进度滞后的重点项目") :]
    assert '<summary>甲镇 <span class="count">1项</span></summary>' in part
