"""Pure rules of the problem list: no database, so they read the same in a page, an export and a test."""

from datetime import date, datetime

from zhaoshang.coordination.models import PENDING_STATUSES, Status

# Which state each step starts from and leads to. Reassigning keeps a problem 办理中 (or takes an answered
# one back there: the new department has to answer afresh).
TRANSITIONS = {
    "assigned": ({Status.RAISED, Status.ASSIGNED, Status.ANSWERED}, Status.ASSIGNED),
    "answered": ({Status.ASSIGNED}, Status.ANSWERED),
    "closed": ({Status.ANSWERED}, Status.CLOSED),
    "returned": ({Status.ANSWERED}, Status.ASSIGNED),
}

REFUSALS = {
    "assigned": "问题已销号，不能再分派",
    "answered": "只有“办理中”的问题可以答复（当前状态：{status}）",
    "closed": "只有“已办结待确认”的问题可以确认销号（当前状态：{status}）",
    "returned": "只有“已办结待确认”的问题可以退回重办（当前状态：{status}）",
}


def refusal(step: str, status: str) -> str | None:
    """The Chinese message refusing `step` from `status`, or None when the step is allowed."""
    allowed, _ = TRANSITIONS[step]
    return None if status in allowed else REFUSALS[step].format(status=status)


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Past its deadline while a department or the raising unit still owes a step."""
    return status in PENDING_STATUSES and deadline is not None and deadline < today


def days_overdue(deadline: date | None, today: date) -> int:
    return max(0, (today - deadline).days) if deadline else 0


def days_open(raised_at: datetime, closed_at: datetime | None, now: datetime) -> int:
    """Whole days from raising to closing (or to now while it is still open)."""
    return max(0, ((closed_at or now) - raised_at).days)


def days_to_close(raised_at: datetime, closed_at: datetime | None) -> float | None:
    if closed_at is None:
        return None
    return max(0.0, (closed_at - raised_at).total_seconds() / 86400)
