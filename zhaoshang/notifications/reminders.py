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

from zhaoshang.closing.guard import ClosedIndex
from zhaoshang.construction.queries import overdue_steps
from zhaoshang.coordination.meetings import tasks_due
from zhaoshang.coordination.models import Problem, Status
from zhaoshang.coordination.problems import leaders_for
from zhaoshang.core.periods import add_months, format_month, month_label, month_start
from zhaoshang.frontline.deadlines import overdue_leads
from zhaoshang.notifications import robots, services
from zhaoshang.notifications.models import RobotDelivery
from zhaoshang.org.models import Membership, Role, Unit, User
from zhaoshang.reporting.models import UnitMonthReport
from zhaoshang.reporting.queries import reporting_units


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


def _daily_summary(kind: str, today: date, title: str, listing: str) -> Summary:
    """The one group message of the day for a kind of reminder: its intro says as of when, then what it lists."""
    return Summary(dedupe_key=f"{kind}:{today.isoformat()}", title=title, intro=f"截至{_day(today)}，{listing}")


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
    units = [unit for unit in reporting_units(month=month) if unit.pk not in reported]
    if not units:
        return []
    people = people_of_units(unit.pk for unit in units)
    closed = ClosedIndex([month], [unit.path for unit in units])  # closed per county: ask for each unit
    summary = Summary(
        dedupe_key=f"report.missing:{format_month(month)}",
        title=f"{month_label(month)}月报逾期未上报单位（{len(units)}个）",
        intro=f"截至{_day(today)}，以下{len(units)}个单位尚未确认上报{month_label(month)}月报"
        f"（应于{_day(deadline)}前上报）：",
    )
    late = f"{month_label(month)}月报应于{_day(deadline)}前由单位负责人确认上报，截至{_day(today)}尚未上报。"
    bodies = {
        True: late + "该月已关账，须请主管部门重新开放后才能上报。",
        False: late + "请填报员核对本单位当月数据，单位负责人在“月度填报”页确认上报。",
    }
    link = reverse("monthly_report")
    return [
        Reminder(
            users=people.get(unit.pk, []),
            kind="report.missing",
            title=f"{unit.name}{month_label(month)}月报尚未上报",
            body=bodies[closed.closed(month, unit.path)],
            link=f"{link}?unit={unit.pk}&month={format_month(month)}",
            dedupe_key=f"report.missing:{unit.pk}:{format_month(month)}",
            summary=summary,
            summary_line=unit.name,
        )
        for unit in units
    ]


def people_of_units(unit_ids) -> dict:
    """The reporters and unit heads of each unit, by unit id: who is told what their unit owes."""
    people: dict = {}
    for membership in (
        Membership.objects.filter(
            unit_id__in=set(unit_ids), role__in=[Role.REPORTER, Role.UNIT_HEAD], user__is_active=True
        )
        .select_related("user")
        .order_by("user__username")
    ):
        people.setdefault(membership.unit_id, []).append(membership.user)
    return people


def overdue_problems(today: date) -> list[Reminder]:
    """Problems past their deadline: the assigned department is told while it owes the answer, the raising unit
    while it owes the confirmation, and the leaders in charge once the problem has been escalated to them
    (`escalate_problems`). The group gets one list a day."""

    problems = list(
        Problem.objects.overdue(today).select_related("project__responsible_unit", "department").order_by("deadline")
    )
    if not problems:
        return []
    people = people_of_units(
        [p.department_id for p in problems if p.department_id] + [p.project.responsible_unit_id for p in problems]
    )
    summary = _daily_summary(
        "problem.overdue", today, f"逾期未办结问题（{len(problems)}个）", "以下问题已超过办理时限："
    )
    reminders = []
    for problem in problems:
        owes = problem.department_id if problem.status == Status.ASSIGNED else problem.project.responsible_unit_id
        who = "责任部门尚未办结答复" if problem.status == Status.ASSIGNED else "项目单位尚未确认销号"
        users = list(people.get(owes, []))
        if problem.escalated_at:
            users += [u for u in leaders_for(problem) if u not in users]
        place = problem.department.name if problem.department else "未分派"
        reminders.append(
            Reminder(
                users=users,
                kind="problem.overdue",
                title=f"{problem.project.code} {problem.category}问题已逾期",
                body=f"{problem.project.name}：{problem.description[:80]}。办理时限{_day(problem.deadline)}，{who}。",
                link=reverse("problem_detail", args=[problem.pk]),
                dedupe_key=f"problem.overdue:{problem.pk}:{problem.deadline.isoformat()}",
                summary=summary,
                summary_line=f"{problem.project.name}（{problem.category}，{place}，时限{_day(problem.deadline)}）",
            )
        )
    return reminders


