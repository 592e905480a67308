"""One 调度 agenda (coordination/agenda.py) feeds both the dispatch meeting's agenda and the 调度 material of the
meeting rhythm: for the same unit and report month they take up the same items."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.bulletins.test_gongwen import OFFICE
from tests.factories import make_project
from zhaoshang.bulletins import meetings as rhythm
from zhaoshang.bulletins.services import office_save
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.coordination import agenda, meetings, problems
from zhaoshang.coordination.meeting_models import ItemKind
from zhaoshang.coordination.models import Problem
from zhaoshang.core.periods import today
from zhaoshang.projects import figures, services

pytestmark = pytest.mark.django_db
Y = today().year - 1  # a finished year
MONTH = date(Y, 9, 1)  # the report month; the meeting is held at the start of the next
HELD_ON = date(Y, 10, 1)

# the material's tables, by title, for each kind of the meeting's items
TABLES = {
    ItemKind.BEHIND: "进度滞后的重点项目",
    ItemKind.LATE_START: "签约后3个月未开工的项目",
    ItemKind.STALLED: "3个月以上没有阶段变化的项目",
    ItemKind.PROBLEM: "待协调解决的问题",
    ItemKind.APPROVAL: "逾期未办结的前期手续",
    ItemKind.CARRIED: "上次会议议定事项落实情况",
}


@pytest.fixture
def business(county):
    """One of each: a task of the last meeting not done, an open problem, an overdue approval step, a key project
    behind plan, a project signed in February and not started, a project whose stage has not moved since March."""
    last = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=date(Y, 8, 20))
    item = meetings.agenda_item_add(actor=county.bureau, meeting=last, title="甲镇道路配套")
    meetings.agenda_item_decide(
        actor=county.bureau, item=item, decision="甲镇完成道路招标。", owner=county.town, deadline=date(Y, 9, 10)
    )
    meetings.meeting_close(actor=county.bureau, meeting=last)
    problem = problems.problem_raise(
        actor=county.reporter, project=county.project, category="用地", description="用地指标未落实"
    )
    Problem.objects.filter(pk=problem.pk).update(raised_at=timezone.make_aware(datetime(Y, 9, 1, 9)))
    ApprovalStep.objects.create(
        project=county.park_project, name="用地预审", department=county.department, planned_on=date(Y, 8, 1)
    )
    key = make_project(
        county.bureau, county.town, signed_on=date(Y, 1, 5), stage="开工", started_on=date(Y, 3, 1), key_level="市重点"
    )
    figures.annual_plan_set(actor=county.bureau, project=key, year=Y, amount=Decimal("1200"))
    figures.monthly_investment_set(actor=county.bureau, project=key, month=date(Y, 3, 1), amount=Decimal("100"))
    make_project(county.bureau, county.town, signed_on=date(Y, 2, 10), leader_in_charge="王县长")
    moving = make_project(county.bureau, county.town, signed_on=date(Y, 6, 1))
    services.project_change_stage(actor=county.bureau, project=moving, to_stage="注册", on_date=date(Y, 8, 20))


def _meeting_items(meeting) -> dict:
    found = {kind: [] for kind in TABLES}
    for item in meeting.items.order_by("sort_order"):
        if item.kind == ItemKind.CARRIED:
            found[item.kind].append(item.carried_task.decision)
        else:
            found[item.kind].append(item.title.split()[0])  # the project's code
    return found


def _material_items(material) -> dict:
    tables = {table.title: table for table in material.tables}
    found = {}
    for kind, title in TABLES.items():
        rows = tables[title].rows
        column = 1 if kind == ItemKind.CARRIED else 0
        found[kind] = [row.values[column] if column else row.values[0].split()[0] for row in rows]
    return found


def test_the_meeting_and_the_material_take_up_the_same_items(county, business):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=HELD_ON)
    on_agenda = _meeting_items(meeting)
    assert all(on_agenda.values()), on_agenda  # one of each kind at least
    assert _material_items(rhythm.dispatch(county.root, MONTH)) == on_agenda


def test_each_list_of_projects_keeps_its_worst_and_counts_the_rest(county, business, settings):
    for n in range(agenda.ON_AGENDA + 2):
        make_project(county.bureau, county.other_town, signed_on=date(Y, 3, 1 + n))
    computed = agenda.dispatch_agenda(county.root, MONTH)
    assert len(computed.late_starts) == agenda.ON_AGENDA and computed.late_starts_total > agenda.ON_AGENDA
    assert computed.late_starts[0].project.signed_on == date(Y, 2, 10)  # the longest late first
    material = rhythm.dispatch(county.root, MONTH)
    assert f"签约超期未开工项目{computed.late_starts_total}个" in material.paragraphs[0]
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=HELD_ON)
    assert meeting.items.filter(kind=ItemKind.LATE_START).count() == agenda.ON_AGENDA


def test_a_meeting_takes_up_the_n_the_bureau_set_for_its_unit_as_the_material_does(county, business):
    """N is the unit's 发文设置 清单列示条数 (bulletins hands its reader to coordination, which may not import it):
    set to 5, the meeting drafts the worst 5 of each list of projects, the same 5 the 调度 material shows."""
    for n in range(8):
        make_project(county.bureau, county.other_town, signed_on=date(Y, 3, 1 + n))
    office_save(actor=county.bureau, unit=county.root, values={**OFFICE, "list_limit": 5})
    assert agenda.agenda_limit(county.root) == 5 and agenda.agenda_limit(county.town) == agenda.ON_AGENDA
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=HELD_ON)
    assert meeting.items.filter(kind=ItemKind.LATE_START).count() == 5
    assert _meeting_items(meeting) == _material_items(rhythm.dispatch(county.root, MONTH))
