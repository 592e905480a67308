"""Dispatch meetings (调度会): create one with its agenda drafted, decide each item, follow the tasks up.

The agenda is the 调度 agenda of coordination/agenda.py (the same items the 调度 material lists): it opens with
what earlier meetings decided and is not yet done, or was due since (上次会议议定事项, with whether it was done),
then the open problems of the unit's subtree, the approval steps past their planned date, the key projects behind
their plan's 序时进度, the projects signed and not started in time, and those whose stage has not moved for months.
Each decision names an owner unit and a deadline and becomes a MeetingTask,
which the owner marks done. Every write is audited."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.coordination.agenda import agenda_limit, dispatch_agenda
from zhaoshang.coordination.meeting_models import (
    KIND_ORDER,
    AgendaItem,
    DispatchMeeting,
    ItemKind,
    MeetingStatus,
    MeetingTask,
    TaskStatus,
)
from zhaoshang.core.field_messages import full_clean
from zhaoshang.core.formats import points
from zhaoshang.core.periods import add_months, month_start
from zhaoshang.org.departments import may_work_on
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin


def _require_bureau(actor) -> None:
    if actor is not None and not is_bureau_admin(actor):
        raise PermissionDenied("只有主管部门管理员可以组织调度会")


def _require_open(meeting: DispatchMeeting) -> None:
    if meeting.is_closed:
        raise ValidationError("会议已结束，议定事项不能再修改")


def _answerable(unit_name: str, leader: str) -> str:
    """Who answers for a project on the agenda: its responsible unit and its leader in charge (包保领导)."""
    return f"责任单位：{unit_name}；包保领导：{leader or '—'}；"


def draft_agenda(unit: Unit, held_on: date) -> list[AgendaItem]:
    """The items a meeting on `held_on` for `unit`'s subtree should take up, in order (not saved): the 调度 agenda
    (coordination/agenda.py) of the month before, as of the meeting's day."""
    agenda = dispatch_agenda(unit, add_months(month_start(held_on), -1), as_of=held_on, limit=agenda_limit(unit))
    month = agenda.month
    items = []
    for task in agenda.carried:
        state = agenda.task_state(task)
        items.append(
            AgendaItem(
                kind=ItemKind.CARRIED,
                title=f"{task.meeting.title}：{task.decision[:150]}",
                detail=f"责任单位：{task.owner.name}；时限：{task.deadline:%Y-%m-%d}；落实情况：{state}"
                + (f"（{task.done_note}）" if task.done_note else ""),
                project=task.item.project,
                carried_task=task,
            )
        )
    for problem in agenda.problems:
        where = (
            f"责任部门：{problem.department.name}，时限 {problem.deadline:%Y-%m-%d}"
            if problem.department
            else "尚未分派"
        )
        items.append(
            AgendaItem(
                kind=ItemKind.PROBLEM,
                title=f"{problem.project.code} {problem.project.name}：{problem.category}问题",
                detail=f"{problem.description}\n需要协调：{problem.help_wanted or '—'}\n"
                f"{where}；状态：{problem.status}",
                project=problem.project,
                problem=problem,
            )
        )
    for overdue in agenda.approvals:
        department = overdue.department.name if overdue.department else "未定"
        items.append(
            AgendaItem(
                kind=ItemKind.APPROVAL,
                title=f"{overdue.project.code} {overdue.project.name}：{overdue.step.name}逾期{overdue.days_overdue}天",
                detail=f"责任部门：{department}；计划办结 {overdue.step.planned_on:%Y-%m-%d}",
                project=overdue.project,
                approval_step=overdue.step,
            )
        )
    for row in agenda.behind:
        behind_pp = abs(points(row["schedule_gap_pp"]))  # already in points: 低于序时进度49.6个百分点, not 4961.7
        items.append(
            AgendaItem(
                kind=ItemKind.BEHIND,
                title=f"{row['code']} {row['name']}：完成投资低于序时进度{behind_pp}个百分点",
                detail=_answerable(row["unit"], row["leader"])
                + f"年度计划 {row['plan']} 万元，1-{month.month}月完成 {row['done']} 万元",
                project_id=row.get("project_id"),
            )
        )
    for late in agenda.late_starts:
        project = late.project
        items.append(
            AgendaItem(
                kind=ItemKind.LATE_START,
                title=f"{project.code} {project.name}：签约后{settings.START_DUE_MONTHS}个月未开工，"
                f"超期{late.months_late}个月",
                detail=_answerable(project.responsible_unit.name, project.leader_in_charge)
                + f"签约日期 {project.signed_on:%Y-%m-%d}；当前阶段：{project.stage}",
                project=project,
            )
        )
    for project in agenda.stalled:
        items.append(
            AgendaItem(
                kind=ItemKind.STALLED,
                title=f"{project.code} {project.name}：{settings.STALL_MONTHS}个月以上没有阶段变化",
                detail=_answerable(project.responsible_unit.name, project.leader_in_charge)
                + f"当前阶段：{project.stage}；上次变化 {project.last_move:%Y-%m-%d}",
                project=project,
            )
        )
    for n, item in enumerate(sorted(items, key=lambda i: KIND_ORDER.index(i.kind)), start=1):
        item.sort_order = n
    return sorted(items, key=lambda i: i.sort_order)


