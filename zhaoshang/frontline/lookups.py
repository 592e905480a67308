"""One lead through the user's scope: 404 outside it, as for a project."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhaoshang.frontline.models import LeadProfile
from zhaoshang.projects.lookups import can_edit_project


def get_lead_for_user(request, pk) -> tuple[LeadProfile, bool]:
    """(profile, can_edit); 404 when the lead is not one the user reads."""
    profile = (
        LeadProfile.objects.readable_by(request.user)
        .select_related("project__responsible_unit", "project__team", "first_responsible")
        .filter(pk=pk)
        .first()
    )
    if profile is None:
        raise Http404("线索不存在或不在您的权限范围内")
    return profile, can_edit_project(request.user, profile.project)


def get_lead_for_edit(request, pk) -> LeadProfile:
    profile, can_edit = get_lead_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied("您只能查看此线索，不能修改")
    return profile
