"""Undoing a front-line import (sheets.undo): a trip or reception it created is deleted, one it changed gets its
earlier values back, through frontline.services (audited, closed months refused), while nothing later has
touched it. A lead (a new ledger project) and a follow-up (a log entry) are not taken back."""

from datetime import date

from zhaoshang.audit.services import jsonable
from zhaoshang.frontline import services as frontline
from zhaoshang.frontline.models import Reception, Trip
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import editable_unit_ids

NOT_UNDOABLE = {
    "lead.registered": "导入登记了招商线索，线索（台账项目）不能删除",
    "lead.updated": "导入修改了线索登记信息，请在项目页面修改",
    "followup.created": "导入新增了跟进记录，跟进记录不能删除",
}

# action prefix → (model, its audited fields, save, delete)
_KINDS = {
    "trip": (Trip, frontline.TRIP_FIELDS, "trip"),
    "reception": (Reception, frontline.RECEPTION_FIELDS, "reception"),
}


def handles(action: str) -> bool:
    return action.split(".")[0] in _KINDS


def _row(entry):
    model, _, _ = _KINDS[entry.action.split(".")[0]]
    return model.objects.select_related("unit").filter(pk=entry.target_id).first()


def out_of_reach(entry, actor) -> str | None:
    row = _row(entry)
    if row is None or actor is None:
        return None  # gone: _touched reports it, naming the row by its audited text
    return None if row.unit_id in editable_unit_ids(actor) else "已不在您的填报范围内"


def written(entry) -> dict:
    return {field: pair[1] for field, pair in entry.data.items() if isinstance(pair, list)}


def current(entry) -> dict | None:
    row = _row(entry)
    if row is None:
        return None
    _, fields, _ = _KINDS[entry.action.split(".")[0]]
    snapshot = frontline._snapshot(row, fields)
    return {field: jsonable(snapshot.get(field)) for field in written(entry)}


def _value(field: str, text):
    if text is None:
        return None
    if field == "unit":
        return Unit.objects.get(pk=text)
    if field in ("departs_on", "returns_on", "on_date"):
        return date.fromisoformat(text)
    return text


def restore(entry, *, actor, source: str) -> None:
    prefix, verb = entry.action.split(".")
    row = _row(entry)
    if verb == "created":
        delete = frontline.trip_delete if prefix == "trip" else frontline.reception_delete
        delete(actor=actor, **{prefix: row}, source=source)
        return
    values = {field: _value(field, pair[0]) for field, pair in entry.data.items() if isinstance(pair, list)}
    save = frontline.trip_save if prefix == "trip" else frontline.reception_save
    save(actor=actor, **{prefix: row}, values=values, source=source)
