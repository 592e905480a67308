"""Campaigns: the list, a new one, and one campaign's progress and targets."""

from functools import partial

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from zhaoshang.core.errors import add_refusal
from zhaoshang.core.field_messages import ProductModelForm
from zhaoshang.core.files import export_response, wants_xlsx
from zhaoshang.core.periods import format_month, parse_month
from zhaoshang.org.access import bureau_required, business_reader_required
from zhaoshang.org.lookups import unit_from_request
from zhaoshang.org.models import TEAM_KINDS, Unit
from zhaoshang.org.ownership import manages
from zhaoshang.org.scoping import is_bureau_admin
from zhaoshang.progress import exports, services
from zhaoshang.progress.campaigns import campaign_progress, campaign_scope, campaigns_for
from zhaoshang.progress.models import Campaign, CampaignTarget
from zhaoshang.progress.views.common import period_from, recent_months
from zhaoshang.progress.views.grid_input import save_posted_grid
from zhaoshang.projects.indicators import BY_CODE, TARGETED

CAMPAIGN_CODES = [i.code for i in TARGETED if i.code not in ("major_started_count", "key_done_wan")]


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_month(value) if value else None
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class CampaignForm(ProductModelForm):
    start_month = MonthField(label="开始月份", widget=forms.TextInput(attrs={"placeholder": "2026-05"}))
    end_month = MonthField(label="结束月份", widget=forms.TextInput(attrs={"placeholder": "2026-07"}))

    class Meta:
        model = Campaign
        fields = ["name", "start_month", "end_month", "description"]


@business_reader_required
def campaign_list(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        if not is_bureau_admin(request.user):
            raise PermissionDenied("只有主管部门管理员可以新建专项活动")
        if form.is_valid():
            try:
                campaign = services.campaign_save(actor=request.user, campaign=form.save(commit=False))
            except ValidationError as exc:
                add_refusal(form, exc, by_field=False)
            else:
                messages.success(request, f"已新建专项活动“{campaign.name}”，请设置各单位目标")
                return redirect("campaign_detail", pk=campaign.pk)
    return render(
        request,
        "progress/campaign_list.html",
        {
            "campaigns": campaigns_for(request.user).select_related("owner"),
            "form": form,
            "can_edit": is_bureau_admin(request.user),
        },
    )


@business_reader_required
def campaign_detail(request, pk):
    campaign = get_object_or_404(campaigns_for(request.user).select_related("owner"), pk=pk)
    month = period_from(request)
    root = campaign_scope(campaign, unit_from_request(request))
    progress = campaign_progress(campaign, root, month)
    if wants_xlsx(request):
        headers, rows = exports.campaign_table(progress, {code: BY_CODE[code].name for code in progress.codes})
        return export_response(headers, rows, title=f"{campaign.name}-{format_month(progress.month)}")
    return render(
        request,
        "progress/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "month": month,
            "months": recent_months(),
            "report": {"root": root},
            "can_edit": manages(request.user, campaign.owner),
        },
    )


@bureau_required
def campaign_targets(request, pk):
    campaign = get_object_or_404(campaigns_for(request.user).select_related("owner"), pk=pk)
    if not manages(request.user, campaign.owner):
        raise PermissionDenied("此专项活动由上级单位发起，目标由其主管部门设置")
    root = campaign_scope(campaign, unit_from_request(request))
    units = list(
        Unit.objects.under(root)
        .filter(is_active=True)
        .exclude(pk=root.pk)
        .exclude(kind__in=TEAM_KINDS)
        .order_by("path")
    )
    errors, raw = [], {}
    if request.method == "POST":
        save = partial(services.campaign_targets_save, actor=request.user, campaign=campaign)
        changed, errors, raw = save_posted_grid(request.POST, units, CAMPAIGN_CODES, "c", save)
        if changed is not None:
            messages.success(request, f"已保存“{campaign.name}”目标，修改 {changed} 项")
            return redirect("campaign_detail", pk=campaign.pk)
    existing = {(t.unit_id, t.indicator): t.value for t in CampaignTarget.objects.filter(campaign=campaign)}
    rows = [
        {
            "unit": u,
            "cells": [
                {"name": f"c-{u.pk}-{c}", "value": raw.get(f"c-{u.pk}-{c}", existing.get((u.pk, c), ""))}
                for c in CAMPAIGN_CODES
            ],
        }
        for u in units
    ]
    return render(
        request,
        "progress/campaign_targets.html",
        {
            "campaign": campaign,
            "rows": rows,
            "codes": [BY_CODE[c] for c in CAMPAIGN_CODES],
            "errors": errors,
        },
        status=400 if errors else 200,
    )
