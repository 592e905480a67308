"""The audit log as xlsx rows: every entry the auditor's filters select, not only the page shown, for core.files'
xlsx writer."""

from django.utils import timezone

from zhaoshang.audit.actions import ACTION_LABELS, field_label

AUDIT_HEADERS = ["时间", "操作人", "单位", "操作", "对象", "来源", "内容"]


def audit_rows(entries):
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_name,
            entry.unit.name if entry.unit_id else "",
            ACTION_LABELS.get(entry.action, entry.action),
            entry.target_repr,
            entry.get_source_display(),
            _data_text(entry.data),
        ]


def _data_text(data: dict) -> str:
    parts = []
    for key, value in (data or {}).items():
        if isinstance(value, list) and len(value) == 2:
            old, new = ("空" if v is None else v for v in value)
            parts.append(f"{field_label(key)}: {old} → {new}")
        else:
            parts.append(f"{field_label(key)}: {value}")
    return "；".join(parts)
