"""Template filters that read the audit log in Chinese: an action's name and each change as (field, old, new)."""

from django import template

from zhaoshang.audit.actions import action_label, field_label

register = template.Library()
register.filter("action_name", action_label)


@register.simple_tag
def change_pairs(data, action=""):
    """Audit data as (field, old, new) rows; plain values as (field, '', value). The entry's action names the
    fields where two kinds of record share a field name (audit/actions.py KIND_FIELD_LABELS)."""
    rows = []
    for key, value in (data or {}).items():
        if isinstance(value, list) and len(value) == 2:
            rows.append((field_label(key, action), value[0], value[1]))
        else:
            rows.append((field_label(key, action), "", value))
    return rows
