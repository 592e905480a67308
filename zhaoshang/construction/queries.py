"""Reading approval steps: a project's steps, the overdue ones (for the 调度 meeting and reminders), the list's
order, and the per-department summary of how long approvals take (the basis of 简化审批流程)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, Value, When

from zhaoshang.construction import rules
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.money import TENTH, round_half_up
from zhaoshang.core.periods import add_months
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project, Stage


def steps_for_project(project: Project) -> list[ApprovalStep]:
    """A project's steps in order, with their departments: one query (each step's project is the one given)."""
    return list(project.approval_steps.select_related("department"))


@dataclass(frozen=True)
class OverdueStep:
    step: ApprovalStep
    project: Project
    department: Unit | None
    days_overdue: int
    light: str  # "yellow" or "red"


def overdue_steps(today: date, units=None, *, department: Unit | None = None) -> list[OverdueStep]:
    """Steps not done by their planned date as of `today`, most overdue first, with project (and its responsible
    unit), department and days overdue. `units`: only the projects whose responsible unit lies in one of these
    units' subtrees (None: everywhere); `department`: only the steps assigned to it. Dropped projects are left out."""
    steps = ApprovalStep.objects.overdue(today).select_related("project__responsible_unit", "department")
    if units is not None:
        steps = steps.under(*units)
    if department is not None:
        steps = steps.filter(department=department)
    found = []
    for step in steps.order_by("planned_on", "project__code", "sort_order"):
        days = rules.days_overdue(step.planned_on, step.done_on, today)
        found.append(OverdueStep(step, step.project, step.department, days, rules.light(days)))
    return found


def _overdue_q(today: date) -> Q:
    return Q(done_on=None, planned_on__lt=today) & ~Q(project__stage=Stage.DROPPED)


def _parts_q(today: date) -> list[Q]:
    """The list's four parts in turn: overdue steps, then those in progress, not started and done."""
    not_overdue = Q(planned_on__gte=today) | Q(planned_on=None) | Q(project__stage=Stage.DROPPED)
    return [
        _overdue_q(today),
        Q(done_on=None, filed_on__isnull=False) & not_overdue,
        Q(done_on=None, filed_on=None) & not_overdue,
        Q(done_on__isnull=False),
    ]


# Within a part: by planned date (none last; the order the planned_on indexes keep), project and order.
PART_ORDER = (F("planned_on").asc(nulls_last=True), "project__code", "sort_order", "pk")


def overdue_first(steps, today: date):
    """The list's order as one queryset (for the xlsx, which writes them all): overdue steps first (longest
    overdue on top), then those in progress, not started and done, each by planned date (none last), project and
    order. A page of the list reads `OverdueFirst` instead, which does not sort every step to show fifty."""
    rank = Case(
        *(When(q, then=Value(n)) for n, q in enumerate(_parts_q(today)[:3])),
        default=Value(3),
        output_field=IntegerField(),
    )
    return steps.annotate(rank=rank).order_by("rank", *PART_ORDER)


