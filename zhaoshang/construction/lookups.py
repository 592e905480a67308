"""get_steps_for_user: the one way a view fetches a project's approval steps."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhaoshang.construction.models import ApprovalStep
from zhaoshang.construction.queries import steps_for_project
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.lookups import get_project_for_user
from zhaoshang.projects.models import Project


@dataclass
class ProjectSteps:
    project: Project
    steps: list[ApprovalStep]  # the steps this user may see: all of them, or a department's own
    manage: bool  # may add, plan, assign and delete (the project's unit and the bureau)
    approvable: set[int]  # the steps whose 申报/办结 this user records as their department
    reads_project: bool  # may open the project's own page

    def can_write(self, step: ApprovalStep) -> bool:
        return self.manage or step.pk in self.approvable


def get_steps_for_user(request, pk) -> ProjectSteps:
    """A project's steps as this user may see them; 404 when it may see neither the project nor any of its steps.
    A department's user who cannot read the project still sees the steps assigned to its department."""
    user = request.user
    try:
        project, manage = get_project_for_user(request, pk)
    except Http404:
        steps = list(
            ApprovalStep.objects.readable_by(user)
            .filter(project_id=pk)
            .select_related("project__responsible_unit", "department")
        )
        if not steps:
            raise
        project, manage, reads = steps[0].project, False, False
        for step in steps:
            step.project = project
    else:
        steps, reads = steps_for_project(project), True
    editable = editable_unit_ids(user)
    approvable = {s.pk for s in steps if s.department_id in editable}
    return ProjectSteps(project, steps, manage, approvable, reads)


def get_steps_for_edit(request, pk) -> ProjectSteps:
    found = get_steps_for_user(request, pk)
    if not found.manage and not found.approvable:
        raise PermissionDenied("您只能查看此项目的前期手续，不能修改")
    return found
