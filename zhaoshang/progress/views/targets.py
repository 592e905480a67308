"""The bureau's annual targets: a grid of units × indicators, the county total beside the sum of its units."""

from decimal import Decimal
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from zhaoshang.core.money import format_amount, to_decimal
from zhaoshang.core.params import whole_number
from zhaoshang.core.periods import current_month
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.lookups import unit_from_request
from zhaoshang.org.models import TEAM_KINDS, Unit
from zhaoshang.org.scoping import is_bureau_admin
from zhaoshang.progress import services
from zhaoshang.progress.models import Target
from zhaoshang.progress.views.grid_input import save_posted_grid
from zhaoshang.projects.indicators import BY_CODE, TARGETED

# key_done_wan's target is the key projects' own annual plan, so it is not set here.
GRID_CODES = [i.code for i in TARGETED if i.code != "key_done_wan"]


def _year(request) -> int:
    text = request.GET.get("year") or request.POST.get("year") or str(current_month().year)
    year = whole_number(text)
    if year is None or not 2000 <= year <= 2100:
        raise Http404("年度无效")
    return year


@business_reader_required
def targets(request):
    year = _year(request)
    root = unit_from_request(request)
    can_edit = is_bureau_admin(request.user)
    units = [root] + list(
        Unit.objects.under(root)
        .filter(is_active=True)
        .exclude(pk=root.pk)
        .exclude(kind__in=TEAM_KINDS)
        .select_related("group")
        .order_by("path")
    )
    errors, raw = [], {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有主管部门管理员可以设置目标任务")
        if "split" in request.POST:
            return _save_split(request, year, units)
        save = partial(services.targets_save, actor=request.user, year=year)
        changed, errors, raw = save_posted_grid(request.POST, units, GRID_CODES, "t", save)
        if changed is not None:
            messages.success(request, f"已保存{year}年目标任务，修改 {changed} 项")
            return redirect(f"{reverse('targets')}?year={year}&unit={root.pk}")
    existing = {(t.unit_id, t.indicator): t for t in Target.objects.filter(year=year, unit__in=units)}
    sums = {
        code: sum((existing[(u.pk, code)].value for u in units[1:] if (u.pk, code) in existing), Decimal(0))
        for code in GRID_CODES
    }
    rows = [
        {
            "unit": u,
            "cells": [
                {
                    "code": c,
                    "name": f"t-{u.pk}-{c}",
                    "value": raw.get(
                        f"t-{u.pk}-{c}", target_text(existing[(u.pk, c)].value, c) if (u.pk, c) in existing else ""
                    ),
                    "split": bool(existing.get((u.pk, c)) and existing[(u.pk, c)].monthly),
                }
                for c in GRID_CODES
            ],
        }
        for u in units
    ]
    return render(
        request,
        "progress/targets.html",
        {
            "year": year,
            "root": root,
            "rows": rows,
            "codes": [BY_CODE[c] for c in GRID_CODES],
            "sums": {code: target_text(value, code) for code, value in sums.items()},
            "can_edit": can_edit,
            "errors": errors,
            "years": range(current_month().year + 1, current_month().year - 4, -1),
            "units": units,
        },
        status=400 if errors else 200,
    )


def _save_split(request, year, units):
    unit = next((u for u in units if str(u.pk) == request.POST.get("split_unit")), None)
    code = request.POST.get("split_indicator")
    target = Target.objects.filter(unit=unit, year=year, indicator=code).first() if unit else None
    back = f"{reverse('targets')}?year={year}&unit={units[0].pk}"
    if target is None:
        messages.error(request, "请先为该单位设置这项指标的全年目标，再按月分解")
        return redirect(back)
    texts = [request.POST.get(f"split-{m}", "").strip() for m in range(1, 13)]
    try:
        shares = None if not any(texts) else [to_decimal(t) / 100 for t in texts]
        services.target_split_set(actor=request.user, target=target, shares=shares)
    except (ValueError, ValidationError) as exc:
        messages.error(request, "按月分解未保存：" + "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, f"已保存{unit.name}{BY_CODE[code].name}的按月分解" if shares else "已改为按序时（M/12）计算"
        )
    return redirect(back)


def target_text(value: Decimal, code: str) -> str:
    """A target as its cell shows it: a count whole (`140`, not `140.00`), an amount with thousands separators
    (`12,000.00`), which the cells read back as the same number (core.money.parse_amount), so an unchanged page
    saves nothing."""
    if BY_CODE[code].is_amount:
        return format_amount(value)
    return f"{int(value)}" if value == value.to_integral_value() else f"{value.normalize()}"
