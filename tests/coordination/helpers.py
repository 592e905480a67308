"""Building problems through the product's own services, for the coordination tests."""

from datetime import timedelta

from tests.factories import make_unit, make_user
from zhaoshang.coordination import problems
from zhaoshang.core.periods import today
from zhaoshang.org.models import Role


def raise_problem(county, *, project=None, actor=None, category="用地", description="用地指标未落实"):
    return problems.problem_raise(
        actor=actor or county.reporter,
        project=project or county.project,
        category=category,
        description=description,
        help_wanted="请协调自然资源部门加快办理",
    )


def assigned(county, *, department=None, days=10, **kwargs):
    problem = raise_problem(county, **kwargs)
    return problems.problem_assign(
        actor=county.bureau,
        problem=problem,
        department=department or county.department,
        deadline=today() + timedelta(days=days),
    )


def answered(county, **kwargs):
    problem = assigned(county, **kwargs)
    return problems.problem_answer(actor=county.bureau, problem=problem, answer="已完成用地报批")


def second_department(county):
    """住建局 with its own reporter: it must not see 自然资源局's problems."""
    unit = make_unit("住房和城乡建设局", "部门", county.root, county.department.group)
    return unit, make_user("zjj", unit, Role.REPORTER)
