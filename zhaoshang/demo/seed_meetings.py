"""Two past dispatch meetings (调度会) for the demo county: each with its agenda drafted from the data of its day,
decisions on the first items with owners and deadlines, closed; some of the first meeting's tasks done before
the second, which opens by hearing them. Deterministic: the builder's random generator and `today` decide all."""

import random
from datetime import date, timedelta

from zhaoshang.coordination import meetings
from zhaoshang.coordination.meeting_models import ItemKind, TaskStatus

DECIDED_PER_MEETING = 8


def _decision(item, owner) -> str:
    if item.kind == ItemKind.PROBLEM and item.problem:
        return f"由{owner.name}牵头，限期协调解决{item.problem.category}问题，并向项目单位书面答复。"
    if item.kind == ItemKind.APPROVAL and item.approval_step:
        return f"{owner.name}开辟绿色通道，加快办理{item.approval_step.name}，限期办结。"
    if item.kind == ItemKind.BEHIND:
        return f"{owner.name}制定赶超计划，倒排工期，确保完成年度投资计划。"
    return f"{owner.name}继续推进，按期落实。"


def _owner(item, county):
    if item.carried_task:
        return item.carried_task.owner
    if item.problem and item.problem.department:
        return item.problem.department
    if item.approval_step and item.approval_step.department:
        return item.approval_step.department
    if item.project:
        return item.project.responsible_unit
    return county


def seed_meetings(rng: random.Random, today: date, bureau, county) -> int:
    held = 0
    for days_ago in (58, 27):
        held_on = today - timedelta(days=days_ago)
        meeting = meetings.meeting_create(
            actor=bureau,
            unit=county,
            held_on=held_on,
            place="县政府第一会议室",
            chair="县长",
        )
        items = list(
            meeting.items.select_related(
                "project__responsible_unit", "problem__department", "approval_step__department", "carried_task__owner"
            )
        )
        for item in items[:DECIDED_PER_MEETING]:
            owner = _owner(item, county)
            meetings.agenda_item_decide(
                actor=bureau,
                item=item,
                decision=_decision(item, owner),
                owner=owner,
                deadline=held_on + timedelta(days=rng.randint(7, 25)),
            )
        meetings.meeting_close(
            actor=bureau,
            meeting=meeting,
            summary="会议听取了重点项目推进情况汇报，逐项研究了项目建设中遇到的困难和问题。",
        )
        next_meeting = today - timedelta(days=27) if days_ago > 27 else today
        for task in meeting.tasks.filter(status=TaskStatus.OPEN):
            if rng.random() < 0.6:
                done_on = min(task.deadline, next_meeting - timedelta(days=1))
                meetings.task_done(actor=bureau, task=task, done_on=done_on, note="已按会议要求落实到位")
        held += 1
    return held