def overdue_approval_steps(today: date) -> list[Reminder]:
    """Approval steps past their planned date: the handling department and the project's unit are told."""

    found = overdue_steps(today)
    if not found:
        return []
    people = people_of_units(
        [o.department.pk for o in found if o.department] + [o.project.responsible_unit_id for o in found]
    )
    summary = _daily_summary(
        "approval.overdue", today, f"逾期未办结的前期手续（{len(found)}项）", "以下前期手续已超过计划办结日期："
    )
    reminders = []
    for item in found:
        users = list(people.get(item.project.responsible_unit_id, []))
        if item.department:
            users += [u for u in people.get(item.department.pk, []) if u not in users]
        place = item.department.name if item.department else "未定部门"
        reminders.append(
            Reminder(
                users=users,
                kind="approval.overdue",
                title=f"{item.project.code} {item.step.name}逾期{item.days_overdue}天",
                body=f"{item.project.name}的{item.step.name}计划{_day(item.step.planned_on)}办结，"
                f"已逾期{item.days_overdue}天（{place}）。",
                link=reverse("project_approvals", args=[item.project.pk]),
                dedupe_key=f"approval.overdue:{item.step.pk}:{item.step.planned_on.isoformat()}",
                summary=summary,
                summary_line=f"{item.project.name}：{item.step.name}，{place}，逾期{item.days_overdue}天",
            )
        )
    return reminders


TASK_DUE_DAYS = 3  # a meeting task is announced this many days before its deadline, and again once overdue


def meeting_tasks_due(today: date) -> list[Reminder]:
    """Dispatch meeting tasks falling due within TASK_DUE_DAYS, or overdue: the owner unit is told (once before the
    deadline, once after it)."""

    tasks = list(tasks_due(today, within_days=TASK_DUE_DAYS))
    if not tasks:
        return []
    people = people_of_units([t.owner_id for t in tasks])
    summary = _daily_summary(
        "task.due", today, f"调度会议定事项到期提醒（{len(tasks)}项）", "以下议定事项即将到期或已逾期："
    )
    reminders = []
    for task in tasks:
        late = task.deadline < today
        state = "已逾期" if late else "即将到期"
        reminders.append(
            Reminder(
                users=people.get(task.owner_id, []),
                kind="task.due",
                title=f"调度会议定事项{state}：{task.decision[:30]}",
                body=f"{task.meeting.title}议定：{task.decision}完成时限{_day(task.deadline)}，请按时报告完成情况。",
                link=reverse("task_list"),
                dedupe_key=f"task.{'overdue' if late else 'due'}:{task.pk}:{task.deadline.isoformat()}",
                summary=summary,
                summary_line=f"{task.owner.name}：{task.decision[:40]}（时限{_day(task.deadline)}，{state}）",
            )
        )
    return reminders


