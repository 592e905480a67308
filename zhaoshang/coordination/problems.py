"""Writes to the problem list. Each step checks who may take it and from which state, then changes the problem,
appends a ProblemEvent and an audit entry, all in one transaction."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.coordination import rights, rules
from zhaoshang.coordination.models import PENDING_STATUSES, Action, Category, Problem, ProblemEvent, Status
from zhaoshang.core.periods import today
from zhaoshang.org.departments import serves
from zhaoshang.org.models import Role, Unit, UnitKind, User
from zhaoshang.org.tree import ancestor_ids


def _step(
    *, actor, problem: Problem, action: str, from_status: str, note: str = "", data: dict, source: str, at=None
) -> None:
    ProblemEvent.objects.create(
        problem=problem,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        at=at or timezone.now(),
        note=note,
        from_status=from_status,
        to_status=problem.status,
    )
    if from_status != problem.status:
        data = {"status": [from_status or None, problem.status], **data}
    record(
        actor,
        action=f"problem.{action}",
        target=problem,
        data=data,
        source=source,
        unit=problem.project.responsible_unit,
    )


def _lock(problem: Problem) -> None:
    """Re-read the problem under a row lock, into the caller's own object: two people answering or confirming at
    the same moment take turns, and each decides on the state the other left."""
    problem.refresh_from_db(from_queryset=Problem.objects.select_for_update())


def _begin(step: str, problem: Problem, may: Callable[[], bool], refusal: str) -> None:
    """Start a step on a problem: re-read it under its row lock, then refuse a user who may not take the step
    (403, `refusal`) and a step the problem's state does not allow (ValidationError), in that order."""
    _lock(problem)
    if not may():
        raise PermissionDenied(refusal)
    message = rules.refusal(step, problem.status)
    if message:
        raise ValidationError(message)


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def problem_raise(
    *, actor, project, category: str, description: str, help_wanted: str = "", source: str = Source.PAGE
) -> Problem:
    if not rights.can_raise(actor, project):
        raise PermissionDenied("只有项目责任单位的填报人员或主管部门可以反映该项目的问题")
    errors = {}
    if category not in Category.values:
        errors["category"] = "请选择问题类别"
    if not (description or "").strip():
        errors["description"] = "请填写问题描述"
    if errors:
        raise ValidationError(errors)
    problem = Problem.objects.create(
        project=project,
        category=category,
        description=description.strip(),
        help_wanted=(help_wanted or "").strip(),
        status=Status.RAISED,
        raised_by=actor if getattr(actor, "pk", None) else None,
        raised_at=timezone.now(),
    )
    _step(
        actor=actor,
        problem=problem,
        action=Action.RAISED,
        from_status="",
        note=problem.help_wanted,
        data={"project": project.code, "category": category, "description": problem.description},
        source=source,
        at=problem.raised_at,
    )
    return problem


@transaction.atomic
def problem_assign(
    *, actor, problem: Problem, department: Unit, deadline: date, note: str = "", source: str = Source.PAGE
) -> Problem:
    """Send the problem to a department with a deadline; again while it is open, to another department or a new
    deadline (改派). A new deadline is a new promise, so the problem may be escalated again if it lapses."""
    _begin("assigned", problem, lambda: rights.can_assign(actor), "只有主管部门可以分派问题")
    errors = {}
    if department is None or department.kind != UnitKind.DEPARTMENT or not department.is_active:
        errors["department"] = "请选择一个部门（单位类型为“部门”）承办"
    elif not serves(department, problem.project.responsible_unit):
        errors["department"] = f"{department.name}不是本项目所在县区（市）的部门"
    if deadline is None:
        errors["deadline"] = "请填写办理时限"
    elif deadline < today():
        errors["deadline"] = "办理时限不能早于今天"
    if errors:
        raise ValidationError(errors)
    before = {"department": problem.department.name if problem.department_id else None, "deadline": problem.deadline}
    from_status = problem.status
    action = Action.ASSIGNED if from_status == Status.RAISED else Action.REASSIGNED
    problem.department = department
    problem.deadline = deadline
    problem.status = Status.ASSIGNED
    problem.assigned_at = timezone.now()
    problem.answered_at = None
    problem.escalated_at = None
    problem.save()
    data = {
        key: [old, new]
        for key, old, new in (
            ("department", before["department"], department.name),
            ("deadline", before["deadline"], deadline),
        )
        if old != new
    }
    if note.strip():
        data["note"] = note.strip()
    _step(
        actor=actor,
        problem=problem,
        action=action,
        from_status=from_status,
        note=note.strip(),
        data=data,
        source=source,
    )
    return problem


