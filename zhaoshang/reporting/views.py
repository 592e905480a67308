"""Monthly reporting pages: the unit's grid and its 上报, and the bureau's months (status, close, reopen)."""

from datetime import date
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.closing.guard import MonthClosed, is_closed
from zhaoshang.closing.models import ClosedMonth
from zhaoshang.closing.services import closings_covering, month_close, month_reopen
from zhaoshang.core.errors import refusal_text
from zhaoshang.core.files import export_response, wants_xlsx
from zhaoshang.core.params import month_param, whole_number
from zhaoshang.core.periods import add_months, current_month, format_month, month_label, parse_month
from zhaoshang.org.access import bureau_required, business_writer_required
from zhaoshang.org.models import TEAM_KINDS, Role, Unit, UnitKind
from zhaoshang.org.ownership import bureau_units, managed_unit_named, managing_unit
from zhaoshang.org.scoping import home_unit, memberships
from zhaoshang.projects.figures import GridConflicts, monthly_grid_save
from zhaoshang.projects.plausibility import confirmation_key, grid_warnings
from zhaoshang.reporting import exports, grid, services
from zhaoshang.reporting.models import UnitMonthReport
from zhaoshang.reporting.queries import reporting_units


def default_report_month(unit: Unit) -> date:
    """Last month while it is open for the unit (units report in the following month), else this month."""
    last = add_months(current_month(), -1)
    return current_month() if is_closed(last, unit) else last


def _reportable_units(user):
    """The units whose grid a user may fill: those it may write, except investment teams (they hold no ledger)."""
    return Unit.objects.writable_by(user).filter(is_active=True).exclude(kind__in=TEAM_KINDS).order_by("path")


def _grid_unit(request) -> Unit:
    """The unit asked for (404 outside the user's reach), else the user's own unit, else its first unit below
    the root (a bureau admin at the root reports for a unit, not for the whole county)."""
    units = _reportable_units(request.user)
    wanted = request.GET.get("unit") or request.POST.get("unit")
    if wanted:
        pk = whole_number(wanted)
        unit = units.filter(pk=pk).first() if pk is not None else None
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
    month = month_param(request, default_report_month(unit))
    closed = is_closed(month, unit)
    rows = grid.build_rows(unit, month)
    # A page of rows at a time (every row is still read: the 合计 row and a save's checks need them all); a save
    # posts only its page's cells, and a cell not posted is left as it is (grid.read_post).
    page = Paginator(rows, settings.GRID_PAGE_SIZE).get_page(request.POST.get("page") or request.GET.get("page"))
    errors, conflicted, unusual = [], False, []
    if request.method == "POST":
        if closed:
            errors = [str(MonthClosed(month))]
        else:
            entries, errors = grid.read_post(rows, request.POST)
            unusual = [] if errors else grid_warnings(month, entries)
            if unusual and request.POST.get("confirm_unusual") != confirmation_key(unusual):
                pass  # asked first: the page again with what was typed, the two numbers and a confirm button
            elif not errors:
                try:
                    changed = monthly_grid_save(actor=request.user, month=month, entries=entries)
                except GridConflicts as exc:
                    errors, conflicted = exc.messages, True
                    by_project = {row.project.pk: row for row in rows}
                    for conflict in exc.conflicts:
                        by_project[conflict.project.pk].mark_conflict(conflict)
                except ValidationError as exc:
                    errors = exc.messages
                else:
                    messages.success(request, f"已保存{month_label(month)}月报，修改 {changed} 项")
                    back = f"{reverse('monthly_report')}?unit={unit.pk}&month={format_month(month)}"
                    return redirect(back + (f"&page={page.number}" if page.number > 1 else ""))
    for row in page.object_list:
        row.inputs = grid.cell_inputs(row, closed)
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
            "rows": page.object_list,
            "row_count": len(rows),
            "page": page,
            "query": urlencode({"unit": unit.pk, "month": format_month(month)}),
            "totals": grid.grid_totals(rows),
            "errors": errors,
            "conflicted": conflicted,
            "unusual": unusual,
            "unusual_key": confirmation_key(unusual) if unusual else "",
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
    month = month_param(request, default_report_month(unit))
    if not _can_confirm(request.user, unit):
        raise PermissionDenied("只有单位负责人可以上报")
    try:
        services.unit_month_confirm(actor=request.user, unit=unit, month=month)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"{unit.name}{month_label(month)}月报已上报")
    return redirect(f"{reverse('monthly_report')}?unit={unit.pk}&month={format_month(month)}")


