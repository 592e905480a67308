"""A city-wide install holds several counties, each with its own 部门. A project's problems and approval steps go
to the departments of its own county (or of the city above it), never to a neighbouring county's."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.coordination.helpers import raise_problem
from tests.factories import make_unit
from zhaoshang.construction import services as step_services
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.coordination import problems
from zhaoshang.core.periods import today
from zhaoshang.org.departments import departments_serving

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(county):
    """邻县, another county of the same install, with its own 自然资源局."""
    other = make_unit("邻县", "县区")
    return make_unit("邻县自然资源和规划局", "部门", other, county.department.group)


def test_only_the_projects_own_county_departments_are_offered(county, neighbour, client_for):
    offered = set(departments_serving(county.project.responsible_unit))
    assert county.department in offered and neighbour not in offered
    problem = raise_problem(county)
    page = client_for(county.bureau).get(reverse("problem_detail", args=[problem.pk])).content.decode()
    assert county.department.name in page and neighbour.name not in page
    page = client_for(county.reporter).get(reverse("project_approvals", args=[county.project.pk])).content.decode()
    assert neighbour.name not in page
    assert neighbour.name not in client_for(county.bureau).get(reverse("problem_list")).content.decode()


def test_a_neighbouring_countys_department_is_refused_on_every_path(county, neighbour, client_for):
    problem = raise_problem(county)
    with pytest.raises(ValidationError, match="不是本项目所在县区"):
        problems.problem_assign(
            actor=county.bureau, problem=problem, department=neighbour, deadline=today() + timedelta(days=5)
        )
    response = client_for(county.bureau).post(
        reverse("problem_assign", args=[problem.pk]),
        {"department": neighbour.pk, "deadline": (today() + timedelta(days=5)).isoformat()},
    )
    assert response.status_code in (200, 302)
    problem.refresh_from_db()
    assert problem.department_id is None

    step_services.approval_steps_init(actor=county.reporter, project=county.project)
    step = ApprovalStep.objects.get(project=county.project, name="用地预审")
    with pytest.raises(ValidationError, match="不是本项目所在县区"):
        step_services.approval_step_save(actor=county.reporter, step=step, values={"department": neighbour})
    step.refresh_from_db()
    assert step.department == county.department


def test_standard_steps_never_default_to_another_countys_department(county, neighbour):
    county.department.is_active = False  # this county has no 自然资源 department in service
    county.department.save()
    step_services.approval_steps_init(actor=county.reporter, project=county.project)
    assert ApprovalStep.objects.get(project=county.project, name="用地预审").department is None
