"""All the approval steps the user may see: filters, overdue first, paging (a fixed number of queries whatever
the length), the per-department and per-step summary over a period, and the xlsx of what is shown."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from zhaoshang.construction import exports, queries
from zhaoshang.construction.forms import ApprovalFilterForm
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.files import XLSX, download, wants_xlsx, write_book
from zhaoshang.core.periods import today
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.models import UnitKind
from zhaoshang.org.scoping import editable_unit_ids, home_unit
from zhaoshang.projects.lookups import can_edit_project
from zhaoshang.projects.models import Project


def _landing(user) -> dict | None:
    """A department's user lands on the steps assigned to its department."""
    unit = home_unit(user)
    return {"department": str(unit.pk)} if unit is not None and unit.kind == UnitKind.DEPARTMENT else None


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
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    data = params or _landing(request.user)
    form = ApprovalFilterForm(data, user=request.user)
    visible = ApprovalStep.objects.readable_by(request.user)
    day = today()
    steps = queries.overdue_first(form.apply(visible).select_related("project__responsible_unit", "department"), day)
    start, end = form.period()
    scoped = form.apply(visible, for_summary=True)
    by_department = queries.summary(scoped, start=start, end=end, today=day, by="department")
    total = queries.summary_total(scoped, start=start, end=end, today=day)
    by_step = queries.summary(scoped, start=start, end=end, today=day, by="name")
    if wants_xlsx(request):
        content = write_book(
            [
                ("前期手续", exports.STEP_HEADERS, exports.step_rows(steps)),
                ("按部门统计", ["办理部门", *exports.SUMMARY_HEADERS], exports.summary_rows(by_department, total)),
                ("按手续统计", ["前期手续", *exports.SUMMARY_HEADERS], exports.summary_rows(by_step)),
            ]
        )
        return download(content, "前期手续.xlsx", XLSX)
    page = Paginator(steps, settings.PAGE_SIZE).get_page(request.GET.get("page"))
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