@transaction.atomic
def meeting_create(
    *, actor, unit: Unit, held_on: date, title: str = "", place: str = "", chair: str = "", source: str = Source.PAGE
) -> DispatchMeeting:
    _require_bureau(actor)
    title = (title or "").strip() or f"{held_on.year}年{held_on.month}月项目建设调度会"
    meeting = DispatchMeeting(
        unit=unit,
        title=title[:100],
        held_on=held_on,
        place=(place or "").strip()[:100],
        chair=(chair or "").strip()[:50],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    full_clean(meeting)
    meeting.save()
    items = draft_agenda(unit, held_on)
    for item in items:
        item.meeting = meeting
    AgendaItem.objects.bulk_create(items)
    record(
        actor,
        action="meeting.created",
        target=meeting,
        source=source,
        data={"held_on": held_on, "items": len(items)},
    )
    return meeting


@transaction.atomic
def agenda_item_add(*, actor, meeting: DispatchMeeting, title: str, detail: str = "", source: str = Source.PAGE):
    _require_bureau(actor)
    _require_open(meeting)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写议题"})
    last = meeting.items.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    item = AgendaItem.objects.create(
        meeting=meeting, kind=ItemKind.OTHER, title=title[:200], detail=(detail or "").strip(), sort_order=last + 1
    )
    record(actor, action="meeting.item_added", target=meeting, source=source, data={"title": item.title})
    return item


@transaction.atomic
def agenda_item_decide(
    *, actor, item: AgendaItem, decision: str, owner: Unit | None, deadline: date | None, source: str = Source.PAGE
) -> MeetingTask:
    """The meeting's decision on one item: what, by whom, by when. It becomes (or updates) a tracked task."""
    _require_bureau(actor)
    meeting = DispatchMeeting.objects.select_for_update().get(pk=item.meeting_id)
    _require_open(meeting)
    errors = {}
    decision = (decision or "").strip()
    if not decision:
        errors["decision"] = "请填写议定事项"
    if owner is None:
        errors["owner"] = "请选择责任单位"
    elif not owner.path.startswith(meeting.unit.path):
        errors["owner"] = "责任单位须在本次会议的范围内"
    elif item.project_id and not may_work_on(owner, item.project.responsible_unit):
        errors["owner"] = "责任单位须为该项目所在县（市、区）的单位或其上级"
    if deadline is None:
        errors["deadline"] = "请填写完成时限"
    elif deadline < meeting.held_on:
        errors["deadline"] = "完成时限不能早于会议日期"
    if errors:
        raise ValidationError(errors)
    task = MeetingTask.objects.filter(item=item).first()
    before = {"decision": task.decision, "owner": task.owner.name, "deadline": task.deadline} if task else {}
    if task is None:
        task = MeetingTask(item=item, meeting=meeting)
    task.decision, task.owner, task.deadline = decision, owner, deadline
    task.save()
    after = {"decision": decision, "owner": owner.name, "deadline": deadline}
    record(
        actor,
        action="meeting.decided",
        target=task,
        source=source,
        data={"item": item.title, **{k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}},
    )
    return task


@transaction.atomic
def meeting_close(*, actor, meeting: DispatchMeeting, summary: str = "", source: str = Source.PAGE):
    """End the meeting: its decisions stand as tasks and the minutes are final."""
    _require_bureau(actor)
    meeting = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open(meeting)
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.summary = (summary or "").strip()
    meeting.save(update_fields=["status", "closed_at", "summary"])
    record(actor, action="meeting.closed", target=meeting, source=source, data={"tasks": meeting.tasks.count()})
    return meeting


def can_report_task(user, task: MeetingTask) -> bool:
    return is_bureau_admin(user) or task.owner_id in editable_unit_ids(user)


@transaction.atomic
def task_done(*, actor, task: MeetingTask, done_on: date, note: str, source: str = Source.PAGE) -> MeetingTask:
    """The owner unit (or the bureau) reports the task done, with what was done."""
    task = MeetingTask.objects.select_for_update().select_related("owner").get(pk=task.pk)
    if actor is not None and not can_report_task(actor, task):
        raise PermissionDenied("只有责任单位或主管部门可以报告完成情况")
    if task.status == TaskStatus.DONE:
        raise ValidationError("该事项已报告完成")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写完成情况"})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "完成日期不能晚于今天"})
    task.status, task.done_on, task.done_note = TaskStatus.DONE, done_on, note
    task.done_by = actor if getattr(actor, "pk", None) else None
    task.save(update_fields=["status", "done_on", "done_note", "done_by"])
    record(actor, action="meeting.task_done", target=task, source=source, data={"done_on": done_on, "note": note})
    return task


def tasks_due(today: date, *, within_days: int = 3):
    """Open tasks due within `within_days` or already past due (for the reminders), of meetings that have ended:
    while a meeting is in session its decisions may still change."""

    return (
        MeetingTask.objects.filter(
            status=TaskStatus.OPEN,
            meeting__status=MeetingStatus.CLOSED,
            deadline__lte=today + timedelta(days=within_days),
        )
        .select_related("meeting", "owner")
        .order_by("deadline")
    )
