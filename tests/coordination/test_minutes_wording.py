"""The minutes read out on their own: every decision names its project (name, code, 责任单位) and the unit that
owes it, the last meeting's decisions too; the opening says what the meeting heard, each kind with its count,
adding up to the agenda."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from tests.factories import make_project
from zhaoshang.coordination import meetings, problems
from zhaoshang.coordination.meeting_models import ItemKind
from zhaoshang.coordination.minutes import minutes_content
from zhaoshang.coordination.models import Problem
from zhaoshang.core.periods import add_months, current_month, today
from zhaoshang.projects import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(county):
    problem = problems.problem_raise(
        actor=county.reporter, project=county.project, category="资金", description="资金缺口", help_wanted="协调贷款"
    )
    problems.problem_assign(
        actor=county.bureau, problem=problem, department=county.department, deadline=today() + timedelta(days=10)
    )
    # raised 40 days ago (the clock cannot be set back in a service): open at a meeting held 30 days ago
    Problem.objects.filter(pk=problem.pk).update(raised_at=problem.raised_at - timedelta(days=40))
    key = make_project(county.bureau, county.town, key_level="县重点", name="重点滞后项目")
    figures.annual_plan_set(
        actor=county.bureau, project=key, year=add_months(current_month(), -1).year, amount=Decimal("12000")
    )
    return {"problem": problem, "key": key}


def _decide(county, meeting, kind, decision):
    item = meeting.items.get(kind=kind, title__contains="重点滞后项目" if kind == ItemKind.BEHIND else "")
    meetings.agenda_item_decide(
        actor=county.bureau, item=item, decision=decision, owner=county.department, deadline=today() + timedelta(days=9)
    )
    return item


def test_a_decision_names_its_project_and_owner(county, agenda, client_for):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    _decide(county, meeting, ItemKind.PROBLEM, "由自然资源局牵头，限期协调解决资金问题")
    project = county.project
    response = client_for(county.leader).get(reverse("dispatch_detail", args=[meeting.pk]), {"format": "docx"})
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert (
        f"关于{project.name}（{project.code}，甲镇）资金问题。会议议定：由自然资源局牵头，限期协调解决资金问题。"
        "责任单位：自然资源局；完成时限："
    ) in text


@pytest.mark.skipif(current_month().month == 1, reason="January's report month is last December: no plan behind yet")
def test_a_key_project_behind_plan_is_an_item_on_its_project(county, agenda):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    item = _decide(county, meeting, ItemKind.BEHIND, "由甲镇督促加快投资进度")
    assert item.project == agenda["key"]
    words = "\n".join(minutes_content(meeting)["paragraphs"])
    assert f"关于重点滞后项目（{agenda['key'].code}，甲镇）完成投资低于序时进度" in words


def test_the_next_meetings_minutes_name_the_project_of_each_earlier_decision(county, agenda):
    first = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today() - timedelta(days=30))
    _decide(county, first, ItemKind.PROBLEM, "由自然资源局牵头，限期协调解决资金问题")
    meetings.meeting_close(actor=county.bureau, meeting=first)
    second = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    words = "\n".join(minutes_content(second)["paragraphs"])
    project = county.project
    assert (
        f"（一）关于{project.name}（{project.code}，甲镇）资金问题：由自然资源局牵头，限期协调解决资金问题。"
        "（责任单位：自然资源局，"
    ) in words


def test_the_opening_says_what_was_heard_and_the_counts_add_up(county, agenda):
    meeting = meetings.meeting_create(actor=county.bureau, unit=county.root, held_on=today())
    meetings.agenda_item_add(actor=county.bureau, meeting=meeting, title="园区供电扩容")
    items = list(meeting.items.all())
    opening = minutes_content(meeting)["paragraphs"][0]
    heard = re.search(r"听取了(.*)，共(\d+)项议题的情况汇报", opening)
    assert heard, opening
    counts = {name: int(n) for name, n in re.findall(r"([^、\d]+?)(\d+)项", heard.group(1))}
    assert counts["待协调问题"] == 1 and counts["其他事项"] == 1
    assert sum(counts.values()) == int(heard.group(2)) == len(items)
    assert "对其中" not in opening  # nothing decided yet
