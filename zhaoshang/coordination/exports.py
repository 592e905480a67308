"""The problem list as xlsx rows: what the list page shows, every page of it. Rows from values_list(), the
project's, unit's, department's and reporter's names by join: no ORM object per row."""

from django.utils import timezone

from zhaoshang.coordination import queries, rules
from zhaoshang.coordination.forms import ProblemFilterForm
from zhaoshang.coordination.models import Problem
from zhaoshang.core.files import Export
from zhaoshang.core.periods import today
from zhaoshang.org import scoping
from zhaoshang.org.models import UnitKind

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


FIELDS = (
    "pk",
    "project__code",
    "project__name",
    "project__responsible_unit__name",
    "project__leader_in_charge",
    "category",
    "description",
    "help_wanted",
    "status",
    "department__name",
    "deadline",
    "answer",
    "raised_by__full_name",
    "raised_by__username",
    "raised_at",
    "closed_at",
)


def rows(problems, *, today):
    for row in problems.values_list(*FIELDS).iterator(chunk_size=2000):
        pk, code, name, unit, leader, category, description, help_wanted, status, department, deadline = row[:11]
        answer, full_name, username, raised_at, closed_at = row[11:]
        to_close = rules.days_to_close(raised_at, closed_at)
        yield [
            pk,
            code,
            name,
            unit,
            leader,
            category,
            description,
            help_wanted,
            status,
            department or "",
            deadline,
            rules.days_overdue(deadline, today) if rules.is_overdue(status, deadline, today) else "",
            answer,
            full_name or username or "",  # User.display_name
            _when(raised_at),
            _when(closed_at),
            round(to_close, 1) if to_close is not None else "",
        ]


def landing_filters(user) -> dict:
    """A department's staff land on the problems assigned to their department."""
    home = scoping.home_unit(user)
    if home is not None and home.kind == UnitKind.DEPARTMENT and not scoping.is_bureau_admin(user):
        return {"department": str(home.pk)}
    return {}


def problems_export(user, params) -> Export:
    """What the list shows for these filters, every page of it."""
    on = today()
    form = ProblemFilterForm(params or landing_filters(user) or None, user=user)
    chosen = queries.ordered(form.apply(Problem.objects.readable_by(user), today=on), today=on)
    return Export("问题清单.xlsx", [("问题清单", HEADERS, rows(chosen, today=on))], chosen.count)
