"""The 调度 agenda: what a unit's subtree has to clear, computed once for the dispatch meeting (coordination/
meetings.py drafts its agenda items from it) and for the 调度 material of the meeting rhythm (bulletins/meetings.py
draws its tables from it), so that both take up the same items, each presenting them its own way.

For a unit and a report month, as of a day (the meeting's date; the material's: the month's last day):
  - the earlier meetings' tasks to follow up: all of the last meeting's (the meeting hears whether they were done)
    and older ones still open;
  - the problems of the subtree open on that day (问题清单);
  - the approval steps (前期手续) past their planned date on that day;
  - the key projects behind their year's plan's 序时进度 by the month's figures, worst first;
  - the projects signed more than ZHAOSHANG_START_DUE_MONTHS months before the month's end and not started;
  - the projects with no stage change for ZHAOSHANG_STALL_MONTHS months or more by the month's end.
The three lists of projects grow with the ledger: each keeps its worst `limit` (a meeting can take up a score
of them, not the whole list; both the 调度 material and a meeting take the unit's 发文设置's 清单列示条数, the meeting
through agenda_limit, which bulletins feeds: coordination sits below bulletins and does not import it; ON_AGENDA
is the default) and its full count, each computed
in the database (ORDER BY, LIMIT, COUNT); with limit=None they are whole (the material's Excel). The other lists
are bounded by LIST_LIMIT only."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Max, Window

from zhaoshang.construction.queries import OverdueStep, overdue_steps
from zhaoshang.coordination.meeting_models import DispatchMeeting, MeetingTask, TaskStatus
from zhaoshang.coordination.models import Problem
from zhaoshang.coordination.queries import open_problems
from zhaoshang.core.periods import add_months, schedule_rate
from zhaoshang.org.models import Unit
from zhaoshang.progress.behind import key_projects_behind, worst_behind
from zhaoshang.progress.rules import start_light
from zhaoshang.projects.models import Project, Stage, StageChange

# The worst of each list of projects only (furthest behind, longest late, longest stalled): the default N.
ON_AGENDA = 20

# The bureau sets N for its unit's documents and meeting material (发文设置's 清单列示条数, bulletins.office). bulletins
# sits above this app, so it hands its reader in when the apps are ready (BulletinsConfig.ready calls
# use_limit_of): a dispatch meeting then takes up the same worst N as the 调度 material, without an upward import.
_limit_of = None


def use_limit_of(reader) -> None:
    """`reader(unit) -> int`: how many of each list of projects the unit's agenda takes up."""
    global _limit_of
    _limit_of = reader


def agenda_limit(unit: Unit) -> int:
    """The N of `unit`'s dispatch meetings: its 发文设置's, or ON_AGENDA if none is registered."""
    return ON_AGENDA if _limit_of is None else _limit_of(unit)


# The other lists: a bound against a runaway page, far above what a county's meeting takes up.
LIST_LIMIT = 500


@dataclass(frozen=True)
class LateStart:
    project: Project
    months_late: int  # months past the due start, counting the report month
    light: str


@dataclass
class Agenda:
    unit: Unit
    month: date  # the report month whose figures the lists of projects are read from
    as_of: date  # the day the tasks, problems and approval steps are read as of
    carried: list[MeetingTask] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    approvals: list[OverdueStep] = field(default_factory=list)
    behind: list[dict] = field(default_factory=list)  # rows of progress.behind (worst_behind, key_projects_behind)
    late_starts: list[LateStart] = field(default_factory=list)
    stalled: list[Project] = field(default_factory=list)  # each with last_move, the date of its last stage change
    # how many each list of projects holds before the cap
    behind_total: int = 0
    late_starts_total: int = 0
    stalled_total: int = 0
    approvals_total: int = 0  # the overdue steps in all (a city has more than LIST_LIMIT)

    def task_state(self, task: MeetingTask) -> str:
        """落实情况 of a carried task as of the agenda's day."""
        if task.status == TaskStatus.DONE:
            return "已完成"
        return "逾期未完成" if task.deadline < self.as_of else "未完成"


