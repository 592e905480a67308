"""The approval list's reads that a city's numbers of steps shaped (issue 15): the same rows in the same order as
before, read a part at a time; the same scope without the OR where it adds nothing; the summary in one query."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.construction.conftest import days_ago
from tests.construction.test_list import END, PERIOD, START, history, record  # noqa: F401  (fixture)
from tests.factories import make_project
from tests.xlsx_cells import content
from zhaoshang.construction import queries, services
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.periods import today
from zhaoshang.org.scoping import readable_unit_ids
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(county, history):  # noqa: F811
    """A few more projects whose steps fall in every part: overdue, in progress, not started, done; some with no
    planned date, some on the same planned date (the order falls to the project's code and the step's order)."""
    b = county.bureau
    for n in range(4):
        project = make_project(b, county.town if n % 2 else county.town_park)
        services.approval_steps_init(actor=b, project=project)
        record(b, project, "立项/备案", filed_on=days_ago(60), done_on=days_ago(50 - n), planned_on=days_ago(55))
        record(b, project, "用地预审", filed_on=days_ago(20), planned_on=days_ago(7))
        record(b, project, "环评", planned_on=days_ago(7))
        record(b, project, "能评", filed_on=days_ago(3))
        record(b, project, "土地出让", planned_on=today())


def ids(steps):
    return [s.pk for s in steps]


@pytest.mark.parametrize("size", [1, 3, 7, 50])
def test_a_page_at_a_time_gives_the_rows_and_order_of_sorting_them_all(county, many, size):
    steps = ApprovalStep.objects.readable_by(county.bureau).select_related("project", "department")
    day = today()
    everything = ids(queries.overdue_first(steps, day))
    parts = queries.OverdueFirst(steps, day)
    assert parts.count() == len(everything) and all(parts.sizes)  # every part has rows here
    paged = [pk for start in range(0, len(everything), size) for pk in ids(parts[start : start + size])]
    assert paged == everything


def test_the_filters_keep_the_same_rows_and_order(county, many, client_for):
    for params in ({"status": "进行中"}, {"overdue": "on"}, {"step": "用地预审"}, {"department": ""}):
        response = client_for(county.bureau).get(reverse("approval_list"), {**PERIOD, **params})
        page = response.context["page"]
        form = response.context["form"]
        steps = form.apply(ApprovalStep.objects.readable_by(county.bureau))
        assert ids(page.object_list) == ids(queries.overdue_first(steps, today()))[:50], params


def test_no_page_sorts_every_step_on_a_computed_rank(county, many, client_for):
    with CaptureQueriesContext(connection) as ctx:
        client_for(county.bureau).get(reverse("approval_list"), PERIOD)
    assert not [q["sql"] for q in ctx.captured_queries if "CASE WHEN" in q["sql"] and "ORDER BY" in q["sql"]]


def test_the_scope_is_the_projects_read_or_the_departments_read_as_before(city):
    """Asked of every user of a two-county city, including a department's reporter (steps of other projects it
    handles) and the root's readers (no condition at all)."""
    county = city.county
    services.approval_steps_init(actor=county.bureau, project=county.project)
    services.approval_steps_init(actor=county.bureau, project=county.other_project)
    services.approval_steps_init(actor=city.n_bureau, project=city.n_project)
    users = [
        county.reporter, county.unit_head, county.bureau, county.leader, county.dept_user, county.outsider,
        city.city_bureau, city.city_leader, city.n_bureau, city.n_leader, city.n_reporter, city.n_unit_head,
    ]  # fmt: skip
    for user in users:
        before = ApprovalStep.objects.filter(
            Q(project__in=Project.objects.readable_by(user).values("pk")) | Q(department_id__in=readable_unit_ids(user))
        )
        assert set(ids(ApprovalStep.objects.readable_by(user))) == set(ids(before)), user.username
    assert ApprovalStep.objects.readable_by(county.dept_user).exclude(department=county.department).count() == 0
    assert "WHERE" not in str(ApprovalStep.objects.readable_by(city.city_bureau).query)


def test_the_summary_is_one_query_whatever_it_groups(county, history, django_assert_num_queries):  # noqa: F811
    steps = ApprovalStep.objects.readable_by(county.bureau)
    with django_assert_num_queries(1):
        found = queries.summaries(steps, start=START, end=END, today=today())
    assert found.total.done == sum(row.done for row in found.by_department)
    assert found.total.done == sum(row.done for row in found.by_step)


def test_the_xlsx_reads_the_summary_once_for_both_sheets_and_the_total(county, history, client_for):  # noqa: F811
    """Before, each summary sheet and the total asked `summaries` again: three grouped queries for one."""
    with CaptureQueriesContext(connection) as ctx:
        response = client_for(county.bureau).get(reverse("approval_list"), {"format": "xlsx", **PERIOD})
        assert content(response)  # the file is written (the summary sheets read) inside the capture
    grouped = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"] and "approvalstep" in q["sql"]]
    assert len(grouped) == 1, grouped
