"""催报: the bureau reminds, from the 上报情况 page, the units of its scope that have not yet confirmed (上报) a
month. The daily `send_reminders` does the same on its own after the deadline day; this is the bureau's button for
any day, e.g. the morning of the deadline.

It lives here and not in reporting because reporting sits below notifications in the layers (reporting may not
notify). Unlike the automatic reminders it is audited: a person chose to send it, and to whom.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from zhaoshang.audit.services import record
from zhaoshang.core.errors import Refused
from zhaoshang.core.periods import current_month, format_month, month_label, today
from zhaoshang.notifications import services
from zhaoshang.notifications.reminders import people_of_units
from zhaoshang.org.models import Unit
from zhaoshang.org.ownership import manages
from zhaoshang.reporting.models import UnitMonthReport
from zhaoshang.reporting.queries import reporting_units

KIND = "report.urged"


@dataclass
class Urged:
    units: list[Unit]  # the units not reported, each reminded
    notified: int  # notifications created now (a unit's people already urged today are not told twice)


def unreported_units(scope: Unit, month: date) -> list[Unit]:
    """The units of the scope expected to report `month` that have not (the 上报情况 page's 未上报 rows)."""
    units = list(reporting_units(under=scope))
    reported = set(UnitMonthReport.objects.filter(month=month, unit__in=units).values_list("unit_id", flat=True))
    return [u for u in units if u.pk not in reported]


@transaction.atomic
def report_urge(*, actor, scope: Unit, month: date) -> Urged:
    """Notify the reporters and unit heads of every unit under `scope` that has not confirmed `month`. Only a
    bureau managing the scope may; a unit outside it is never reached, since the units are read under the scope.
    Once a day per unit and month (the dedupe key holds the day), whoever presses the button."""
    if actor is not None and not manages(actor, scope):
        raise PermissionDenied("只有主管部门管理员可以催报本单位范围内的单位")
    if month >= current_month():
        raise Refused(f"{month_label(month)}尚未结束，各单位下月才上报该月月报，暂不能催报")
    units = unreported_units(scope, month)
    if not units:
        raise Refused(f"{scope.name}{month_label(month)}各单位均已上报，无需催报")
    people = people_of_units(u.pk for u in units)
    link = reverse("monthly_report")
    day, text = today(), format_month(month)
    notified = 0
    for unit in units:
        created = services.notify(
            users=people.get(unit.pk, []),
            kind=KIND,
            title=f"催报：{unit.name}{month_label(month)}月报尚未上报",
            body=f"{scope.name}主管部门提醒：请填报员核对本单位{month_label(month)}数据，单位负责人在“月度填报”页确认上报。",
            link=f"{link}?unit={unit.pk}&month={text}",
            dedupe_key=f"{KIND}:{unit.pk}:{text}:{day.isoformat()}",
        )
        notified += len(created)
    record(
        actor,
        action="month.urged",
        target=scope,
        data={"month": text, "units": [u.name for u in units], "notified": notified},
    )
    return Urged(units=units, notified=notified)
