"""Closing and reopening months (关账, 重新开放), each audited; a closing covers its unit's whole subtree."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.closing.models import ClosedMonth
from zhaoshang.core.periods import current_month, month_label, month_start
from zhaoshang.org.ownership import manages, managing_unit
from zhaoshang.org.scoping import require_bureau_admin
from zhaoshang.org.tree import ancestor_ids


def _closing_scope(actor, unit):
    """The unit a close or reopen acts on: the one asked for, else the actor's own (the root for the system);
    only the bureau of that unit or of a unit above it may."""
    require_bureau_admin(actor, "关账或重新开放月份")
    unit = unit or managing_unit(actor)
    if unit is None or not manages(actor, unit):
        raise PermissionDenied("只能为本级及下级单位关账或重新开放月份（所选单位不在您的管理范围内）")
    return unit


def closings_covering(unit, months) -> dict:
    """{month: the closing that covers `unit`}, made at the unit itself or above it; where both exist, the highest
    (the one a lower bureau cannot reopen)."""
    rows = (
        ClosedMonth.objects.filter(month__in=months, unit_id__in=ancestor_ids(unit.path))
        .select_related("unit", "closed_by")
        .order_by("-unit__path")  # the highest last, so it is the one kept
    )
    return {row.month: row for row in rows}


def closed_above(month: date, unit) -> ClosedMonth | None:
    """The closing that covers `unit` for `month`, at the unit itself or above it."""
    return closings_covering(unit, [month]).get(month)


@transaction.atomic
def month_close(*, actor, month: date, unit=None, source: str = Source.PAGE) -> ClosedMonth:
    """Close `month` for `unit` and everything below it (the actor's own unit by default)."""
    unit = _closing_scope(actor, unit)
    month = month_start(month)
    if month >= current_month():
        raise ValidationError({"month": f"{month_label(month)}尚未结束，不能关账"})
    covering = closed_above(month, unit)
    if covering is not None:
        by = "" if covering.unit_id == unit.pk else f"（已由{covering.unit.name}统一关账）"
        raise ValidationError({"month": f"{unit.name}{month_label(month)}已经关账{by}"})
    closed = ClosedMonth.objects.create(month=month, unit=unit, closed_by=actor)
    record(
        actor,
        action="month.closed",
        target=closed,
        source=source,
        data={"month": f"{month:%Y-%m}", "scope": unit.name},
    )
    return closed


@transaction.atomic
def month_reopen(*, actor, month: date, reason: str, unit=None, source: str = Source.PAGE) -> None:
    """Reopen the closing of `month` made at `unit` (the actor's own unit by default). A closing made above the
    actor's reach is reopened only by the bureau that made it."""
    unit = _closing_scope(actor, unit)
    month = month_start(month)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "重新开放月份须填写原因"})
    closed = ClosedMonth.objects.select_for_update().filter(month=month, unit=unit).first()
    if closed is None:
        covering = closed_above(month, unit)
        if covering is not None and manages(actor, covering.unit):
            raise ValidationError(
                {"month": f"{month_label(month)}由{covering.unit.name}统一关账，须重新开放{covering.unit.name}的关账"}
            )
        if covering is not None:
            raise ValidationError({"month": f"{month_label(month)}由上级统一关账，须由上级主管部门重新开放"})
        raise ValidationError({"month": f"{unit.name}{month_label(month)}未关账，无需重新开放"})
    record(
        actor,
        action="month.reopened",
        target=closed,
        source=source,
        data={"month": f"{month:%Y-%m}", "scope": closed.unit.name, "reason": reason},
    )
    closed.delete()
