"""Creating and editing a project, and moving its stage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import add_refusal
from zhaoshang.org.access import business_writer_required
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects import services
from zhaoshang.projects.forms import ProjectForm, StageChangeForm
from zhaoshang.projects.lookups import get_project_for_edit
from zhaoshang.projects.views.detail import project_page


@business_writer_required
def project_create(request):
    if not editable_unit_ids(request.user):
        raise PermissionDenied("您没有可填报的单位")
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"已新建项目 {project.code}")
            return redirect("project_detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@business_writer_required
def project_edit(request, pk):
    project = get_project_for_edit(request, pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.project_update(actor=request.user, project=project, values=form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "已保存" if changes else "没有需要保存的修改")
            return redirect("project_detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@require_POST
@business_writer_required
def project_stage(request, pk):
    project = get_project_for_edit(request, pk)
    form = StageChangeForm(request.POST, project=project)
    if form.is_valid():
        try:
            services.project_change_stage(
                actor=request.user,
                project=project,
                to_stage=form.cleaned_data["to_stage"],
                on_date=form.cleaned_data["on_date"],
                reason=form.cleaned_data["reason"],
                contract_amount=form.cleaned_data["contract_amount"],
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"项目阶段已变更为“{form.cleaned_data['to_stage']}”")
            return redirect("project_detail", pk=project.pk)
    # Refused: the page again with the form as it was filled in (the date typed is not lost), the reasons on it.
    return project_page(request, project, True, stage_form=form, status=400)
