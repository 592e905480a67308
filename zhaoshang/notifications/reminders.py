"""Reminders (提醒): what is overdue today, as in-app notifications for the people who owe it and one summary
message per kind for the group robots. `manage.py send_reminders` runs this once a day.

A source is a plain function `(today) -> list[Reminder]` that only reads; `run()` calls each source in turn,
then notifies and sends. Every reminder carries a dedupe key naming the thing it is about (unit and month, a
problem, a step…), so a daily run never tells the same user, or the same group, twice.

Reminders are not audited: they change no business record; the notifications and RobotDelivery rows are their
own record.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.urls import reverse

from zhaoshang.core.periods import add_months, format_month, month_label, month_start
from zhaoshang.notifications import robots, services
from zhaoshang.notifications.models import RobotDelivery
from zhaoshang.org.models import Membership, Role
from zhaoshang.reporting.locks import is_closed
from zhaoshang.reporting.models import UnitMonthReport
from zhaoshang.reporting.views import reporting_units


@dataclass(frozen=True)
class Summary:
    """One group-robot message listing every reminder that carries it (sent once per dedupe key)."""

    dedupe_key: str
    title: str
    intro: str = ""


@dataclass
class Reminder:
    users: list  # who is notified in the product (may be empty: the group summary still lists it)
    kind: str
    title: str
    body: str
    link: str
    dedupe_key: str
    summary: Summary | None = None  # reminders sharing one are listed together in one group message
    summary_line: str = ""  # their line in it (the title when blank)


@dataclass
class Notified:
    reminder: Reminder
    users: list  # notified now (in a dry run: who would be)


@dataclass
class Sent:
    summary: Summary
    lines: list[str]
    deliveries: list[RobotDelivery] = field(default_factory=list)  # made now, ok or failed
    would_send: list[str] = field(default_factory=list)  # dry run: the channels that would be sent to


@dataclass
class RunReport:
    today: date
    dry_run: bool
    notified: list[Notified]
    sent: list[Sent]


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


# ----- Sources -----------------------------------------------------------------------------------------------


def missing_reports(today: date) -> list[Reminder]:
    """After the deadline day (ZHAOSHANG_REPORT_DEADLINE_DAY) of month M+1, every unit expected to report that
    has not confirmed (上报) month M: its reporters and unit heads are reminded. The units expected are the bureau's
    month status page's (every active unit below the root except investment teams, which hold no ledger)."""
    if today.day <= settings.REPORT_DEADLINE_DAY:
        return []
    month = add_months(month_start(today), -1)
    deadline = today.replace(day=settings.REPORT_DEADLINE_DAY)
    reported = set(UnitMonthReport.objects.filter(month=month).values_list("unit_id", flat=True))
    units = [unit for unit in reporting_units() if unit.pk not in reported]
    if not units:
        return []
    people = {}
    for membership in (
        Membership.objects.filter(unit__in=units, role__in=[Role.REPORTER, Role.UNIT_HEAD], user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ):
        people.setdefault(membership.unit_id, []).append(membership.user)
    closed = is_closed(month)
    summary = Summary(
        dedupe_key=f"report.missing:{format_month(month)}",
        title=f"{month_label(month)}月报逾期未上报单位（{len(units)}个）",
        intro=f"截至{_day(today)}，以下{len(units)}个单位尚未确认上报{month_label(month)}月报"
        f"（应于{_day(deadline)}前上报）：",
    )
    body = f"{month_label(month)}月报应于{_day(deadline)}前由单位负责人确认上报，截至{_day(today)}尚未上报。"
    body += (
        "该月已关账，须请主管部门重新开放后才能上报。"
        if closed
        else "请填报员核对本单位当月数据，单位负责人在“月度填报”页确认上报。"
    )
    link = reverse("monthly_report")
    return [
        Reminder(
            users=people.get(unit.pk, []),
            kind="report.missing",
            title=f"{unit.name}{month_label(month)}月报尚未上报",
            body=body,
            link=f"{link}?unit={unit.pk}&month={format_month(month)}",
            dedupe_key=f"report.missing:{unit.pk}:{format_month(month)}",
            summary=summary,
            summary_line=unit.name,
        )
        for unit in units
    ]


# ----- Running them ------------------------------------------------------------------------------------------


def run(*, today: date, dry_run: bool = False) -> RunReport:
    """Collect today's reminders from every source, notify the users who have not had them, and post one summary
    per kind to the group robots (not again once delivered). A dry run reads only."""
    reminders = [
        *missing_reports(today),
        # Further sources go here, each a function (today) -> list[Reminder]: overdue problems, overdue approval
        # steps, meeting tasks due.
    ]
    notified = []
    for reminder in reminders:
        if dry_run:
            users = services.users_not_notified(users=reminder.users, dedupe_key=reminder.dedupe_key)
        else:
            created = services.notify(
                users=reminder.users,
                kind=reminder.kind,
                title=reminder.title,
                body=reminder.body,
                link=reminder.link,
                dedupe_key=reminder.dedupe_key,
            )
            users = [n.user for n in created]
        notified.append(Notified(reminder, users))
    return RunReport(today=today, dry_run=dry_run, notified=notified, sent=_send_summaries(reminders, dry_run))


def _send_summaries(reminders: list[Reminder], dry_run: bool) -> list[Sent]:
    grouped: dict[Summary, list[str]] = {}
    for reminder in reminders:
        if reminder.summary is not None:
            grouped.setdefault(reminder.summary, []).append(reminder.summary_line or reminder.title)
    sent = []
    for summary, lines in grouped.items():
        text = "\n".join([summary.intro, "", *(f"- {line}" for line in lines)]).strip()
        if dry_run:
            pending = [
                channel
                for channel, _ in robots.configured_channels()
                if not robots.already_sent(channel, summary.dedupe_key)
            ]
            sent.append(Sent(summary, lines, would_send=pending))
        else:
            deliveries = robots.send_robot_message(title=summary.title, text=text, dedupe_key=summary.dedupe_key)
            sent.append(Sent(summary, lines, deliveries=deliveries))
    return sent
