"""Writes of 宣传与培训. Each one checks who may, validates, writes and records an audit entry, in one transaction.

- A typical case is its unit's: the unit's reporters, and the unit heads and bureau above it, create, change and
  delete it; a leader only reads. Its linked projects are ledger projects of the unit's subtree the actor reads.
- Photos are checked and re-encoded by carriers/photos.py (JPEG or PNG by content, size cap, metadata dropped).
- A training session is written by a bureau admin of its owner (the bureau's unit); its attendees are accounts of
  the owner's subtree, each attendance keeping the attendee's unit of that day."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.carriers import photos
from zhaoshang.core.field_messages import full_clean
from zhaoshang.org.models import subtree_q
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin
from zhaoshang.outreach import queries
from zhaoshang.outreach.models import Attendance, CasePhoto, TrainingSession, TypicalCase
from zhaoshang.projects.models import Project

CASE_FIELDS = ["unit", "title", "text", "media", "level", "published_on", "link"]
SESSION_FIELDS = ["held_on", "topic", "organiser", "hours", "place", "note"]
MAX_PHOTOS = 9


def may_write_case(user, case: TypicalCase) -> bool:
    return case.unit_id in editable_unit_ids(user)


def may_write_session(user, session: TrainingSession) -> bool:
    return is_bureau_admin(user) and session.owner_id in editable_unit_ids(user)


def _require_unit(actor, unit_id, doing: str) -> None:
    if actor is not None and unit_id not in editable_unit_ids(actor):
        raise PermissionDenied(f"您不能{doing}：该单位不在您可填报的范围内")


def projects_for(actor, unit):
    """The ledger projects a case of `unit` may link: of the unit's subtree, read by the actor."""
    rows = Project.objects.filter(subtree_q([unit], "responsible_unit"))
    return rows.readable_by(actor) if actor is not None else rows


def _case_audit(case: TypicalCase, project_codes: list[str]) -> dict:
    values = {f: getattr(case, f) for f in CASE_FIELDS if f != "unit"}
    values["unit"] = case.unit.name if case.unit_id else None
    values["projects"] = "、".join(sorted(project_codes))
    return values


@transaction.atomic
def case_save(*, actor, case: TypicalCase | None = None, values: dict, projects=(), source=Source.PAGE):
    """Create a case (case None) or change one; `projects` the linked ledger projects. Returns the case."""
    creating = case is None
    if creating:
        case, before = TypicalCase(author=actor if getattr(actor, "pk", None) else None), {}
    else:
        case = TypicalCase.objects.select_for_update().select_related("unit").get(pk=case.pk)
        _require_unit(actor, case.unit_id, "修改典型案例")
        before = _case_audit(case, list(case.projects.values_list("code", flat=True)))
    for field in CASE_FIELDS:
        if field in values:
            setattr(case, field, values[field])
    if case.unit_id is None:
        raise ValidationError({"unit": "请选择单位"})
    _require_unit(actor, case.unit_id, "登记典型案例" if creating else "修改典型案例")
    projects = list(projects)
    allowed = set(projects_for(actor, case.unit).filter(pk__in=[p.pk for p in projects]).values_list("pk", flat=True))
    outside = [p.code for p in projects if p.pk not in allowed]
    if outside:
        raise ValidationError({"projects": f"项目 {'、'.join(outside)} 不属于{case.unit.name}及其下级单位，不能关联"})
    full_clean(case)
    after = _case_audit(case, [p.code for p in projects])
    changes = diff(before, after)
    if not creating and not changes:
        return case
    case.save()
    case.projects.set(projects)
    record(
        actor,
        action="case.created" if creating else "case.updated",
        target=case,
        source=source,
        data=changes if not creating else {k: [None, v] for k, v in after.items() if v not in (None, "")},
    )
    return case


@transaction.atomic
def case_delete(*, actor, case: TypicalCase, source=Source.PAGE) -> None:
    case = TypicalCase.objects.select_for_update().select_related("unit").get(pk=case.pk)
    _require_unit(actor, case.unit_id, "删除典型案例")
    names = list(case.photos.values_list("image", flat=True))
    record(
        actor,
        action="case.deleted",
        target=case,
        source=source,
        data={"title": [case.title, None], "unit": [case.unit.name, None], "photos": [len(names), 0]},
    )
    case.delete()
    transaction.on_commit(lambda: photos.delete_files(names))