def overdue_lead_deadlines(today: date) -> list[Reminder]:
    """Leads in hand (线索/在谈) with a deadline passed (frontline.rules: 首问负责人, 研判, 告知引荐方, 跟进), in
    working days of each lead's own county. The 首问负责人 (once named) and the responsible unit's reporters and
    head get one notification per lead per deadline missed: the key names the deadline and its due day, so a
    daily run does not repeat it, and a follow-up interval lapsing again (a new due day) is told afresh. Each
    bureau gets one count of its subtree's overdue leads a day; the group one list a day, a line per lead."""

    states = overdue_leads(Unit.objects.filter(parent=None), today)
    if not states:
        return []
    people = people_of_units(s.profile.project.responsible_unit_id for s in states)
    first_asked = User.objects.filter(pk__in={s.profile.first_responsible_id for s in states}, is_active=True)
    first_asked = {user.pk: user for user in first_asked}
    summary = _daily_summary(
        "lead.overdue", today, f"办理逾期的招商线索（{len(states)}条）", "以下招商线索已超过办理时限："
    )
    reminders = []
    for state in states:
        profile, project = state.profile, state.profile.project
        users = [first_asked[profile.first_responsible_id]] if profile.first_responsible_id in first_asked else []
        users += [u for u in people.get(project.responsible_unit_id, []) if u not in users]
        late = "、".join(f"{d.what}逾期{d.days_late}天" for d in state.overdue)
        for index, deadline in enumerate(state.overdue):
            reminders.append(
                Reminder(
                    users=users,
                    kind="lead.overdue",
                    title=f"{project.code} 线索{deadline.what}逾期{deadline.days_late}天",
                    body=f"{project.name}（{project.responsible_unit.name}，{_day(profile.registered_on)}登记）："
                    f"{LEAD_DUTIES[deadline.what]}，时限{_day(deadline.due)}，已逾期{deadline.days_late}天。",
                    link=reverse("project_detail", args=[project.pk]),
                    dedupe_key=f"lead.overdue:{profile.pk}:{deadline.what}:{deadline.due.isoformat()}",
                    # one line per lead in the group's list, carried by its first deadline
                    summary=summary if index == 0 else None,
                    summary_line=f"{project.name}（{project.responsible_unit.name}，{late}）",
                )
            )
    return reminders + _lead_digests(states, today)


# What each missed deadline asks of the unit, in the notification's body.
LEAD_DUTIES = {
    "首问负责人": "尚未明确首问负责人",
    "研判": "尚未完成研判（有效 / 不予跟进）",
    "告知引荐方": "尚未将研判结果告知引荐方",
    "跟进": "超过跟进间隔未填写跟进记录",
}


def _lead_digests(states, today: date) -> list[Reminder]:
    """One notification a day to each bureau admin: how many leads of its subtree are overdue."""
    reminders = []
    bureaus = Membership.objects.filter(role=Role.BUREAU_ADMIN, user__is_active=True, unit__is_active=True)
    by_unit: dict = {}
    for membership in bureaus.select_related("user", "unit").order_by("unit__path", "user__username"):
        by_unit.setdefault(membership.unit, []).append(membership.user)
    for unit, users in by_unit.items():
        mine = [s for s in states if s.profile.project.responsible_unit.path.startswith(unit.path)]
        if not mine:
            continue
        units = len({s.profile.project.responsible_unit_id for s in mine})
        reminders.append(
            Reminder(
                users=users,
                kind="lead.overdue.digest",
                title=f"{unit.name}有{len(mine)}条招商线索办理逾期",
                body=f"截至{_day(today)}，{units}个单位的{len(mine)}条线索超过办理时限（首问负责人、研判、"
                "告知引荐方或跟进），已分别提醒首问负责人和责任单位。",
                link=reverse("project_list"),
                dedupe_key=f"lead.overdue.digest:{unit.pk}:{today.isoformat()}",
            )
        )
    return reminders


# ----- Running them ------------------------------------------------------------------------------------------


def run(*, today: date, dry_run: bool = False) -> RunReport:
    """Collect today's reminders from every source, notify the users who have not had them, and post one summary
    per kind to the group robots (not again once delivered). A dry run reads only."""
    reminders = [
        *missing_reports(today),
        *overdue_problems(today),
        *overdue_approval_steps(today),
        *meeting_tasks_due(today),
        *overdue_lead_deadlines(today),
        # Further sources go here, each a read-only function (today) -> list[Reminder].
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
        text = "\n".join([summary.intro, "", *(f"- {robots.plain(line)}" for line in lines)]).strip()
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