def _closing_scope(request) -> Unit:
    """The unit whose months the bureau looks at and closes: `?unit=` (or the form's `unit`) among the units it
    manages, else its own. A county's bureau sees and closes its county only (404 for any other)."""
    unit = managed_unit_named(request.user, request.GET.get("unit") or request.POST.get("unit"))
    if unit is None:
        raise PermissionDenied("您不是主管部门管理员")
    return unit


def _closings_below(scope: Unit, months) -> dict:
    """{month: [closings made below the scope]}: the counties of a city that closed on their own."""
    below: dict = {}
    rows = (
        ClosedMonth.objects.filter(month__in=months)
        .under(scope)
        .exclude(unit=scope)
        .select_related("unit", "closed_by")
        .order_by("unit__path")
    )
    for row in rows:
        below.setdefault(row.month, []).append(row)
    return below


def _scope_query(scope: Unit, request) -> str:
    return f"?unit={scope.pk}" if scope != managing_unit(request.user) else ""


@bureau_required
def month_list(request):
    scope = _closing_scope(request)
    months = [add_months(current_month(), -i) for i in range(0, 24)]
    covering = closings_covering(scope, months)
    below = _closings_below(scope, months)
    units = list(reporting_units(under=scope))
    # Each month expects the units that count in it (Unit.effective_from/to), and counts only their reports.
    expected = {m: {u.pk for u in units if u.active_in(m)} for m in months}
    confirmed = {}
    for month, unit_id in UnitMonthReport.objects.filter(month__in=months, unit__in=units).values_list(
        "month", "unit_id"
    ):
        if unit_id in expected[month]:
            confirmed[month] = confirmed.get(month, 0) + 1
    closing = covering.values()
    return render(
        request,
        "reporting/month_list.html",
        {
            "scope": scope,
            "scope_query": _scope_query(scope, request),
            "scopes": _manageable_scopes(request.user),
            "rows": [
                {
                    "month": m,
                    "text": format_month(m),
                    "closed": covering.get(m),
                    "closed_here": covering.get(m) is not None and covering[m].unit_id == scope.pk,
                    "below": below.get(m, []),
                    "confirmed": confirmed.get(m, 0),
                    "expected": len(expected[m]),
                    "can_close": m < current_month(),
                }
                for m in months
            ],
            "any_closed": bool(closing),
        },
    )


def _manageable_scopes(user) -> list[Unit]:
    """The scopes a bureau may pick on the months page: its own units and, below them, the counties (县区) and
    cities a city's bureau may close one by one."""
    own = bureau_units(user)
    if not own:
        return []

    below = Unit.objects.under(*own).filter(kind__in=[UnitKind.CITY, UnitKind.COUNTY], is_active=True)
    return sorted({*own, *below}, key=lambda u: u.path)


@bureau_required
def month_status(request, month_text):
    month = _month_from_path(month_text)
    scope = _closing_scope(request)
    reports = {
        r.unit_id: r for r in UnitMonthReport.objects.filter(month=month).under(scope).select_related("confirmed_by")
    }
    units = list(reporting_units(under=scope, month=month))
    rows = [{"unit": u, "report": reports.get(u.pk)} for u in units]
    if wants_xlsx(request):
        headers, body = exports.month_status_rows(rows)
        return export_response(headers, body, title=f"{scope.name}{month.year}年{month.month}月上报情况")
    return render(
        request,
        "reporting/month_status.html",
        {
            "month": month,
            "text": format_month(month),
            "scope": scope,
            "scope_query": _scope_query(scope, request),
            "closed": closings_covering(scope, [month]).get(month),
            "below": _closings_below(scope, [month]).get(month, []),
            "rows": rows,
            "missing": sum(1 for u in units if u.pk not in reports),
            # 催报 (notifications.urge, posted to /months/M/urge/): a finished month only, units report it in M+1
            "can_urge": month < current_month(),
        },
    )


def _month_from_path(text: str) -> date:
    try:
        return parse_month(text)
    except ValueError as exc:
        raise Http404(str(exc)) from None


def _back_to_months(scope: Unit, request):
    return redirect(reverse("month_list") + _scope_query(scope, request))


def _change_month(request, month_text: str, change, done: str):
    """Close or reopen the month of the path over the scope asked (`change(actor=, month=, unit=)`, a closing
    service), say what happened or why not, and go back to the months."""
    month = _month_from_path(month_text)
    scope = _closing_scope(request)
    try:
        change(actor=request.user, month=month, unit=scope)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"{scope.name}{month_label(month)}{done}")
    return _back_to_months(scope, request)


@require_POST
@bureau_required
def month_close_view(request, month_text):
    return _change_month(request, month_text, month_close, "已关账")


@require_POST
@bureau_required
def month_reopen_view(request, month_text):
    reopen = partial(month_reopen, reason=request.POST.get("reason", ""))
    return _change_month(request, month_text, reopen, "已重新开放")
