"""The meetings' material (点评, 调度, 小结, 观摩) is cached by the data's version (org/versions.py): each write it
shows, through its service, shows at once (compared with the material computed with no cache at all), a cached answer
takes a fixed number of queries, and no county reads another's material."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_project
from zhaoshang.bulletins import services as bulletin_services
from zhaoshang.construction import services as construction_services
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.coordination import meetings, problems
from zhaoshang.coordination.meeting_models import DispatchMeeting, MeetingTask
from zhaoshang.coordination.models import Problem
from zhaoshang.core.periods import current_month, format_month, today
from zhaoshang.org import versions
from zhaoshang.projects import figures
from zhaoshang.reporting import services as reporting_services

pytestmark = pytest.mark.django_db
MONTH = current_month()
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def material(client, kind: str, unit) -> dict:
    """What the material shows of the data: its paragraphs and its tables (title, count in all, rows), and on the
    观摩 page the picker's first page of candidates with what is ticked."""
    response = client.get(reverse("meeting_material", args=[kind]), {"month": format_month(MONTH), "unit": unit.pk})
    assert response.status_code == 200
    shown = response.context["material"]
    picker = response.context["picker"]
    return {
        "paragraphs": list(shown.paragraphs),
        "tables": [(t.title, t.total, [row.values for row in t.rows]) for t in shown.tables],
        "picker": None if picker is None else [(p.pk, p.pk in shown.chosen) for p in picker.object_list],
    }


def fresh(client, kind: str, unit) -> dict:
    with override_settings(CACHES=NO_CACHE):
        return material(client, kind, unit)


# ----- each write, through its service: (what is there before, the write, the material that shows it) -----
def _overdue_step(c):
    ApprovalStep.objects.create(
        project=c.park_project, name="用地预审", department=c.department, planned_on=today() - timedelta(days=40)
    )


def _step_done(c):
    step = ApprovalStep.objects.get(name="用地预审")
    construction_services.approval_step_save(
        actor=c.bureau, step=step, values={"filed_on": today() - timedelta(days=30), "done_on": today()}
    )


def _step_added(c):
    values = {"name": "消防设计审查", "department": c.department, "planned_on": today() - timedelta(days=3)}
    construction_services.approval_step_create(actor=c.bureau, project=c.project, values=values)


def _raise(c):
    problems.problem_raise(actor=c.reporter, project=c.project, category="用地", description="用地指标未落实")


def _assign(c):
    problems.problem_assign(
        actor=c.bureau, problem=Problem.objects.get(), department=c.department, deadline=today() + timedelta(days=9)
    )


def _meeting_with_item(c):
    meeting = meetings.meeting_create(actor=c.bureau, unit=c.root, held_on=today())
    meetings.agenda_item_add(actor=c.bureau, meeting=meeting, title="园区道路")


def _meeting(c):
    meetings.meeting_create(actor=c.bureau, unit=c.root, held_on=today())


def _decide(c):
    item = meetings.agenda_item_add(actor=c.bureau, meeting=c.root_meeting(), title="园区道路")
    meetings.agenda_item_decide(actor=c.bureau, item=item, decision="月底通车", owner=c.town, deadline=today())


def _decided_and_closed(c):
    _meeting_with_item(c)
    item = c.root_meeting().items.get(title="园区道路")
    meetings.agenda_item_decide(actor=c.bureau, item=item, decision="月底通车", owner=c.town, deadline=today())
    meetings.meeting_close(actor=c.bureau, meeting=c.root_meeting())


def _task_done(c):
    meetings.task_done(actor=c.reporter, task=MeetingTask.objects.get(), done_on=today(), note="已通车")


def _decided_closed_and_done(c):
    _decided_and_closed(c)
    _task_done(c)


def _candidate(c):
    project = make_project(c.bureau, c.town, stage="开工", started_on=today().replace(day=1), planned_total=300)
    figures.monthly_investment_set(actor=c.bureau, project=project, month=MONTH, amount=Decimal("150"))
    c.candidate = project


def _pick(c):
    bulletin_services.observation_pick(actor=c.bureau, project=c.candidate, month=MONTH, picked=True)


def _unpick(c):
    bulletin_services.observation_pick(actor=c.bureau, project=c.candidate, month=MONTH, picked=False)


def _picked(c):
    _candidate(c)
    _pick(c)


