from django import template

from zhaoshang.core.money import format_amount
from zhaoshang.core.periods import format_month, month_label

register = template.Library()


@register.filter
def amount(value):
    return format_amount(value)


@register.filter
def ym(value):
    return format_month(value) if value else ""


@register.filter
def ym_label(value):
    return month_label(value) if value else ""


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