class OverdueFirst:
    """The same order for a Paginator, read a part at a time: each part is one query in an order an index on
    planned_on serves, so a page costs fifty rows, not a sort of every step the user may read. Two queries count
    the parts (the open ones from the partial index of open steps, the done ones); a page reads one part, or two
    where it straddles them."""

    def __init__(self, steps, today: date):
        self.steps, self.today = steps, today
        self.parts = [steps.filter(q).order_by(*PART_ORDER) for q in _parts_q(today)]

    @cached_property
    def sizes(self) -> list[int]:
        overdue, in_progress, not_started, _ = _parts_q(self.today)
        open_steps = self.steps.filter(done_on=None).aggregate(
            a=Count("pk", filter=overdue), b=Count("pk", filter=in_progress), c=Count("pk", filter=not_started)
        )
        return [open_steps["a"], open_steps["b"], open_steps["c"], self.parts[3].count()]

    def count(self) -> int:
        return sum(self.sizes)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[ApprovalStep]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("OverdueFirst is read a slice (a page) at a time")
        start, stop = index.start or 0, self.count() if index.stop is None else index.stop
        rows, offset = [], 0
        for part, size in zip(self.parts, self.sizes, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                rows.extend(part[low:high])
            offset += size
        return rows


@dataclass
class SummaryRow:
    label: str
    done: int
    avg_days: Decimal | None  # rounded once, half-up, to one decimal
    max_days: int | None
    done_late: int
    in_progress: int
    overdue: int
    red: int


def _counted(steps, *, start: date, end: date):
    """Only the steps a figure counts: done in the period, or not done. The rest (done before or after it,
    most of a city's years of steps) would add nothing to any group, and a group left with nothing is not
    shown; leaving them out lets the database skip them."""
    return steps.filter(Q(done_on__gte=start, done_on__lt=add_months(end, 1)) | Q(done_on=None))


def _figures(*, start: date, end: date, today: date) -> dict:
    """The summary's aggregates: steps done in the months start..end (how many, the days taken summed over
    those that have them and how many have them, the longest, how many after their planned date) and, as of
    today, steps in progress and overdue (red: more than RED_AFTER_DAYS past the planned date). Sums rather
    than an average, so the groups of one query add up to the department's, the step's and the total."""
    in_period = Q(done_on__gte=start, done_on__lt=add_months(end, 1))
    live = Q(done_on=None) & ~Q(project__stage=Stage.DROPPED)
    return {
        "n_done": Count("pk", filter=in_period),
        "sum_days": Sum("days_taken", filter=in_period),
        "n_days": Count("days_taken", filter=in_period),
        "max_days": Max("days_taken", filter=in_period),
        "n_late": Count("pk", filter=in_period & Q(done_on__gt=F("planned_on"))),
        "n_progress": Count("pk", filter=live & ~Q(filed_on=None)),
        "n_overdue": Count("pk", filter=live & Q(planned_on__lt=today)),
        "n_red": Count("pk", filter=live & Q(planned_on__lt=today - timedelta(days=rules.RED_AFTER_DAYS))),
    }


COUNTS = ("n_done", "sum_days", "n_days", "n_late", "n_progress", "n_overdue", "n_red")


def _merge(rows) -> dict:
    merged = {key: sum(r[key] or 0 for r in rows) for key in COUNTS}
    longest = [r["max_days"] for r in rows if r["max_days"] is not None]
    merged["max_days"] = max(longest) if longest else None
    return merged


def _row(label: str, row: dict) -> SummaryRow:
    average = Decimal(row["sum_days"]) / row["n_days"] if row["n_days"] else None
    return SummaryRow(
        label=label,
        done=row["n_done"],
        avg_days=None if average is None else round_half_up(average, TENTH),
        max_days=row["max_days"],
        done_late=row["n_late"],
        in_progress=row["n_progress"],
        overdue=row["n_overdue"],
        red=row["n_red"],
    )


NO_DEPARTMENT = "未指定部门"


@dataclass
class Summary:
    by_department: list[SummaryRow]
    by_step: list[SummaryRow]
    total: SummaryRow


def summaries(steps, *, start: date, end: date, today: date) -> Summary:
    """How long approvals take, per department (in the units' order), per step (in the standard order) and in
    all: one row per group that has anything to show. One query, grouped by department and step, added up
    here (the total's average is over every step, not of the groups' averages)."""
    figures = _figures(start=start, end=end, today=today)
    rows = list(
        _counted(steps, start=start, end=end)
        .order_by()
        .values("department__name", "department__sort_order", "name")
        .annotate(**figures)
    )
    departments, names = {}, {}
    for r in rows:
        departments.setdefault((r["department__name"], r["department__sort_order"]), []).append(r)
        names.setdefault(r["name"], []).append(r)
    by_department = [
        _row(name or NO_DEPARTMENT, _merge(group))
        for (name, order), group in sorted(
            departments.items(), key=lambda item: (item[0][0] is None, item[0][1] or 0, item[0][0] or "")
        )
    ]
    by_step = [
        _row(name, _merge(names[name])) for name in sorted(names, key=lambda n: (rules.STANDARD_ORDER.get(n, 1000), n))
    ]

    def shown(result):
        return [r for r in result if r.done or r.in_progress or r.overdue]

    return Summary(shown(by_department), shown(by_step), _row("合计", _merge(rows)))
