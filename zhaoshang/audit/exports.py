"""The audit log as xlsx rows: every entry the auditor's filters select, not only the page shown, for core.files'
xlsx writer. Rows from values_list(), the unit's name by join: no ORM object per row."""

from django.utils import timezone

from zhaoshang.audit.actions import ACTION_LABELS, field_label
from zhaoshang.audit.models import Source

SOURCE_LABELS = dict(Source.choices)

AUDIT_HEADERS = ["时间", "操作人", "单位", "操作", "对象", "来源", "内容"]


def audit_rows(entries):
    fields = ("created_at", "actor_name", "unit__name", "action", "target_repr", "source", "data")
    for created_at, actor_name, unit, action, target, source, data in entries.values_list(*fields).iterator(
        chunk_size=2000
    ):
        yield [
            timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M:%S"),
            actor_name,
            unit or "",
            ACTION_LABELS.get(action, action),
            target,
            SOURCE_LABELS.get(source, source),
            _data_text(data, action),
        ]


def _data_text(data: dict, action: str) -> str:
    parts = []
    for key, value in (data or {}).items():
        if isinstance(value, list) and len(value) == 2:
            old, new = ("空" if v is None else v for v in value)
            parts.append(f"{field_label(key, action)}: {old} → {new}")
        else:
            parts.append(f"{field_label(key, action)}: {value}")
    return "；".join(parts)
