"""Deadlines in practice: the working-day calendar (/leads/calendar/), the lead deadline rules (/leads/rules/) and
the conversion of leads (/leads/conversion/). A county's bureau changes its county's calendar and rules (a city's
bureau its own, and its counties'); everyone who reads business data reads them."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhaoshang.core.errors import add_refusal
from zhaoshang.core.field_messages import ProductForm
from zhaoshang.core.files import wants_xlsx, xlsx_response
from zhaoshang.core.params import whole_number
from zhaoshang.core.periods import current_month, format_month, parse_past_month, today
from zhaoshang.frontline import calendars, services
from zhaoshang.frontline.conversion import conversion, export_sheets
from zhaoshang.frontline.models import LeadRules
from zhaoshang.frontline.rules import DEFAULT_RULES
from zhaoshang.org.access import business_reader_required

# What each number means, for the rules page (the model's labels say the unit; these say the rule).
RULE_MEANINGS = {
    "first_responsible_workdays": "线索登记后，须在此数量的工作日内明确首问负责人",
    "judgement_workdays": "线索登记后，须在此数量的工作日内完成研判（有效 / 不予跟进并说明理由）",
    "referrer_days": "研判后，须在此数量的自然日内将研判结果告知引荐方（有引荐人的线索）",
    "followup_days": "研判有效、仍在线索或在谈阶段的，两次跟进记录间隔不超过此天数",
    "reassign_days": "超过此天数无跟进记录的线索，主管部门可调整责任单位",
}


def _root(request, readable: list):
    """The county whose calendar and rules the page is about: ?unit= (or the posted unit) among those the user
    reads, else the first; 404 for any other unit, so a neighbour's bureau learns nothing of it."""
    if not readable:
        raise PermissionDenied("您的账号未分配单位")
    wanted = request.POST.get("unit") or request.GET.get("unit")
    if not wanted:
        return readable[0]
    pk = whole_number(wanted)
    for unit in readable:
        if unit.pk == pk:
            return unit
    raise Http404("单位不存在或不在您的查看范围内")


def _year(request) -> int:
    year = whole_number(request.POST.get("year") or request.GET.get("year"))
    if year is None:
        return today().year
    if not 2000 <= year <= 2100:
        raise Http404("年度超出范围")
    return year


# ----- The working-day calendar -----------------------------------------------------------------------------


class CalendarDayForm(ProductForm):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="当天",
        choices=[("0", "休息（节假日）"), ("1", "上班（调休）")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label="说明", max_length=100, required=False)


class CalendarDayRemoveForm(ProductForm):
    day = forms.DateField(label="日期")


@business_reader_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    readable = calendars.calendar_roots(request.user)
    root = _root(request, readable)
    year = _year(request)
    can_edit = calendars.may_edit(request.user, root)
    form = CalendarDayForm(request.POST if request.POST.get("op") == "set" else None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有主管部门管理员可以调整工作日")
        done = _calendar_write(request, root, form)
        if done:
            return redirect(f"{reverse('lead_calendar')}?unit={root.pk}&year={done.year}")
    rows = calendars.corrections_of(root, year)
    for row in rows:
        row.weekday_label = f"周{calendars.WEEKDAYS[row.day.weekday()]}"
    corrections = {r.day: r.is_workday for r in rows}
    return render(
        request,
        "frontline/calendar.html",
        {
            "root": root,
            "roots": readable,
            "year": year,
            "years": [year - 1, year, year + 1],
            "months": calendars.year_grid(year, corrections, {r.day: r.note for r in rows}),
            "weekdays": calendars.WEEKDAYS,
            "rows": rows,
            "national_note": calendars.national_note(year),
            "can_edit": can_edit,
            "form": form,
        },
    )


def _calendar_write(request, root, form) -> date | None:
    """Apply the posted change; the day changed, or None with the form's errors (or a message) to show."""
    if request.POST.get("op") == "remove":
        remove = CalendarDayRemoveForm(request.POST)
        if not remove.is_valid():
            messages.error(request, "；".join(e for errs in remove.errors.values() for e in errs))
            return None
        day = remove.cleaned_data["day"]
        if services.calendar_day_remove(actor=request.user, root=root, day=day):
            messages.success(request, f"已删除{day:%Y-%m-%d}的调整，该日恢复按国家安排")
        return day
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        _, changes = services.calendar_day_set(
            actor=request.user, root=root, day=data["day"], is_workday=data["is_workday"], note=data["note"]
        )
    except ValidationError as exc:
        add_refusal(form, exc)
        return None
    state = "上班" if data["is_workday"] else "休息"
    messages.success(request, f"已将{data['day']:%Y-%m-%d}设为{state}" if changes else "没有变化")
    return data["day"]


# ----- The deadline rules -----------------------------------------------------------------------------------


def _rule_field(name):
    field = LeadRules._meta.get_field(name)
    limits = {type(v).__name__: v.limit_value for v in field.validators}
    return forms.IntegerField(
        label=field.verbose_name,
        min_value=limits.get("MinValueValidator"),
        max_value=limits.get("MaxValueValidator"),
        help_text=f"默认{DEFAULT_RULES[name]}",
    )


class LeadRulesForm(ProductForm):
    first_responsible_workdays = _rule_field("first_responsible_workdays")
    judgement_workdays = _rule_field("judgement_workdays")
    referrer_days = _rule_field("referrer_days")
    followup_days = _rule_field("followup_days")
    reassign_days = _rule_field("reassign_days")


@business_reader_required
@require_http_methods(["GET", "POST"])
def rules_page(request):
    readable = calendars.calendar_roots(request.user)
    root = _root(request, readable)
    can_edit = calendars.may_edit(request.user, root)
    current = calendars.rules_of(root)
    form = LeadRulesForm(request.POST or None, initial=current)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有主管部门管理员可以设置线索办理时限")
        if form.is_valid():
            try:
                changes = services.lead_rules_set(actor=request.user, root=root, values=form.cleaned_data)
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, f"已保存{root.name}的线索办理时限" if changes else "没有变化")
                return redirect(f"{reverse('lead_rules')}?unit={root.pk}")
    rows = [
        {
            "label": LeadRules._meta.get_field(name).verbose_name,
            "meaning": RULE_MEANINGS[name],
            "value": current[name],
            "default": DEFAULT_RULES[name],
            "field": form[name],
        }
        for name in DEFAULT_RULES
    ]
    return render(
        request,
        "frontline/rules.html",
        {"root": root, "roots": readable, "rows": rows, "form": form, "can_edit": can_edit},
    )


# ----- 转化率 -----------------------------------------------------------------------------------------------


def _month(request, name: str, default: date) -> date:
    text = request.GET.get(name)
    if not text:
        return default
    try:
        return parse_past_month(text)
    except ValueError as exc:
        raise Http404(str(exc)) from None


@business_reader_required
def conversion_page(request):
    this_month = current_month()
    first = _month(request, "from", this_month.replace(month=1))
    last = _month(request, "to", this_month)
    if first > last:
        first, last = last, first
    result = conversion(request.user, first, last)
    if wants_xlsx(request):
        return xlsx_response(export_sheets(result), f"线索转化率-{result.period_label}.xlsx")
    return render(
        request,
        "frontline/conversion.html",
        {
            "result": result,
            "first": format_month(first),
            "last": format_month(last),
            "max_month": format_month(this_month),
        },
    )