def dispatch_agenda(unit: Unit, month: date, *, as_of: date | None = None, limit: int | None = ON_AGENDA) -> Agenda:
    """The 调度 agenda of `unit`'s subtree for the report month `month`, as of `as_of` (default: the month's last
    day), each list of projects cut to its worst `limit` (None: whole)."""
    end = add_months(month, 1)
    as_of = as_of or end - timedelta(days=1)
    agenda = Agenda(unit=unit, month=month, as_of=as_of)
    agenda.carried = _tasks_to_follow_up(unit, as_of)
    agenda.problems = list(open_problems(unit, as_of=as_of).order_by("deadline", "raised_at")[:LIST_LIMIT])
    approvals = overdue_steps(as_of, [unit])
    agenda.approvals, agenda.approvals_total = approvals[:LIST_LIMIT], len(approvals)
    schedule = schedule_rate(month.month)
    if limit is None:
        agenda.behind = key_projects_behind(unit, month, schedule)
        agenda.behind_total = len(agenda.behind)
    else:
        behind = worst_behind(unit, month, schedule, limit)
        agenda.behind, agenda.behind_total = behind.rows, behind.total
    scoped = Project.objects.under(unit).select_related("responsible_unit")
    late = _late_starts(scoped, month)
    agenda.late_starts = [_late_start(p, month) for p in _cut(late, limit)]
    agenda.late_starts_total = _count(late, agenda.late_starts, limit)
    cutoff = add_months(end, -settings.STALL_MONTHS)
    agenda.stalled, agenda.stalled_total = _stalled(scoped, end, cutoff, limit)
    return agenda


def _stalled(scoped, end: date, cutoff: date, limit: int | None) -> tuple[list[Project], int]:
    """The projects still under way whose last stage change before the month's end is older than `cutoff`, the
    longest stalled first, each with `last_move`; and how many there are. Found from the stage history's side
    (each project's changes grouped on their index, kept by HAVING), narrow rows carrying the list's length; only
    the `limit` shown are then read whole. Asking each of a city's 25k projects for its last change in a
    subquery, twice, and counting their wide rows in a window spilled to disk (230 ms against 100)."""
    under_way = scoped.exclude(stage__in=[Stage.PRODUCING, Stage.DROPPED]).values("pk")
    last_moves = (
        StageChange.objects.filter(changed_on__lt=end, project__in=under_way)
        .values("project_id", "project__code")
        .annotate(last=Max("changed_on"))
        .filter(last__lt=cutoff)
        .order_by("last", "project__code")
    )
    if limit is None:
        found = list(last_moves.values_list("project_id", "last"))
        total = len(found)
    else:
        rows = list(last_moves.annotate(in_all=Window(Count("*"))).values_list("project_id", "last", "in_all")[:limit])
        found, total = [(pk, last) for pk, last, _ in rows], (rows[0][2] if rows else 0)
    projects = scoped.in_bulk([pk for pk, _ in found])
    for pk, last in found:
        projects[pk].last_move = last
    return [projects[pk] for pk, _ in found], total


def _cut(queryset, limit: int | None):
    return queryset if limit is None else queryset[:limit]


def _count(queryset, shown: list, limit: int | None) -> int:
    """The whole list's length: what was shown when it was not cut, else one COUNT."""
    return len(shown) if limit is None or len(shown) < limit else queryset.count()


def _tasks_to_follow_up(unit: Unit, as_of: date) -> list[MeetingTask]:
    """The last meeting's tasks (done or not: the meeting hears whether they were), and older ones still open."""
    earlier = DispatchMeeting.objects.filter(unit=unit, held_on__lt=as_of).order_by("-held_on", "-id")
    last = earlier.first()
    if last is None:
        return []
    tasks = MeetingTask.objects.filter(meeting__in=earlier).select_related("meeting", "owner", "item__project")
    return [
        t
        for t in tasks.order_by("meeting__held_on", "deadline", "id")
        if t.meeting_id == last.pk or t.status == TaskStatus.OPEN
    ]


def _late_starts(scoped, month: date):
    """Signed (or registered) and not started though due to start by the month's end, longest overdue first
    (the earliest signed): signed before the first day of month − due + 1 is exactly at least a month late."""
    due_months = settings.START_DUE_MONTHS
    late = scoped.filter(stage__in=[Stage.SIGNED, Stage.REGISTERED], signed_on__lt=add_months(month, -due_months + 1))
    return late.order_by("signed_on", "code")


def _late_start(project: Project, month: date) -> LateStart:
    due = add_months(project.signed_on.replace(day=1), settings.START_DUE_MONTHS)
    months_late = (month.year - due.year) * 12 + month.month - due.month + 1
    return LateStart(project, months_late, start_light(months_late))
