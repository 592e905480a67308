"""get_project_for_user: the one way a view fetches a single project; can_edit_project: the one answer to
"may this user edit this project" (its responsible unit is one the user writes), for pages and services alike."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.models import Project


def can_edit_project(user, project) -> bool:
    return project.responsible_unit_id in editable_unit_ids(user)


def get_project_for_user(request, pk) -> tuple[Project, bool]:
    """(project, can_edit); 404 when the project is outside what the user may read."""
    project = (
        Project.objects.readable_by(request.user)
        .select_related("responsible_unit", "team", "chain", "chain_link")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404("项目不存在或不在您的权限范围内")
    return project, can_edit_project(request.user, project)


def get_project_for_edit(request, pk) -> Project:
    project, can_edit = get_project_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied("您只能查看此项目，不能修改")
    return project
