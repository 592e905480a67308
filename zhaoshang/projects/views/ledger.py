"""The project ledger list: filters, paging; a fixed number of queries whatever its length."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from zhaoshang.core.files import export_or_defer, wants_xlsx
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.exports import ledger_export
from zhaoshang.projects.forms import ProjectFilterForm
from zhaoshang.projects.models import Project


@business_reader_required
def project_list(request):
    if wants_xlsx(request):  # exactly what the page shows, every page of it
        return export_or_defer(request, ledger_export(request.user, request.GET), kind="ledger")
    form = ProjectFilterForm(request.GET or None, user=request.user)
    projects = form.apply(Project.objects.readable_by(request.user)).select_related("responsible_unit", "team")
    page = Paginator(projects.order_by("-id"), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": bool(editable_unit_ids(request.user)),
            "drill": form.drill(),
        },
    )
