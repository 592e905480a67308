"""audit.record(): the one way to write the log, called in the same transaction as the change it records."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from django.db import models

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.core.client import current_address


def jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    changed = {}
    for key in after:
        old, new = jsonable(before.get(key)), jsonable(after.get(key))
        if old != new:
            changed[key] = [old, new]
    return changed


# The import whose rows are being written, if any: every entry recorded meanwhile carries its id under "import",
# so the whole import can be found again, and undone, from the log itself.
_current_import: ContextVar[int | None] = ContextVar("current_import", default=None)


@contextmanager
def import_context(log_id: int):
    token = _current_import.set(log_id)
    try:
        yield
    finally:
        _current_import.reset(token)


def record(
    actor,
    *,
    action: str,
    target=None,
    data: dict | None = None,
    source: str = Source.PAGE,
    unit=None,
    ip: str | None = None,
) -> AuditEntry:
    if unit is None and target is not None:
        unit = getattr(target, "audit_unit", None)
    actor_obj = actor if getattr(actor, "pk", None) else None
    if unit is None and actor_obj is not None:
        # A target that names no unit (a rate, a group, an import): the acting account's own unit, so a county's
        # auditor finds what its own accounts did.
        unit = getattr(actor_obj, "audit_unit", None)
    if ip is None:
        ip = current_address()  # the request being answered (core/client.py); None in commands
    data = dict(data or {})
    if _current_import.get() is not None:
        data.setdefault("import", _current_import.get())
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_name=(getattr(actor, "username", "") or "") if actor_obj else "系统",
        unit=unit,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        data={k: jsonable(v) if not isinstance(v, list) else [jsonable(x) for x in v] for k, v in data.items()},
        source=source,
        ip=ip,
    )
