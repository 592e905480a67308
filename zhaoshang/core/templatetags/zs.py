from django import template

from zhaoshang.audit.actions import action_label, field_label
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
def action_name(value):
    return action_label(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def change_pairs(data):
    """Audit data as (field, old, new) rows; plain values as (field, '', value)."""
    rows = []
    for key, value in (data or {}).items():
        if isinstance(value, list) and len(value) == 2:
            rows.append((field_label(key), value[0], value[1]))
        else:
            rows.append((field_label(key), "", value))
    return rows
