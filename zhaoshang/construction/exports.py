"""The approval list as an xlsx: the steps shown (every page), and the summaries per department and per step.
Text is escaped so it never becomes a formula; numbers stay numbers (core.files.write_cell). The steps come from
values_list(), project, unit and department names by join: no ORM object per row."""

from functools import cache

from zhaoshang.construction import queries, rules
from zhaoshang.construction.forms import ApprovalFilterForm
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.files import Export
from zhaoshang.core.formats import light_label
from zhaoshang.core.periods import today
from zhaoshang.org.models import UnitKind
from zhaoshang.org.scoping import home_unit
from zhaoshang.projects.models import Stage

STEP_HEADERS = [
    "项目编号",
    "项目名称",
    "责任单位",
    "前期手续",
    "办理部门",
    "计划办结日期",
    "申报日期",
    "办结日期",
    "状态",
    "办理用时(天)",
    "逾期(天)",
    "亮灯",
    "备注",
]
SUMMARY_HEADERS = ["期间办结", "平均用时(天)", "最长用时(天)", "其中逾期办结", "办理中", "当前逾期", "其中红灯"]


STEP_FIELDS = (
    "project__code",
    "project__name",
    "project__responsible_unit__name",
    "name",
    "department__name",
    "planned_on",
    "filed_on",
    "done_on",
    "days_taken",
    "note",
    "project__stage",
)


def step_rows(steps, day):
    """A step's row as ApprovalStep's properties show it on `day` (status, days taken or elapsed, days overdue
    and light; a dropped project's step is never overdue)."""
    for code, project, unit, name, department, planned, filed, done, taken, note, stage in steps.values_list(
        *STEP_FIELDS
    ).iterator(chunk_size=2000):
        overdue = 0 if stage == Stage.DROPPED else rules.days_overdue(planned, done, day)
        elapsed = (day - filed).days if filed and not done else None
        yield [
            code,
            project,
            unit,
            name,
            department or "",
            planned,
            filed,
            done,
            rules.status(filed, done) + ("（逾期办结）" if rules.done_late(planned, done) else ""),
            taken if taken is not None else elapsed,
            overdue or None,
            light_label(rules.light(overdue), none=""),
            note,
        ]


def landing(user) -> dict | None:
    """A department's user lands on the steps assigned to its department."""
    unit = home_unit(user)
    return {"department": str(unit.pk)} if unit is not None and unit.kind == UnitKind.DEPARTMENT else None


def list_params(params):
    """The list's filters from its query string (paging and format aside)."""
    params = params.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params


def approvals_export(user, params) -> Export:
    """The steps the list shows for these filters (every page), and its two summaries over the period."""
    filters = list_params(params)
    form = ApprovalFilterForm(filters or landing(user), user=user)
    visible = ApprovalStep.objects.readable_by(user)
    day = today()
    steps = queries.overdue_first(form.apply(visible), day)
    start, end = form.period()
    scoped = form.apply(visible, for_summary=True)

    # Both summary sheets (and the total) come from one `queries.summaries`, read once when the first of them
    # is written: never when the export goes to the background, never a second time for the second sheet.
    @cache
    def found():
        return queries.summaries(scoped, start=start, end=end, today=day)

    def by_department():
        yield from summary_rows(found().by_department, found().total)

    def by_step():
        yield from summary_rows(found().by_step)

    return Export(
        "前期手续.xlsx",
        [
            ("前期手续", STEP_HEADERS, step_rows(steps, day)),
            ("按部门统计", ["办理部门", *SUMMARY_HEADERS], by_department()),
            ("按手续统计", ["前期手续", *SUMMARY_HEADERS], by_step()),
        ],
        steps.count,
    )


def summary_rows(rows, total=None):
    for row in [*rows, *([total] if total else [])]:
        yield [
            row.label,
            row.done,
            row.avg_days,
            row.max_days,
            row.done_late,
            row.in_progress,
            row.overdue,
            row.red,
        ]
