"""目标企业库: the list (filters, 无人对接, pages, Excel), a target's page with its linked work and the search to
link more, entry and correction from a phone, deletion. Outside the user's scope: 404; a reader that may not write
the target's unit (a leader, a bureau's neighbour): 403."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.core.files import export_or_defer, wants_xlsx
from zhaoshang.industry import exports, queries, services
from zhaoshang.industry.forms import TargetFilterForm, TargetForm, WorkSearchForm
from zhaoshang.industry.models import TargetEnterprise
from zhaoshang.industry.tags import split_tags
from zhaoshang.org.access import business_reader_required, business_writer_required
from zhaoshang.org.scoping import editable_unit_ids

SEARCH_LIMIT = 15


def _target_for_user(request, pk) -> TargetEnterprise:
    target = (
        TargetEnterprise.objects.readable_by(request.user)
        .select_related("unit", "county", "chain", "link", "author")
        .filter(pk=pk)
        .first()
    )
    if target is None:
        raise Http404("目标企业不存在或不在您的权限范围内")
    target.tag_list = split_tags(target.tags)
    return target


def _target_for_edit(request, pk) -> TargetEnterprise:
    target = _target_for_user(request, pk)
    if target.unit_id not in editable_unit_ids(request.user):
        raise PermissionDenied("您只能查看此目标企业，不能修改")
    return target


@business_reader_required
def target_list(request):
    if wants_xlsx(request):
        return export_or_defer(request, exports.targets_export(request.user, request.GET), kind="enterprises")
    form = TargetFilterForm(request.GET or None, user=request.user)
    chosen = form.apply(TargetEnterprise.objects.readable_by(request.user))
    listed = queries.with_work_counts(chosen.select_related("unit", "chain", "link"), request.user)
    page = Paginator(listed.order_by("-updated_at", "-id"), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.tag_list = split_tags(row.tags)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "industry/target_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_add": bool(editable_unit_ids(request.user))},
    )


def _save(request, target=None):
    form = TargetForm(request.POST or None, instance=target, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.target_save(actor=request.user, target=target, values=form.values())
        except ValidationError as exc:
            add_refusal(form, exc, field=None)
        else:
            messages.success(request, "目标企业已保存")
            return redirect("target_detail", pk=saved.pk)
    return render(request, "industry/target_form.html", {"form": form, "row": target})


@business_writer_required
def target_create(request):
    return _save(request)


@business_writer_required
def target_edit(request, pk):
    return _save(request, _target_for_edit(request, pk))


@require_POST
@business_writer_required
def target_delete(request, pk):
    target = _target_for_edit(request, pk)
    services.target_delete(actor=request.user, target=target)
    messages.success(request, f"已删除目标企业“{target.name}”")
    return redirect("target_list")


def _found_work(user, target, kind: str, text: str) -> list[dict]:
    """The work of `kind` the user reads in the target's county matching `text`, at most SEARCH_LIMIT, newest
    first, as the picker lists it (a city's bureau is not offered another county's work, which it may not link)."""
    unit = "responsible_unit" if kind == "project" else "unit"
    rows = services.readable_work(user, kind).filter(**{f"{unit}__path__startswith": target.county.path})
    if kind == "trip":
        rows = rows.filter(Q(destination__icontains=text) | Q(visited__icontains=text) | Q(leader__icontains=text))
        rows = rows.select_related("unit").order_by("-departs_on", "-pk")[:SEARCH_LIMIT]
        return [
            {"pk": t.pk, "text": f"{t.departs_on:%Y-%m-%d} {t.destination}（{t.leader}带队）", "unit": t.unit.name}
            for t in rows
        ]
    if kind == "reception":
        rows = rows.filter(Q(company__icontains=text) | Q(visitors__icontains=text) | Q(purpose__icontains=text))
        rows = rows.select_related("unit").order_by("-on_date", "-pk")[:SEARCH_LIMIT]
        return [{"pk": r.pk, "text": f"{r.on_date:%Y-%m-%d} {r.company}", "unit": r.unit.name} for r in rows]
    rows = rows.filter(Q(code__icontains=text) | Q(name__icontains=text) | Q(investor__icontains=text))
    rows = rows.select_related("responsible_unit").order_by("-pk")[:SEARCH_LIMIT]
    return [{"pk": p.pk, "text": f"{p.name}（{p.code}，{p.stage}）", "unit": p.responsible_unit.name} for p in rows]


@business_reader_required
def target_detail(request, pk):
    target = _target_for_user(request, pk)
    can_edit = target.unit_id in editable_unit_ids(request.user)
    search = WorkSearchForm(request.GET if "q" in request.GET else None)
    found = None
    if can_edit and search.is_bound and search.is_valid():
        found = _found_work(request.user, target, search.cleaned_data["kind"], search.cleaned_data["q"].strip())
    return render(
        request,
        "industry/target_detail.html",
        {
            "row": target,
            "can_edit": can_edit,
            "search": search,
            "found": found,
            **queries.linked_work(target, request.user),
        },
    )


@business_reader_required
def work_search(request, pk):
    """JSON for the picker on a target's page (static/js/workpick.js): ?kind=trip|reception|project&q=."""
    target = _target_for_edit(request, pk)  # 404 outside the scope, 403 to whoever may not link its work
    form = WorkSearchForm(request.GET)
    results = []
    if form.is_valid():
        results = _found_work(request.user, target, form.cleaned_data["kind"], form.cleaned_data["q"].strip())
    return JsonResponse({"results": results})


def _link_action(request, pk, link: bool):
    target = _target_for_edit(request, pk)
    kind = request.POST.get("kind", "")
    try:
        work_pk = int(request.POST.get("pk", ""))
    except ValueError:
        messages.error(request, "请选择要关联的记录")
        return redirect("target_detail", pk=target.pk)
    try:
        if link:
            obj = services.target_link(actor=request.user, target=target, kind=kind, pk=work_pk)
            messages.success(request, f"已关联：{obj}")
        else:
            services.target_unlink(actor=request.user, target=target, kind=kind, pk=work_pk)
            messages.success(request, "已取消关联")
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    return redirect("target_detail", pk=target.pk)


@require_POST
@business_writer_required
def target_link(request, pk):
    return _link_action(request, pk, link=True)


@require_POST
@business_writer_required
def target_unlink(request, pk):
    return _link_action(request, pk, link=False)
