"""The approval list as an xlsx: the steps shown (every page), and the summaries per department and per step.
Text is escaped so it never becomes a formula; numbers stay numbers (core.files.write_cell)."""

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


def step_rows(steps):
    for s in steps.iterator(chunk_size=2000):
        project = s.project
        yield [
            project.code,
            project.name,
            project.responsible_unit.name,
            s.name,
            s.department.name if s.department_id else "",
            s.planned_on,
            s.filed_on,
            s.done_on,
            s.status + ("（逾期办结）" if s.done_late else ""),
            s.days_taken if s.days_taken is not None else s.days_elapsed,
            s.days_overdue or None,
            s.light_label,
            s.note,
        ]


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
