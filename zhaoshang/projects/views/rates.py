"""The bureau's USD rate per year, which decides whether a foreign project is 亿元以上."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from zhaoshang.core.errors import add_refusal
from zhaoshang.core.field_messages import ProductForm
from zhaoshang.core.periods import today
from zhaoshang.org.access import bureau_required
from zhaoshang.org.ownership import is_root_bureau
from zhaoshang.projects import services
from zhaoshang.projects.models import UsdRate


class UsdRateForm(ProductForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=lambda: today().year)
    rate = forms.DecimalField(label="美元兑人民币汇率", min_value=0, max_digits=8, decimal_places=4)


@bureau_required
def usd_rates(request):
    """Every bureau reads the rates; only the root's sets them (one rate serves the whole install)."""
    can_edit = is_root_bureau(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("美元汇率由最上级主管部门统一设置")
    form = UsdRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.usd_rate_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"已保存 {form.cleaned_data['year']} 年汇率，重新判定亿元以上项目 {changed} 个")
            return redirect("usd_rates")
    return render(
        request, "projects/usd_rates.html", {"form": form, "rates": UsdRate.objects.all(), "can_edit": can_edit}
    )