def _confirm(c):
    reporting_services.unit_month_confirm(actor=c.unit_head, unit=c.town, month=MONTH)


def _nothing(c):
    pass


# name: (setup, write, the material that shows it, the table it moves)
WRITES = {
    "approval step done": (_overdue_step, _step_done, "dispatch", "construction_approvalstep"),
    "approval step added": (_nothing, _step_added, "dispatch", "construction_approvalstep"),
    "problem raised": (_nothing, _raise, "dispatch", "coordination_problem"),
    "problem assigned": (_raise, _assign, "dispatch", "coordination_problem"),
    # the next meeting: the last one's tasks done since are no longer followed up
    "next meeting held": (_decided_closed_and_done, _meeting, "dispatch", "coordination_dispatchmeeting"),
    "agenda item decided": (_meeting, _decide, "dispatch", "coordination_meetingtask"),
    "task done": (_decided_and_closed, _task_done, "dispatch", "coordination_meetingtask"),
    "observation pick": (_candidate, _pick, "observation", "bulletins_observationpick"),
    "observation unpick": (_picked, _unpick, "observation", "bulletins_observationpick"),
    "month confirmed": (_nothing, _confirm, "review", "reporting_unitmonthreport"),
}


@pytest.fixture
def c(city):
    """测试县 of a city install (the city's material must follow its writes too)."""
    county = city.county
    county.root_meeting = lambda: DispatchMeeting.objects.get(unit=county.root)
    return county


@pytest.mark.parametrize("kind", WRITES)
def test_a_write_shows_at_once_in_the_meeting_material(city, c, client_for, kind):
    setup, write, page, table = WRITES[kind]
    assert table in versions.WATCHED
    setup(c)
    county_bureau, city_bureau = client_for(c.bureau), client_for(city.city_bureau)
    before = material(county_bureau, page, c.root)
    material(city_bureau, page, city.root)
    assert material(county_bureau, page, c.root) == before  # from the cache now
    write(c)
    after = material(county_bureau, page, c.root)
    assert after == fresh(county_bureau, page, c.root)
    assert after != before, "the material did not change"
    assert material(city_bureau, page, city.root) == fresh(city_bureau, page, city.root)


@pytest.mark.parametrize("kind", ["review", "dispatch", "summary", "observation"])
def test_a_cached_material_takes_a_fixed_number_of_queries(c, client_for, kind):
    """Warm: the session, the user, its memberships (with their units), the version, the unread count, the
    session's renewal (three statements), and for 观摩 the office's N for the bureau's picker (whose first page is
    the material's shortlist, from the cache too)."""
    _decided_and_closed(c)
    _raise(c)
    _overdue_step(c)
    _picked(c)
    client = client_for(c.bureau)
    url = reverse("meeting_material", args=[kind]) + f"?month={format_month(MONTH)}"
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert len(warm) < len(cold)
    assert len(warm) == WARM[kind], [q["sql"][:80] for q in warm.captured_queries]


WARM = {"review": 8, "dispatch": 8, "summary": 8, "observation": 9}


def test_counties_never_read_each_others_material(city, c, client_for):
    _raise(c)
    _overdue_step(c)
    _picked(c)
    mine, theirs = client_for(c.bureau), client_for(city.n_bureau)
    for kind in ("dispatch", "observation"):
        assert material(mine, kind, c.root) == fresh(mine, kind, c.root)
        neighbour = material(theirs, kind, city.neighbour)
        assert neighbour == fresh(theirs, kind, city.neighbour)
        shown = repr(neighbour)
        assert "用地" not in shown and c.project.code not in shown and c.candidate.code not in shown
    # the 观摩 material counts the picks of its own subtree only: 测试县's pick is not the neighbour's
    assert "已选定1个" in material(mine, "observation", c.root)["paragraphs"][0]
    assert "已选定0个" in material(theirs, "observation", city.neighbour)["paragraphs"][0]
    # a write in 测试县 leaves the neighbour's version (and its cached material) as it was
    before = versions.version_for(city.neighbour)
    _assign(c)
    assert versions.version_for(city.neighbour) == before
    # and the neighbour's reporter may not ask for 测试县's material at all
    reporter = client_for(city.n_reporter)
    url = reverse("meeting_material", args=["dispatch"])
    assert reporter.get(url, {"month": format_month(MONTH), "unit": c.root.pk}).status_code == 404
