"""All the approval steps the user may see: filters, overdue first, paging (a fixed number of queries whatever
the length), the per-department and per-step summary over a period, and the xlsx of what is shown."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from zhaoshang.construction import exports, queries
from zhaoshang.construction.forms import ApprovalFilterForm
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.files import export_or_defer, wants_xlsx
from zhaoshang.core.periods import today
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.lookups import can_edit_project
from zhaoshang.projects.models import Project


def _mark_links(user, steps) -> None:
    """Each row links to its project's page if the user may read it (a department's user may not) and to the
    approvals form if it may write the step. One query for the page, whatever its length."""
    readable = set(
        Project.objects.readable_by(user).filter(pk__in={s.project_id for s in steps}).values_list("pk", flat=True)
    )
    editable = editable_unit_ids(user)
    for step in steps:
        step.reads_project = step.project_id in readable
        step.can_write = can_edit_project(user, step.project) or step.department_id in editable


@business_reader_required
def approval_list(request):
    if wants_xlsx(request):
        return export_or_defer(request, exports.approvals_export(request.user, request.GET), kind="approvals")
    params = exports.list_params(request.GET)
    data = params or exports.landing(request.user)
    form = ApprovalFilterForm(data, user=request.user)
    visible = ApprovalStep.objects.readable_by(request.user)
    day = today()
    shown = form.apply(visible).select_related("project__responsible_unit", "department")
    start, end = form.period()
    scoped = form.apply(visible, for_summary=True)
    found = queries.summaries(scoped, start=start, end=end, today=day)
    by_department, total, by_step = found.by_department, found.total, found.by_step
    page = Paginator(queries.OverdueFirst(shown, day), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _mark_links(request.user, page.object_list)
    return render(
        request,
        "construction/approval_list.html",
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "landing": data is not params and data is not None,
            "by_department": by_department,
            "total": total,
            "by_step": by_step,
            "period": (start, end),
        },
    )
