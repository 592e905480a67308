"""Approval steps on top of the base county: a second department (住建局, with its own reporter) and helpers."""

from datetime import timedelta

import pytest

from tests.factories import make_unit, make_user
from zhaoshang.construction import services
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.periods import today
from zhaoshang.org.models import Role


@pytest.fixture
def housing(county):
    """住房和城乡建设局, a second 部门 with its reporter `zjj`: handles 施工许可."""
    unit = make_unit("住房和城乡建设局", "部门", county.root, county.department.group)
    unit.reporter = make_user("zjj", unit, Role.REPORTER)
    return unit


@pytest.fixture
def steps(county, housing):
    """甲镇's project with the seven standard steps, as its reporter generated them."""
    services.approval_steps_init(actor=county.reporter, project=county.project)
    return {s.name: s for s in ApprovalStep.objects.filter(project=county.project)}


def days_ago(n: int):
    return today() - timedelta(days=n)
