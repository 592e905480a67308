"""Reading the problem list: ordering, the summary by department, and the questions other areas ask
(the dispatch meeting's open problems, the reminders' overdue ones). Every function takes a queryset already
scoped with Problem.objects.readable_by(user), or a unit whose subtree the caller may read."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Avg, Case, Count, DurationField, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.utils import timezone

from zhaoshang.coordination.models import PENDING_STATUSES, Problem, Status
from zhaoshang.core.periods import today
from zhaoshang.org.models import Unit


def overdue_flag(today: date):
    return Case(
        When(Q(status__in=PENDING_STATUSES, deadline__lt=today), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def ordered(problems, *, today: date):
    """Overdue first (most overdue on top), then the open ones by deadline, the closed ones last."""
    return problems.annotate(
        is_overdue=overdue_flag(today),
        is_closed=Case(When(status=Status.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by("-is_overdue", "is_closed", F("deadline").asc(nulls_last=True), "-raised_at", "-id")


def in_subtree(problems, unit: Unit):
    """Problems of projects whose responsible unit lies in `unit`'s subtree."""
    return problems.under(unit)


def open_problems(unit: Unit, *, as_of: date):
    """Problems of `unit`'s subtree that were open at the end of `as_of`: raised by then, not closed by then.
    (What a dispatch meeting's agenda is drafted from.)"""
    end = timezone.make_aware(datetime.combine(as_of, time.max))
    return (
        in_subtree(Problem.objects.all(), unit)
        .filter(raised_at__lte=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=end))
        .select_related("project__responsible_unit", "department")
    )


def overdue_problems(*, today: date, problems=None):
    """Not closed and past the deadline, as of `today` (all of them, or within `problems`)."""
    base = Problem.objects.all() if problems is None else problems
    return base.overdue(today).select_related("project__responsible_unit", "department")


@dataclass
class DepartmentLine:
    department_id: int | None  # None: not assigned yet
    name: str
    total: int
    open: int
    overdue: int
    closed: int
    avg_days_to_close: float | None  # from raising to 销号, over the closed problems


def department_summary(problems, *, today: date) -> list[DepartmentLine]:
    """One line per department with its counts and average days to close, in one grouped query."""
    duration = ExpressionWrapper(F("closed_at") - F("raised_at"), output_field=DurationField())
    rows = (
        problems.order_by()
        .values("department", "department__name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=~Q(status=Status.CLOSED)),
            overdue=Count("id", filter=Q(status__in=PENDING_STATUSES, deadline__lt=today)),
            closed=Count("id", filter=Q(status=Status.CLOSED)),
            avg_close=Avg(duration, filter=Q(status=Status.CLOSED)),
        )
    )
    lines = [
        DepartmentLine(
            department_id=r["department"],
            name=r["department__name"] or "未分派",
            total=r["total"],
            open=r["open"],
            overdue=r["overdue"],
            closed=r["closed"],
            avg_days_to_close=r["avg_close"].total_seconds() / 86400 if r["avg_close"] is not None else None,
        )
        for r in rows
    ]
    # Busiest first: most overdue, then most open; unassigned problems last.
    return sorted(lines, key=lambda line: (line.department_id is None, -line.overdue, -line.open, line.name))


def problems_for_project(project) -> list[Problem]:
    """A project's problems for its page, overdue ones first, in one query."""
    return list(ordered(project.problems.select_related("department"), today=_today()))


def _today() -> date:

    return today()
