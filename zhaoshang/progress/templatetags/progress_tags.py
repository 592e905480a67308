"""Showing progress figures: amounts in their display unit, rates, gaps in words, lights."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from zhaoshang.core import wording
from zhaoshang.core.formats import format_percent, light_label
from zhaoshang.core.money import format_amount
from zhaoshang.progress import pace as pace_rules
from zhaoshang.projects.indicators import BY_CODE

register = template.Library()


@register.filter
def figure(value, code):
    """A figure in the unit it is shown in: counts whole, 万元 amounts as 亿元 with two decimals."""
    if value is None:
        return "—"
    indicator = BY_CODE.get(code)
    if indicator is None or not indicator.is_amount:
        return f"{int(value):,}"
    return format_amount(Decimal(value) / indicator.divisor)


@register.filter
def shown_unit(code):
    indicator = BY_CODE.get(code)
    return indicator.shown_in if indicator else ""


@register.filter
def pct(ratio):
    return format_percent(ratio)


@register.filter
def gap_words(gap):
    """'高于序时进度3.2个百分点' / '低于序时进度12.0个百分点' / '与序时进度持平'; '无目标' without one."""
    return "无目标" if gap is None else wording.schedule_words(gap)


@register.filter
def target_words(progress):
    """Why a figure has no completion rate: '目标为0' for a target of 0 (a target: shown as 0, no rate), '未设目标'
    without one."""
    if progress.target is None:
        return "未设目标"
    return "目标为0" if progress.target == 0 else ""


@register.filter
def light_dot(light):
    if light is None:
        return mark_safe('<span class="light light-none" title="无完成率，不亮灯">—</span>')  # no target, or 0
    return format_html('<span class="light light-{}" title="{}"></span>', light, light_label(light))


@register.filter
def indicator_name(code):
    indicator = BY_CODE.get(code)
    return indicator.name if indicator else code


@register.filter
def growth_words(growth):
    """'增长5.2%' / '下降3.1%' / '持平' from a growth percentage."""
    return "—" if growth is None else wording.growth_words(growth, level="持平")


@register.filter
def pace_year(pace):
    """冲刺: '全年还需5个，月均3个' / '已完成全年目标'; '' without a target."""
    return pace_rules.year_words(pace) if pace else ""


@register.filter
def pace_half(pace):
    """冲刺: '双过半还需2个' / '已实现双过半'; '' from June on or without a target."""
    return pace_rules.half_words(pace) if pace else ""


@register.filter
def pace_value(value, code):
    """A pace figure with its unit ('3个', '0.75亿元'); '—' for none."""
    return "—" if value is None else pace_rules.shown(code, value)
