"""Closing and reopening months, and a unit's confirmation (上报) of its month."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.service import record
from zhaoshang.core.periods import current_month, month_label, month_start
from zhaoshang.org.scoping import require_bureau_admin
from zhaoshang.reporting.locks import ensure_month_open
from zhaoshang.reporting.models import ClosedMonth, UnitMonthReport


@transaction.atomic
def month_close(*, actor, month: date, source: str = Source.PAGE) -> ClosedMonth:
    require_bureau_admin(actor, "关账")
    month = month_start(month)
    if month >= current_month():
        raise ValidationError({"month": f"{month_label(month)}尚未结束，不能关账"})
    if ClosedMonth.objects.filter(month=month).exists():
        raise ValidationError({"month": f"{month_label(month)}已经关账"})
    closed = ClosedMonth.objects.create(month=month, closed_by=actor)
    record(actor, action="month.closed", target=closed, source=source, data={"month": f"{month:%Y-%m}"})
    return closed


@transaction.atomic
def month_reopen(*, actor, month: date, reason: str, source: str = Source.PAGE) -> None:
    require_bureau_admin(actor, "重新开放已关账的月份")
    month = month_start(month)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "重新开放月份须填写原因"})
    closed = ClosedMonth.objects.select_for_update().filter(month=month).first()
    if closed is None:
        raise ValidationError({"month": f"{month_label(month)}未关账，无需重新开放"})
    record(
        actor, action="month.reopened", target=closed, source=source, data={"month": f"{month:%Y-%m}", "reason": reason}
    )
    closed.delete()


@transaction.atomic
def unit_month_confirm(*, actor, unit, month: date, source: str = Source.PAGE) -> UnitMonthReport:
    month = month_start(month)
    if month > current_month():
        raise ValidationError({"month": "不能上报未来月份"})
    ensure_month_open(month)
    report, created = UnitMonthReport.objects.get_or_create(unit=unit, month=month, defaults={"confirmed_by": actor})
    if not created:
        raise ValidationError({"month": f"{unit.name}{month_label(month)}已上报"})
    record(actor, action="month.confirmed", target=report, source=source, data={"month": f"{month:%Y-%m}"})
    return report
