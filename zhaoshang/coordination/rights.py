"""Who may take which step on a problem. Reading goes through Problem.objects.readable_by (404 outside it);
these answer the write questions (403 when false), for the pages and the services alike."""

from zhaoshang.coordination.models import Problem
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin
from zhaoshang.projects.lookups import can_edit_project


def can_raise(user, project) -> bool:
    """Writers of the project's responsible unit, and the bureau."""
    return is_bureau_admin(user) or can_edit_project(user, project)


def can_assign(user) -> bool:
    return is_bureau_admin(user)


def can_answer(user, problem: Problem) -> bool:
    """Writers of the assigned department, and the bureau."""
    if is_bureau_admin(user):
        return True
    return problem.department_id is not None and problem.department_id in editable_unit_ids(user)


def can_confirm(user, problem: Problem) -> bool:
    """The raising side decides whether the answer solved it: writers of the project's unit, and the bureau."""
    return is_bureau_admin(user) or can_edit_project(user, problem.project)
