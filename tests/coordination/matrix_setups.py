"""Setups and checks for the problem list's rows of the permission matrix (tests/org/test_permissions.py).
Each leaves one problem on 甲镇's project (and one on 乙镇's) in the state the row's step starts from."""

from datetime import timedelta

from zhaoshang.coordination import problems
from zhaoshang.coordination.models import Problem
from zhaoshang.core.periods import today

PROBLEM_TEXT = "权限矩阵：施工用地尚未交付"


def raised(c):
    for project, actor in ((c.project, c.reporter), (c.other_project, c.outsider)):
        problems.problem_raise(actor=actor, project=project, category="用地", description="征地拆迁未完成")


def assigned(c):
    raised(c)
    problems.problem_assign(
        actor=c.bureau, problem=town_problem(c), department=c.department, deadline=today() + timedelta(days=10)
    )


def answered(c):
    assigned(c)
    problems.problem_answer(actor=c.bureau, problem=town_problem(c), answer="已完成交地")


def town_problem(c) -> Problem:
    return Problem.objects.get(project=c.project)


def town_problem_pk(c) -> int:
    return town_problem(c).pk


def other_problem_pk(c) -> int:
    return Problem.objects.get(project=c.other_project).pk


def create_data(c):
    return {"project": c.project.pk, "category": "用地", "description": PROBLEM_TEXT, "help_wanted": ""}


def assign_data(c):
    return {"department": c.department.pk, "deadline": (today() + timedelta(days=7)).isoformat(), "note": ""}


def status_is(status):
    return lambda c: town_problem(c).status == status
