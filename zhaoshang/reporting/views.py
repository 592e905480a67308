"""Monthly reporting pages: the unit's grid and its 上报, and the bureau's months (status, close, reopen)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.core.params import month_param
from zhaoshang.core.periods import add_months, current_month, format_month, month_label, parse_month
from zhaoshang.org.access import bureau_required, business_writer_required
from zhaoshang.org.models import Role, Unit, UnitKind
from zhaoshang.org.scoping import editable_unit_ids, home_unit, memberships
from zhaoshang.projects.figures import monthly_grid_save
from zhaoshang.reporting import grid, services
from zhaoshang.reporting.locks import MonthClosed, is_closed
from zhaoshang.reporting.models import ClosedMonth, UnitMonthReport
from zhaoshang.reporting.queries import reporting_units
from zhaoshang.sheets import tables


def default_report_month() -> date:
    """Last month while it is open (units report in the following month), else this month."""
    last = add_months(current_month(), -1)
    return current_month() if is_closed(last) else last


def _reportable_units(user):
    """The units whose grid a user may fill: those it may write, except investment teams (they hold no ledger)."""
    return (
        Unit.objects.filter(pk__in=editable_unit_ids(user), is_active=True).exclude(kind=UnitKind.TEAM).order_by("path")
    )


def _grid_unit(request) -> Unit:
    """The unit asked for (404 outside the user's reach), else the user's own unit, else its first unit below
    the root (a bureau admin at the root reports for a unit, not for the whole county)."""
    units = _reportable_units(request.user)
    wanted = request.GET.get("unit") or request.POST.get("unit")
    if wanted:
        unit = units.filter(pk=wanted).first() if str(wanted).isdigit() else None
        if unit is None:
            raise Http404("单位不存在或不在您的填报范围内")
        return unit
    home = home_unit(request.user)
    if home is not None and home.parent_id is not None and units.filter(pk=home.pk).exists():
        return home
    unit = units.exclude(parent=None).first() or units.first()
    if unit is None:
        raise PermissionDenied("您没有可填报的单位")
    return unit


def _can_confirm(user, unit) -> bool:
    return any(m.role == Role.UNIT_HEAD and unit.path.startswith(m.unit.path) for m in memberships(user))


@business_writer_required
def monthly_report(request):
    unit = _grid_unit(request)
    month = month_param(request, default_report_month())
    closed = is_closed(month)
    rows = grid.build_rows(unit, month)
    errors = []
    if request.method == "POST":
        if closed:
            errors = [str(MonthClosed(month))]
        else:
            entries, errors = grid.read_post(rows, request.POST)
            if not errors:
                try:
                    changed = monthly_grid_save(actor=request.user, month=month, entries=entries)
                except (ValidationError, MonthClosed) as exc:
                    errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                else:
                    messages.success(request, f"已保存{month_label(month)}月报，修改 {changed} 项")
                    return redirect(f"{reverse('monthly_report')}?unit={unit.pk}&month={format_month(month)}")
    units = _reportable_units(request.user)
    return render(
        request,
        "reporting/monthly_report.html",
        {
            "unit": unit,
            "units": units,
            "month": month,
            "month_text": format_month(month),
            "months": [add_months(current_month(), -i) for i in range(0, 24)],
            "closed": closed,
            "rows": rows,
            "errors": errors,
            "confirmation": UnitMonthReport.objects.filter(unit=unit, month=month)
            .select_related("confirmed_by")
            .first(),
            "can_confirm": _can_confirm(request.user, unit),
        },
        status=400 if errors else 200,
    )


@require_POST
@business_writer_required
def monthly_confirm(request):
    unit = _grid_unit(request)
    month = month_param(request, default_report_month())
    if not _can_confirm(request.user, unit):
        raise PermissionDenied("只有单位负责人可以上报")
    try:
        services.unit_month_confirm(actor=request.user, unit=unit, month=month)
    except (ValidationError, MonthClosed) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, f"{unit.name}{month_label(month)}月报已上报")
    return redirect(f"{reverse('monthly_report')}?unit={unit.pk}&month={format_month(month)}")


@bureau_required
def month_list(request):
    months = [add_months(current_month(), -i) for i in range(0, 24)]
    closed = {row.month: row for row in ClosedMonth.objects.filter(month__in=months).select_related("closed_by")}
    expected = reporting_units().count()
    confirmed = {}
    for row in UnitMonthReport.objects.filter(month__in=months, unit__in=reporting_units()).values_list(
        "month", flat=True
    ):
        confirmed[row] = confirmed.get(row, 0) + 1
    return render(
        request,
        "reporting/month_list.html",
        {
            "rows": [
                {
                    "month": m,
                    "text": format_month(m),
                    "closed": closed.get(m),
                    "confirmed": confirmed.get(m, 0),
                    "can_close": m < current_month(),
                }
                for m in months
            ],
            "expected": expected,
        },
    )


@bureau_required
def month_status(request, month_text):
    month = _month_from_path(month_text)
    reports = {r.unit_id: r for r in UnitMonthReport.objects.filter(month=month).select_related("confirmed_by")}
    units = list(reporting_units())
    rows = [{"unit": u, "report": reports.get(u.pk)} for u in units]
    if tables.wants_xlsx(request):
        headers, body = tables.month_status_rows(rows)
        return tables.export_response(headers, body, title=f"{month.year}年{month.month}月上报情况")
    return render(
        request,
        "reporting/month_status.html",
        {
            "month": month,
            "text": format_month(month),
            "closed": ClosedMonth.objects.filter(month=month).select_related("closed_by").first(),
            "rows": rows,
            "missing": sum(1 for u in units if u.pk not in reports),
        },
    )


def _month_from_path(text: str) -> date:
    try:
        return parse_month(text)
    except ValueError as exc:
        raise Http404(str(exc)) from None


@require_POST
@bureau_required
def month_close_view(request, month_text):
    month = _month_from_path(month_text)
    try:
        services.month_close(actor=request.user, month=month)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{month_label(month)}已关账")
    return redirect("month_list")


@require_POST
@bureau_required
def month_reopen_view(request, month_text):
    month = _month_from_path(month_text)
    try:
        services.month_reopen(actor=request.user, month=month, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{month_label(month)}已重新开放")
    return redirect("month_list")
