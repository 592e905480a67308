"""A project's page: its fields, stage history, monthly figures and its audit history. Its 前期手续 and 问题清单
sections come from those apps' template tags (construction.templatetags.approvals, coordination...problems)."""

from django.db.models import Sum
from django.shortcuts import render

from zhaoshang.audit.models import AuditEntry
from zhaoshang.org.access import business_reader_required
from zhaoshang.projects import rules
from zhaoshang.projects.forms import StageChangeForm
from zhaoshang.projects.lookups import get_project_for_user


@business_reader_required
def project_detail(request, pk):
    project, can_edit = get_project_for_user(request, pk)
    return project_page(request, project, can_edit)


def project_page(request, project, can_edit: bool, *, stage_form: StageChangeForm | None = None, status: int = 200):
    """The project's page; with `stage_form`, a refused stage change shown again as the user filled it in (its
    date, amount and reason kept beside the reason it was refused)."""
    funds = list(project.monthlyfunds_set.order_by("-month"))
    investments = {row.month: row.amount for row in project.monthlyinvestment_set.all()}
    plans = list(project.annual_plans.order_by("-year"))
    history = AuditEntry.objects.filter(target_type="projects.project", target_id=str(project.pk)).select_related(
        "actor"
    )[:200]
    if stage_form is None and can_edit and rules.allowed_next_stages(project.stage):
        stage_form = StageChangeForm(project=project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "can_edit": can_edit,
            "stage_changes": project.stage_changes.select_related("actor"),
            "funds": funds,
            "funds_total": project.monthlyfunds_set.aggregate(total=Sum("amount"))["total"],
            "investments": sorted(investments.items(), reverse=True),
            "plans": plans,
            "history": history,
            "stage_form": stage_form,
        },
        status=status,
    )
