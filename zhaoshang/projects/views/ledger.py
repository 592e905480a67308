"""The project ledger list: filters, paging; a fixed number of queries whatever its length."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from zhaoshang.org.access import business_reader_required
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.forms import ProjectFilterForm
from zhaoshang.projects.models import Project


@business_reader_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None, user=request.user)
    projects = form.apply(Project.objects.visible_to(request.user)).select_related("responsible_unit", "team")
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
