"""Writes of 佐证材料: `attach` a file to what it proves, `remove` it. Both audited, both refused in a closed month
where the file proves something dated (a month's 到位资金, a stage change, a trip), both only for the writers of the
project's (or trip's) unit. A file of a kind an item's 认定 needs sends that item back to 待认定, whether it comes
or goes (projects/verification.py says which items a kind serves)."""

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.closing.guard import ensure_month_open
from zhaoshang.core import uploads
from zhaoshang.core.errors import Refused
from zhaoshang.core.periods import month_start
from zhaoshang.evidence.models import Attachment, EvidenceKind
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.lookups import can_edit_project
from zhaoshang.projects.models import VerificationStatus
from zhaoshang.projects.verification import items_to_reset

NOTE_MAX = 200


def max_bytes() -> int:
    return settings.EVIDENCE_MAX_BYTES


def attach(
    *,
    actor,
    kind: str,
    upload,
    project=None,
    trip=None,
    funds_month: date | None = None,
    stage_change=None,
    problem=None,
    approval_step=None,
    note: str = "",
    source: str = Source.PAGE,
) -> Attachment:
    """Check `upload` (core/uploads.py) and store it as evidence of `kind` for the project (or one of its months of
    到位资金, a stage change, a problem, an approval step) or for a trip."""
    attachment = Attachment(
        project=project,
        trip=trip,
        funds_month=month_start(funds_month) if funds_month else None,
        stage_change=stage_change,
        problem=problem,
        approval_step=approval_step,
        kind=kind,
        note=(note or "").strip(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    _check_target(actor, attachment, doing="上传佐证材料")
    if kind not in EvidenceKind.values:
        raise Refused("请选择材料类型", field="kind")
    if len(attachment.note) > NOTE_MAX:
        raise Refused(f"说明不能超过 {NOTE_MAX} 个字", field="note")
    checked = _checked(upload)
    attachment.name = uploads.clean_name(upload.name)
    if uploads.extension_of(attachment.name) != checked.extension:
        attachment.name = f"{attachment.name.rsplit('.', 1)[0]}.{checked.extension}"  # .jpeg → .jpg, as stored
    attachment.size = len(checked.data)
    attachment.content_type = checked.content_type
    attachment.sha256 = _sha256(checked.data)
    attachment.file.save(uploads.stored_name(checked.extension), ContentFile(checked.data), save=False)
    try:
        with transaction.atomic():
            attachment.save()
            record(actor, action="evidence.uploaded", target=attachment, source=source, data=_described(attachment))
            _reset_items(actor, attachment, source)
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def remove(*, actor, attachment: Attachment, source: str = Source.PAGE) -> None:
    _check_target(actor, attachment, doing="删除佐证材料")
    described = _described(attachment)
    record(
        actor,
        action="evidence.deleted",
        target=attachment,
        source=source,
        data={key: [new, None] for key, (_, new) in described.items()},
    )
    _reset_items(actor, attachment, source)
    attachment.delete()  # the bytes go once the row is surely gone (evidence/apps.py)


def _check_target(actor, attachment: Attachment, *, doing: str) -> None:
    """The user writes what the file proves, the narrower target is the project's own, the month is open."""
    project, trip = attachment.project, attachment.trip
    if (project is None) == (trip is None):
        raise Refused("佐证材料须附在一个项目或一次外出招商上")
    if trip is not None:
        if trip.unit_id not in editable_unit_ids(actor):
            raise PermissionDenied(f"您不能为此外出招商记录{doing}")
        attachment.unit = trip.unit
        ensure_month_open(trip.departs_on, trip.unit)
        return
    if not can_edit_project(actor, project):
        raise PermissionDenied(f"您不能为此项目{doing}")
    attachment.unit = project.responsible_unit
    for part, label in (
        (attachment.stage_change, "阶段变更"),
        (attachment.problem, "问题"),
        (attachment.approval_step, "前期手续"),
    ):
        if part is not None and part.project_id != project.pk:
            raise Refused(f"所选{label}不属于本项目", field="target")
    ensure_month_open(attachment.funds_month, project.responsible_unit)
    if attachment.stage_change is not None:
        ensure_month_open(attachment.stage_change.changed_on, project.responsible_unit)


def _checked(upload) -> uploads.Checked:
    if upload is None:
        raise Refused("请选择要上传的文件", field="file")
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:  # refused before a byte of it is read
        raise Refused(uploads.too_large(upload.size, limit), field="file")
    upload.seek(0)
    return uploads.check_document(upload.name or "", upload.read(limit + 1), max_bytes=limit)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _described(attachment: Attachment) -> dict:
    data = {"kind": [None, attachment.get_kind_display()], "name": [None, attachment.name]}
    if attachment.project_id:
        data["project"] = [None, attachment.project.code]
    if attachment.funds_month:
        data["funds_month"] = [None, attachment.funds_month.strftime("%Y-%m")]
    if attachment.stage_change_id:
        data["stage_change"] = [None, str(attachment.stage_change.to_stage)]
    if attachment.trip_id:
        data["trip"] = [None, str(attachment.trip)]
    return data


def _reset_items(actor, attachment: Attachment, source: str) -> None:
    """The project's decided items this file's kind serves go back to 待认定, each audited."""
    if attachment.project_id is None:
        return
    for item in items_to_reset(attachment.project, attachment.kind, attachment.funds_month).select_for_update():
        old = item.get_status_display()
        item.status = VerificationStatus.PENDING
        item.save(update_fields=["status", "updated_at"])
        label = item.get_kind_display() + (f" {item.month:%Y-%m}" if item.month else "")
        record(
            actor,
            action="verification.reset",
            target=item,
            unit=attachment.project.responsible_unit,
            source=source,
            data={"status": [old, "待认定"], "item": [None, label], "evidence": [None, attachment.name]},
        )
