"""跟进记录: entry on a project (the project page's quick form posts here; the page of its own is for a phone),
correction and deletion by the author or the bureau, and the list of every follow-up the user reads.
Outside the user's scope: 404; a reader that may not write the project's unit (or not this record): 403."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.core.files import export_or_defer, wants_xlsx
from zhaoshang.core.periods import today
from zhaoshang.frontline import services, trip_exports, trip_queries
from zhaoshang.frontline.models import FollowUp
from zhaoshang.frontline.trip_forms import FollowUpFilterForm, FollowUpForm
from zhaoshang.org.access import business_reader_required, business_writer_required
from zhaoshang.projects.lookups import get_project_for_user


def _project_page(project) -> str:
    return f"{reverse('project_detail', args=[project.pk])}#followups"


def _followup_for_change(request, pk) -> FollowUp:
    followup = (
        FollowUp.objects.readable_by(request.user)
        .select_related("project__responsible_unit", "author")
        .filter(pk=pk)
        .first()
    )
    if followup is None:
        raise Http404("跟进记录不存在或不在您的权限范围内")
    if not services.may_change_followup(request.user, followup):
        raise PermissionDenied("只有记录人或主管部门可以修改此跟进记录")
    return followup


@business_writer_required
def followup_create(request, pk):
    project, can_edit = get_project_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied("只有项目责任单位可以填写跟进记录")
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_add(actor=request.user, project=project, values=form.values())
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "跟进记录已保存")
            return redirect(_project_page(project))
    return render(request, "frontline/followup_form.html", {"form": form, "project": project, "followup": None})


@business_writer_required
def followup_edit(request, pk):
    followup = _followup_for_change(request, pk)
    form = FollowUpForm(request.POST or None, instance=followup)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_update(actor=request.user, followup=followup, values=form.values())
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "跟进记录已修改")
            return redirect(_project_page(followup.project))
    return render(
        request, "frontline/followup_form.html", {"form": form, "project": followup.project, "followup": followup}
    )


@require_POST
@business_writer_required
def followup_delete(request, pk):
    followup = _followup_for_change(request, pk)
    try:
        services.followup_delete(actor=request.user, followup=followup)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "已删除跟进记录")
    return redirect(_project_page(followup.project))


@business_reader_required
def followup_list(request):
    if wants_xlsx(request):
        return export_or_defer(request, trip_exports.followups_export(request.user, request.GET), kind="followups")
    on = today()
    form = FollowUpFilterForm(request.GET or None, user=request.user)
    chosen = form.apply(FollowUp.objects.readable_by(request.user))
    listed = trip_queries.with_project_last(
        chosen.select_related("project__responsible_unit", "author").order_by("-on_date", "-id")
    )
    page = Paginator(listed, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.late = trip_queries.is_late(row, on)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(request, "frontline/followup_list.html", {"form": form, "page": page, "query": query.urlencode()})
