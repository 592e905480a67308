"""外出招商 and 接待客商: the lists (filters, a totals line, pages, Excel), a record's page, entry and correction
from a phone, deletion. Both kinds are a unit's rows and work the same way, so one set of views serves both,
told apart by a `Kind`. Outside the user's scope: 404; a reader that may not write the row's unit: 403."""

from dataclasses import dataclass
from typing import Callable

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
from zhaoshang.frontline import services, trip_exports, trip_queries
from zhaoshang.frontline.models import LeadProfile, Reception, Trip
from zhaoshang.frontline.trip_forms import ReceptionFilterForm, ReceptionForm, TripFilterForm, TripForm
from zhaoshang.org.access import business_reader_required, business_writer_required
from zhaoshang.org.scoping import editable_unit_ids

LEAD_SEARCH_LIMIT = 15


@dataclass(frozen=True)
class Kind:
    model: type
    name: str  # what the page calls one
    form: type
    filter_form: type
    export: Callable
    export_kind: str  # downloads.kinds key
    save: Callable  # services.trip_save(actor=, <field>=, values=)
    delete: Callable
    field: str  # the service's keyword for the record
    order: tuple
    url: str  # URL name prefix: trip / reception


TRIPS = Kind(
    Trip,
    "外出招商",
    TripForm,
    TripFilterForm,
    trip_exports.trips_export,
    "trips",
    services.trip_save,
    services.trip_delete,
    "trip",
    ("-departs_on", "-id"),
    "trip",
)
RECEPTIONS = Kind(
    Reception,
    "接待客商",
    ReceptionForm,
    ReceptionFilterForm,
    trip_exports.receptions_export,
    "receptions",
    services.reception_save,
    services.reception_delete,
    "reception",
    ("-on_date", "-id"),
    "reception",
)


def _record_for_user(request, kind: Kind, pk):
    row = kind.model.objects.readable_by(request.user).select_related("unit", "author").filter(pk=pk).first()
    if row is None:
        raise Http404(f"{kind.name}记录不存在或不在您的权限范围内")
    return row


def _record_for_edit(request, kind: Kind, pk):
    row = _record_for_user(request, kind, pk)
    if row.unit_id not in editable_unit_ids(request.user):
        raise PermissionDenied(f"您只能查看此{kind.name}记录，不能修改")
    return row


def _list(request, kind: Kind, template: str, extra: Callable | None = None):
    if wants_xlsx(request):
        return export_or_defer(request, kind.export(request.user, request.GET), kind=kind.export_kind)
    form = kind.filter_form(request.GET or None, user=request.user)
    chosen = form.apply(kind.model.objects.readable_by(request.user))
    listed = chosen.select_related("unit").order_by(*kind.order)
    page = Paginator(listed, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    codes = trip_queries.lead_codes_by_row(kind.model, [row.pk for row in page], request.user)
    for row in page:
        row.lead_codes = codes.get(row.pk, [])
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_add": bool(editable_unit_ids(request.user)),
        "period": form.period_text() if form.is_bound and form.is_valid() else "全部时间",
    }
    if extra:
        context.update(extra(chosen))
    return render(request, template, context)


def _save(request, kind: Kind, row=None):
    form = kind.form(request.POST or None, instance=row, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = kind.save(actor=request.user, **{kind.field: row}, values=form.values())
        except ValidationError as exc:
            add_refusal(form, exc, field=None)
        else:
            messages.success(request, f"{kind.name}记录已保存")
            return redirect(f"{kind.url}_detail", pk=saved.pk)
    return render(request, "frontline/record_form.html", {"form": form, "kind": kind, "row": row}, status=200)


def _detail(request, kind: Kind, pk, template: str):
    row = _record_for_user(request, kind, pk)
    # only the leads the user reads: one moved to another unit since (a transfer, 首报首谈) is not shown to this one
    readable = LeadProfile.objects.readable_by(request.user).values("pk")
    leads = row.leads.filter(pk__in=readable).select_related("responsible_unit").order_by("code")
    return render(
        request,
        template,
        {"row": row, "leads": leads, "can_edit": row.unit_id in editable_unit_ids(request.user), "kind": kind},
    )


def _delete(request, kind: Kind, pk):
    row = _record_for_edit(request, kind, pk)
    try:
        kind.delete(actor=request.user, **{kind.field: row})
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect(f"{kind.url}_detail", pk=row.pk)
    messages.success(request, f"已删除{kind.name}记录")
    return redirect(f"{kind.url}_list")


# --- 外出招商 -------------------------------------------------------------------------------------------------------


@business_reader_required
def trip_list(request):
    return _list(
        request, TRIPS, "frontline/trip_list.html", lambda chosen: {"totals": trip_queries.trip_totals(chosen)}
    )


@business_writer_required
def trip_create(request):
    return _save(request, TRIPS)


@business_reader_required
def trip_detail(request, pk):
    return _detail(request, TRIPS, pk, "frontline/trip_detail.html")


@business_writer_required
def trip_edit(request, pk):
    return _save(request, TRIPS, _record_for_edit(request, TRIPS, pk))


@require_POST
@business_writer_required
def trip_delete(request, pk):
    return _delete(request, TRIPS, pk)


# --- 接待客商 -------------------------------------------------------------------------------------------------------


@business_reader_required
def reception_list(request):
    return _list(request, RECEPTIONS, "frontline/reception_list.html", lambda chosen: {"total": chosen.count()})


@business_writer_required
def reception_create(request):
    return _save(request, RECEPTIONS)


@business_reader_required
def reception_detail(request, pk):
    return _detail(request, RECEPTIONS, pk, "frontline/reception_detail.html")


@business_writer_required
def reception_edit(request, pk):
    return _save(request, RECEPTIONS, _record_for_edit(request, RECEPTIONS, pk))


@require_POST
@business_writer_required
def reception_delete(request, pk):
    return _delete(request, RECEPTIONS, pk)


# --- The leads picker -----------------------------------------------------------------------------------------------


@business_reader_required
def lead_search(request):
    """The user's leads whose number, name or investor contains ?q=, at most LEAD_SEARCH_LIMIT, as JSON for the
    picker on the trip and reception forms (static/js/leadpick.js)."""
    text = (request.GET.get("q") or "").strip()[:50]
    results = []
    if text:
        found = (
            LeadProfile.objects.readable_by(request.user)
            .filter(
                Q(project__code__icontains=text)
                | Q(project__name__icontains=text)
                | Q(project__investor__icontains=text)
            )
            .order_by("-registered_on", "-pk")
            .values_list("project__code", "project__name", "project__responsible_unit__name")[:LEAD_SEARCH_LIMIT]
        )
        results = [{"code": code, "name": name, "unit": unit} for code, name, unit in found]
    return JsonResponse({"results": results})
