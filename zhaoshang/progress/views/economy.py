"""Economic indicators of the city's counties: the table for a month, and the bureau's entry form."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from zhaoshang.closing.guard import MonthClosed
from zhaoshang.core.errors import add_refusal
from zhaoshang.core.field_messages import ProductForm
from zhaoshang.core.files import export_response, wants_xlsx
from zhaoshang.core.periods import format_month
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.lookups import unit_from_request
from zhaoshang.org.scoping import is_bureau_admin
from zhaoshang.progress import exports, services
from zhaoshang.progress.economy import ECONOMIC_INDICATORS, economy_for
from zhaoshang.progress.models import EconomicFigure
from zhaoshang.progress.rules import competition_ranks
from zhaoshang.progress.views.campaigns import MonthField
from zhaoshang.progress.views.common import period_from, recent_months

ECONOMIC_ORDER = {code: n for n, (code, _) in enumerate(ECONOMIC_INDICATORS)}


class EconomicForm(ProductForm):
    region = forms.CharField(label="地区", max_length=50)
    month = MonthField(label="月份", widget=forms.TextInput(attrs={"placeholder": "2026-03"}))
    indicator = forms.ChoiceField(label="指标", choices=ECONOMIC_INDICATORS)
    cumulative = forms.DecimalField(label="累计值（万元）", max_digits=18, decimal_places=2)
    growth_pct = forms.DecimalField(label="同比增长(%)", max_digits=8, decimal_places=2)


@business_reader_required
def economy(request):
    month = period_from(request)
    root = unit_from_request(request)
    form = EconomicForm(request.POST or None, initial={"region": root.name, "month": format_month(month)})
    if request.method == "POST":
        if not is_bureau_admin(request.user):
            raise PermissionDenied("只有主管部门管理员可以填报经济指标")
        if form.is_valid():
            try:
                services.economic_figure_set(actor=request.user, **form.cleaned_data)
            except MonthClosed as exc:  # before the other refusals: it goes on the month
                add_refusal(form, exc, field="month")
            except ValidationError as exc:
                add_refusal(form, exc, by_field=False)
            except PermissionDenied as exc:  # another county's figures: the form stays, with the reason
                form.add_error("region", str(exc))
            else:
                messages.success(request, "已保存")
                return redirect(f"{reverse('economy')}?month={format_month(form.cleaned_data['month'])}")
    figures = list(EconomicFigure.objects.filter(month=month))
    if wants_xlsx(request):  # the 经济指标 template's columns: the file re-imports unchanged
        ordered = sorted(figures, key=lambda f: (f.region != root.name, f.region, ECONOMIC_ORDER[f.indicator]))
        headers, rows = exports.economy_rows(ordered, dict(ECONOMIC_INDICATORS))
        return export_response(headers, rows, title=f"经济指标-{format_month(month)}")
    regions = sorted({f.region for f in figures}, key=lambda r: (r != root.name, r))
    table = []
    for code, name in ECONOMIC_INDICATORS:
        same = {f.region: f for f in figures if f.indicator == code}
        ranks = competition_ranks({r: f.growth_pct for r, f in same.items()})
        table.append({"name": name, "cells": [{"figure": same.get(r), "rank": ranks.get(r)} for r in regions]})
    return render(
        request,
        "progress/economy.html",
        {
            "month": month,
            "months": recent_months(),
            "report": {"root": root},
            "regions": regions,
            "table": table,
            "mine": economy_for(root.name, month),
            "form": form,
            "can_edit": is_bureau_admin(request.user),
        },
    )