@transaction.atomic
def problem_answer(*, actor, problem: Problem, answer: str, source: str = Source.PAGE) -> Problem:
    _begin("answered", problem, lambda: rights.can_answer(actor, problem), "只有承办部门或主管部门可以答复该问题")
    answer = _required(answer, "answer", "请填写办理情况")
    before = problem.answer
    problem.answer = answer
    problem.status = Status.ANSWERED
    problem.answered_at = timezone.now()
    problem.save()
    _step(
        actor=actor,
        problem=problem,
        action=Action.ANSWERED,
        from_status=Status.ASSIGNED,
        note=answer,
        data={"answer": [before or None, answer]},
        source=source,
    )
    return problem


@transaction.atomic
def problem_confirm(*, actor, problem: Problem, note: str = "", source: str = Source.PAGE) -> Problem:
    _begin(
        "closed", problem, lambda: rights.can_confirm(actor, problem), "只有反映问题的责任单位或主管部门可以确认销号"
    )
    problem.status = Status.CLOSED
    problem.closed_at = timezone.now()
    problem.save()
    data = {"note": note.strip()} if note.strip() else {}
    _step(
        actor=actor,
        problem=problem,
        action=Action.CLOSED,
        from_status=Status.ANSWERED,
        note=note.strip(),
        data=data,
        source=source,
        at=problem.closed_at,
    )
    return problem


@transaction.atomic
def problem_return(*, actor, problem: Problem, reason: str, source: str = Source.PAGE) -> Problem:
    """The raising unit is not satisfied with the answer: back to the department, with the reason why."""
    _begin(
        "returned", problem, lambda: rights.can_confirm(actor, problem), "只有反映问题的责任单位或主管部门可以退回重办"
    )
    reason = _required(reason, "reason", "退回重办须说明原因")
    problem.status = Status.ASSIGNED
    problem.answered_at = None
    problem.save()
    _step(
        actor=actor,
        problem=problem,
        action=Action.RETURNED,
        from_status=Status.ANSWERED,
        note=reason,
        data={"reason": reason},
        source=source,
    )
    return problem


def leaders_for(problem: Problem) -> list[User]:
    """The leader in charge (包保领导) of the problem's project, found by name among the leader accounts that may
    read the project; when none bears that name (or the project has none), every leader at the root of the tree.
    A leader of another county with the same name is never told about this one's problems."""
    project = problem.project
    above = set(ancestor_ids(project.responsible_unit.path))
    if project.team_id:
        above |= set(ancestor_ids(project.team.path))
    leaders = User.objects.filter(
        is_active=True,
        memberships__role=Role.LEADER,
        memberships__unit__is_active=True,
        memberships__unit_id__in=above,  # a leader reads its own unit's subtree
    ).distinct()
    name = (problem.project.leader_in_charge or "").strip()
    named = list(leaders.filter(full_name=name).order_by("username")) if name else []
    return named or list(leaders.filter(memberships__unit__parent__isnull=True).order_by("username"))


@transaction.atomic
def problems_escalate(*, today: date) -> list[Problem]:
    """Problems past their deadline that a department or the raising unit still owes a step on, escalated once
    each to the leader in charge. Run daily (`manage.py escalate_problems`); running it twice changes nothing."""
    due = list(
        Problem.objects.select_for_update(of=("self",))
        .filter(status__in=PENDING_STATUSES, deadline__lt=today, escalated_at__isnull=True)
        .select_related("project__responsible_unit", "department")
        .order_by("deadline", "pk")
    )
    now = timezone.now()
    for problem in due:
        leaders = leaders_for(problem)
        names = "、".join(user.display_name for user in leaders) or "（未找到领导账号）"
        late = rules.days_overdue(problem.deadline, today)
        note = f"超过办理时限{late}天，提请包保领导{names}督办"
        problem.escalated_at = now
        problem.save(update_fields=["escalated_at"])
        _step(
            actor=None,
            problem=problem,
            action=Action.ESCALATED,
            from_status=problem.status,
            note=note,
            data={"deadline": problem.deadline, "days_overdue": late, "leaders": names},
            source=Source.SYSTEM,
            at=now,
        )
    return due