@transaction.atomic
def photo_add(*, actor, case: TypicalCase, upload, caption: str = "", source=Source.PAGE) -> CasePhoto:
    """Store an uploaded photo of `case`, checked and re-encoded (carriers/photos.py)."""
    case = TypicalCase.objects.select_for_update().select_related("unit").get(pk=case.pk)
    _require_unit(actor, case.unit_id, "上传照片")
    if case.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"image": f"每个案例最多保存 {MAX_PHOTOS} 张照片，请先删除不用的照片"})
    content = photos.clean_image(upload)
    photo = CasePhoto(
        case=case, caption=(caption or "").strip()[:100], author=actor if getattr(actor, "pk", None) else None
    )
    photo.image.save(content.name, content, save=False)
    try:
        photo.save()
        label = photo.caption or photo.image.name.rsplit("/", 1)[-1]
        record(actor, action="case.photo_added", target=case, source=source, data={"photo": [None, label]})
    except Exception:
        photos.delete_files([photo.image.name])
        raise
    return photo


@transaction.atomic
def photo_delete(*, actor, photo: CasePhoto, source=Source.PAGE) -> None:
    photo = CasePhoto.objects.select_related("case__unit").get(pk=photo.pk)
    _require_unit(actor, photo.case.unit_id, "删除照片")
    name = photo.image.name
    label = photo.caption or name.rsplit("/", 1)[-1]
    record(actor, action="case.photo_deleted", target=photo.case, source=source, data={"photo": [label, None]})
    photo.delete()
    transaction.on_commit(lambda: photos.delete_files([name]))


# --- Training -------------------------------------------------------------------------------------------------------


def _require_bureau(actor, owner_id, doing: str) -> None:
    if actor is not None and not (is_bureau_admin(actor) and owner_id in editable_unit_ids(actor)):
        raise PermissionDenied(f"只有主管部门管理员可以{doing}")


def _session_audit(session: TrainingSession, names: list[str]) -> dict:
    values = {f: getattr(session, f) for f in SESSION_FIELDS}
    values["attendees"] = "、".join(sorted(names))
    return values


@transaction.atomic
def session_save(
    *, actor, owner=None, session: TrainingSession | None = None, values: dict, attendees=(), source=Source.PAGE
):
    """Create a session of `owner` (session None) or change one; `attendees` the accounts who attended (each must
    be an account of the owner's subtree). Returns the session."""
    creating = session is None
    if creating:
        session, before, kept = TrainingSession(owner=owner), {}, {}
    else:
        session = TrainingSession.objects.select_for_update().select_related("owner").get(pk=session.pk)
        kept = {a.user_id: a for a in session.attendances.select_related("user")}
        before = _session_audit(session, [a.user.username for a in kept.values()])
    _require_bureau(actor, session.owner_id, "登记培训" if creating else "修改培训")
    for field in SESSION_FIELDS:
        if field in values:
            setattr(session, field, values[field])
    full_clean(session)
    units = {user.pk: unit for user, unit in queries.attendee_rows(session.owner)}
    chosen = {u.pk: u for u in attendees}
    outside = [u.username for pk, u in chosen.items() if pk not in units]
    if outside:
        raise ValidationError({"attendees": f"账号 {'、'.join(outside)} 不属于{session.owner.name}，不能登记为参训人"})
    after = _session_audit(session, [u.username for u in chosen.values()])
    changes = diff(before, after)
    if not creating and not changes:
        return session
    session.save()
    session.attendances.exclude(user_id__in=list(chosen)).delete()
    Attendance.objects.bulk_create(
        [Attendance(session=session, user=u, unit=units[pk]) for pk, u in chosen.items() if pk not in kept]
    )
    record(
        actor,
        action="training.created" if creating else "training.updated",
        target=session,
        source=source,
        data=changes if not creating else {k: [None, v] for k, v in after.items() if v not in (None, "")},
    )
    return session


@transaction.atomic
def session_delete(*, actor, session: TrainingSession, source=Source.PAGE) -> None:
    session = TrainingSession.objects.select_for_update().select_related("owner").get(pk=session.pk)
    _require_bureau(actor, session.owner_id, "删除培训")
    record(
        actor,
        action="training.deleted",
        target=session,
        source=source,
        data={
            "topic": [session.topic, None],
            "held_on": [session.held_on, None],
            "attendees": [session.attendances.count(), 0],
        },
    )
    session.delete()
