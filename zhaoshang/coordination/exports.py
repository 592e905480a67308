"""The problem list as xlsx rows: what the list page shows, every page of it."""

from django.utils import timezone

from zhaoshang.coordination import rules

HEADERS = [
    "问题编号",
    "项目编号",
    "项目名称",
    "责任单位",
    "包保领导",
    "问题类别",
    "问题描述",
    "需要协调解决的事项",
    "状态",
    "责任部门",
    "办理时限",
    "逾期天数",
    "办理答复",
    "反映人",
    "反映时间",
    "销号时间",
    "办结用时(天)",
]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def rows(problems, *, today):
    for p in problems.select_related("project__responsible_unit", "department", "raised_by").iterator(chunk_size=2000):
        to_close = rules.days_to_close(p.raised_at, p.closed_at)
        yield [
            p.pk,
            p.project.code,
            p.project.name,
            p.project.responsible_unit.name,
            p.project.leader_in_charge,
            p.category,
            p.description,
            p.help_wanted,
            p.status,
            p.department.name if p.department_id else "",
            p.deadline,
            rules.days_overdue(p.deadline, today) if rules.is_overdue(p.status, p.deadline, today) else "",
            p.answer,
            p.raised_by.display_name if p.raised_by_id else "",
            _when(p.raised_at),
            _when(p.closed_at),
            round(to_close, 1) if to_close is not None else "",
        ]
