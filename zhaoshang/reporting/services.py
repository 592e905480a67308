"""A unit's confirmation (上报) of its month. (Closing and reopening months: zhaoshang.closing.services.)"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.closing.guard import ensure_month_open
from zhaoshang.core.periods import current_month, month_label, month_start
from zhaoshang.reporting.models import UnitMonthReport


@transaction.atomic
def unit_month_confirm(*, actor, unit, month: date, source: str = Source.PAGE) -> UnitMonthReport:
    month = month_start(month)
    if month > current_month():
        raise ValidationError({"month": "不能上报未来月份"})
    ensure_month_open(month, unit)
    report, created = UnitMonthReport.objects.get_or_create(unit=unit, month=month, defaults={"confirmed_by": actor})
    if not created:
        raise ValidationError({"month": f"{unit.name}{month_label(month)}已上报"})
    record(actor, action="month.confirmed", target=report, source=source, data={"month": f"{month:%Y-%m}"})
    return report
