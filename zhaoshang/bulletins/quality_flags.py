"""The 点评 material's 数据质量待核实事项: the flags still waiting (待说明, then 已说明) of the material's units, the
longest waiting first, its N rows with the count of the rest, and the count per unit in a paragraph."""

from django.db.models import Case, Count, IntegerField, Value, When

from zhaoshang.bulletins.tables import paired_row
from zhaoshang.core.gongwen import TableSpec
from zhaoshang.org.models import Unit
from zhaoshang.quality.models import PENDING, Flag, FlagStatus

MORE_FLAGS = "另有{rest}项，详见附表（Excel）"


def pending_flags(root: Unit):
    waiting = Case(When(status=FlagStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    rows = Flag.objects.under(root).filter(status__in=PENDING)
    return rows.annotate(waiting=waiting).order_by("waiting", "created_at", "id")


def quality_section(root: Unit, limit: int | None) -> tuple[TableSpec, str]:
    """(the table, the paragraph) of the material; `limit` None: every row (the Excel)."""
    spec = TableSpec(
        title="数据质量待核实事项",
        headers=["单位", "项目", "规则", "情况", "状态"],
        wide={0: 30, 1: 50, 2: 40, 3: 90},
        more=MORE_FLAGS,
        empty="没有待核实的数据质量事项。",
    )
    per_unit = list(
        Flag.objects.under(root)
        .filter(status__in=PENDING)
        .order_by()
        .values("unit__name", "unit__path")
        .annotate(n=Count("id"))
        .order_by("-n", "unit__path")
    )
    total = sum(row["n"] for row in per_unit)
    rows = pending_flags(root).select_related("unit", "project")
    if limit is not None:
        spec.total = total
        rows = rows[:limit]
    for flag in rows:
        project = f"{flag.project.code} {flag.project.name}" if flag.project_id else "（单位整体）"
        cells = [
            (flag.unit.name, flag.unit.name),
            (project, project),
            (flag.get_rule_display(), flag.get_rule_display()),
            (flag.detail, flag.detail),
            (flag.get_status_display(), flag.get_status_display()),
        ]
        spec.rows.append(paired_row(cells))
    if not total:
        return spec, "数据质量方面，没有待核实的事项。"
    each = "、".join(f"{row['unit__name']}{row['n']}项" for row in per_unit)
    return spec, f"数据质量待核实事项{total}项（待说明和已说明未关闭的）：{each}。"
