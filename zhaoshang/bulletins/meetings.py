"""The meeting rhythm (单月点评、双月调度、季度小结、半年观摩): which meetings fall due in a month, and the
material each one needs, as paragraphs and tables (the same TableSpec the bulletin's docx and page draw)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.utils import timezone

from zhaoshang.bulletins.chains import summary_chain_section
from zhaoshang.bulletins.models import ObservationPick
from zhaoshang.bulletins.office import list_limit_for
from zhaoshang.bulletins.quality_flags import quality_section
from zhaoshang.bulletins.tables import amount_cell, paired_row, percent_cell, points_cell, yi_cell
from zhaoshang.bulletins.text import period_words
from zhaoshang.coordination.agenda import dispatch_agenda
from zhaoshang.core.formats import LIGHT_LABELS, wan_to_yi
from zhaoshang.core.gongwen import Row, TableSpec
from zhaoshang.core.money import format_amount
from zhaoshang.core.periods import add_months, today
from zhaoshang.frontline.deadlines import overdue_leads
from zhaoshang.org.models import TEAM_KINDS, Unit
from zhaoshang.progress.pace import furthest_behind
from zhaoshang.progress.period import window_figures
from zhaoshang.progress.report import is_assessed, period_report
from zhaoshang.projects.indicators import BY_CODE, SIGNING_CODES
from zhaoshang.projects.models import MonthlyInvestment, Project, Stage
from zhaoshang.reporting.models import UnitMonthReport

KINDS = {"review": "点评", "dispatch": "调度", "summary": "小结", "observation": "观摩"}
MEETING_TITLES = {"review": "单月点评", "dispatch": "双月调度", "summary": "季度小结", "observation": "半年观摩"}
REVIEW_CODES = ["domestic_signed_count", "domestic_arrived_wan", "major_signed_count", "key_done_wan"]
QUARTER_CODES = [
    *SIGNING_CODES,
    "started_count",
    "production_count",
    "key_done_wan",
]
QUARTER_NAMES = {3: "一季度", 6: "二季度", 9: "三季度", 12: "四季度"}


def meetings_due(month: date) -> list[str]:
    """Odd months 点评, even months 调度, quarter ends 小结, June and December 观摩."""
    due = ["review" if month.month % 2 else "dispatch"]
    if month.month % 3 == 0:
        due.append("summary")
    if month.month in (6, 12):
        due.append("observation")
    return due


@dataclass
class Material:
    kind: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)
    candidates: list = field(default_factory=list)  # 观摩: projects the bureau may pick
    chosen: set = field(default_factory=set)  # 观摩: the ids already picked for this month
    total: int | None = None  # 观摩: the candidates in all (the material shows N of them)


def _title(root: Unit, month: date, kind: str) -> str:
    return f"{root.name}{month.year}年{month.month}月招商引资和项目建设{MEETING_TITLES[kind]}材料"


# ----- 点评 -----
def review(root: Unit, month: date, *, whole: bool = False) -> Material:
    report = period_report(root, month)
    material = Material("review", _title(root, month, "review"))
    for ranking in report.ranking("domestic_arrived_wan"):
        spec = TableSpec(
            title=f"{ranking.group.name}排名（实际到位内资）",
            numeric={0, 2, 3, 4, 5},
            headers=["位次", "单位", "累计(亿元)", "全年目标(亿元)", "完成率", "较序时(百分点)", "亮灯", "榜单"],
            light_column=6,
            wide={1: 40},
        )
        for row in ranking.rows:
            p = row.progress
            cells = [
                (str(row.rank or "—"), row.rank),
                (row.unit.name, row.unit.name),
                yi_cell(p.ytd),
                yi_cell(p.target),
                percent_cell(p.completion),
                points_cell(p.gap),
                (LIGHT_LABELS[p.light], LIGHT_LABELS[p.light]),
                ("红榜" if row.red else "黑榜" if row.black else "", ""),
            ]
            spec.rows.append(paired_row(cells, p.light))
        material.tables.append(spec)
        red = "、".join(r.unit.name for r in ranking.red_list) or "无"
        black = "、".join(r.unit.name for r in ranking.black_list) or "无"
        material.paragraphs.append(f"{ranking.group.name}：红榜{red}；黑榜{black}。")
    behind = TableSpec(
        title="低于序时进度的单位",
        headers=["指标", "单位", "完成率", "较序时(百分点)", "亮灯"],
        numeric={2, 3},
        light_column=4,
        wide={0: 40, 1: 40},
        empty="各单位均达到序时进度。",
    )
    for code in REVIEW_CODES:
        rows = [(u, report.progress(u, code)) for u in report.units if is_assessed(u, root)]
        rows = sorted(((u, p) for u, p in rows if p.gap is not None and p.gap < 0), key=lambda x: x[1].gap)
        for unit, p in rows:
            cells = [
                (BY_CODE[code].name, code),
                (unit.name, unit.name),
                percent_cell(p.completion),
                points_cell(p.gap),
                (LIGHT_LABELS[p.light], LIGHT_LABELS[p.light]),
            ]
            behind.rows.append(paired_row(cells, p.light))
    material.tables.append(behind)
    limit = _limit(root, whole)
    _pace(material, report, limit)
    missing = unreported_units(root, month)
    material.paragraphs.append(
        f"截至目前，{month.month}月份月报尚未上报的单位{len(missing)}个：{'、'.join(u.name for u in missing)}。"
        if missing
        else f"{month.month}月份月报各单位均已上报。"
    )
    _overdue_leads(material, root, month, limit)
    flags_table, flags_words = quality_section(root, limit)
    material.tables.append(flags_table)
    material.paragraphs.append(flags_words)
    return material


def _pace(material: Material, report, limit: int | None) -> None:
    """冲刺: each unit behind 序时, the furthest behind first, with what the remaining months must bring it for the
    year (and, until June, for 双过半) in one line; N of them, the whole list in the material's Excel."""
    behind = furthest_behind(report)
    spec = TableSpec(
        title="冲刺任务（低于序时进度的单位）",
        headers=["单位", "最大差距(百分点)", "剩余月份需完成"],
        numeric={1},
        wide={0: 35, 2: 170},
        more="另有{rest}个单位低于序时进度，详见附表（Excel）",
        empty="各单位均达到序时进度。",
    )
    for b in _cap(spec, behind, len(behind), limit):
        spec.rows.append(paired_row([(b.unit.name, b.unit.name), points_cell(b.gap), (b.sentence, b.sentence)]))
    material.tables.append(spec)
    if behind:
        names = "、".join(b.unit.name for b in behind[:3])
        material.paragraphs.append(
            f"低于序时进度的单位{len(behind)}个，差距最大的是{names}，各单位剩余月份需完成的任务见“冲刺任务”表。"
        )


MORE_LEADS = "另有{rest}条超期线索，详见附表（Excel）"


def _overdue_leads(material: Material, root: Unit, month: date, limit: int | None) -> None:
    """The leads in hand past a deadline as of the month's last day (today for the current month), counted per
    责任单位 in a paragraph, the longest overdue first in a table of N (frontline.deadlines.overdue_leads)."""
    as_of = min(today(), add_months(month, 1) - timedelta(days=1))
    states = overdue_leads([root], as_of)
    spec = TableSpec(
        title="超期未办的招商线索",
        headers=["责任单位", "项目", "登记日期", "超期事项", "最长超期(天)"],
        numeric={4},
        wide={0: 30, 1: 60, 3: 60},
        more=MORE_LEADS,
        empty="没有超期未办的招商线索。",
    )
    for state in _cap(spec, states, len(states), limit):
        project = state.profile.project
        late = "、".join(f"{d.what}（超期{d.days_late}天）" for d in state.overdue)
        worst = max(d.days_late for d in state.overdue)
        cells = [
            (project.responsible_unit.name, project.responsible_unit.name),
            (f"{project.code} {project.name}", project.name),
            (f"{state.profile.registered_on:%Y-%m-%d}", state.profile.registered_on),
            (late, late),
            (str(worst), worst),
        ]
        spec.rows.append(paired_row(cells))
    material.tables.append(spec)
    if not states:
        material.paragraphs.append(f"截至{as_of.month}月{as_of.day}日，没有超期未办的招商线索。")
        return
    per_unit: dict[str, int] = {}
    for state in states:
        name = state.profile.project.responsible_unit.name
        per_unit[name] = per_unit.get(name, 0) + 1
    each = "、".join(f"{name}{n}条" for name, n in sorted(per_unit.items(), key=lambda kv: (-kv[1], kv[0])))
    material.paragraphs.append(f"截至{as_of.month}月{as_of.day}日，超期未办的招商线索{len(states)}条：{each}。")


def unreported_units(root: Unit, month: date) -> list[Unit]:
    """The units below `root` that count in `month` (Unit.active_in) and have not confirmed it, teams excepted."""
    units = Unit.objects.under(root).active_in(month).exclude(parent=None).exclude(kind__in=TEAM_KINDS).order_by("path")
    reported = set(UnitMonthReport.objects.filter(month=month, unit__in=units).values_list("unit_id", flat=True))
    return [u for u in units if u.pk not in reported]


# ----- 调度 -----
MORE = "另有{rest}个项目，详见附表（Excel）"
MORE_ITEMS = "另有{rest}项，详见附表（Excel）"


def _limit(root: Unit, whole: bool) -> int | None:
    """Each list's N (发文设置's 清单列示条数), or None for the whole lists of the material's Excel."""
    return None if whole else list_limit_for(root)


def _cap(spec: TableSpec, rows: list, total: int, limit: int | None) -> list:
    """The rows a table shows: the first `limit` of them, with the whole list's count on the table."""
    if limit is None:
        return rows
    spec.total = total
    return rows[:limit]


def dispatch(root: Unit, month: date, *, whole: bool = False) -> Material:
    """The 调度 agenda (coordination/agenda.py, the items the dispatch meeting takes up) as tables, each list its
    worst N with the count of the rest (`whole`: every row, for the Excel)."""
    material = Material("dispatch", _title(root, month, "dispatch"))
    limit = _limit(root, whole)
    agenda = dispatch_agenda(root, month, limit=limit)
    spec = TableSpec(
        total=None if whole else agenda.behind_total,
        more=MORE,
        title="进度滞后的重点项目",
        numeric={4, 5, 6},
        light_column=7,
        font_size=9,
        headers=["项目", "责任单位", "级别", "包保领导", "年度计划(万元)", "完成投资(万元)", "较序时(百分点)", "亮灯"],
        wide={0: 44, 1: 22},
        empty="没有进度滞后的重点项目。",
    )
    for p in agenda.behind:
        cells = [
            (f"{p['code']} {p['name']}", p["name"]),
            (p["unit"], p["unit"]),
            (p["level"], p["level"]),
            (p["leader"] or "—", p["leader"]),
            amount_cell(p["plan"]),
            amount_cell(p["done"]),
            points_cell(p["schedule_gap_pp"]),
            (LIGHT_LABELS[p["light"]], LIGHT_LABELS[p["light"]]),
        ]
        spec.rows.append(paired_row(cells, p["light"]))
    material.tables.append(spec)

    due_months = settings.START_DUE_MONTHS
    spec = TableSpec(
        total=None if whole else agenda.late_starts_total,
        more=MORE,
        title=f"签约后{due_months}个月未开工的项目",
        numeric={3, 4},
        light_column=5,
        headers=["项目", "责任单位", "包保领导", "签约日期", "超期(月)", "亮灯"],
        wide={0: 60, 1: 30},
        empty="没有签约超期未开工的项目。",
    )
    for late in agenda.late_starts:
        project = late.project
        cells = [
            (f"{project.code} {project.name}", project.name),
            (project.responsible_unit.name, ""),
            (project.leader_in_charge or "—", ""),
            (f"{project.signed_on:%Y-%m-%d}", f"{project.signed_on}"),
            (str(late.months_late), late.months_late),
            (LIGHT_LABELS[late.light], LIGHT_LABELS[late.light]),
        ]
        spec.rows.append(paired_row(cells, late.light))
    material.tables.append(spec)

    stall = settings.STALL_MONTHS
    spec = TableSpec(
        total=None if whole else agenda.stalled_total,
        more=MORE,
        title=f"{stall}个月以上没有阶段变化的项目",
        headers=["项目", "责任单位", "包保领导", "当前阶段", "上次变化"],
        wide={0: 70, 1: 35},
        empty="没有长期停滞的项目。",
    )
    for project in agenda.stalled:
        cells = [
            f"{project.code} {project.name}",
            project.responsible_unit.name,
            project.leader_in_charge or "—",
            project.stage,
            f"{project.last_move:%Y-%m-%d}",
        ]
        spec.rows.append(Row(cells, cells))
    material.tables.append(spec)
    material.tables.append(_open_problems_table(agenda, limit))
    material.tables.append(_approvals_table(agenda, limit))
    material.tables.append(_carried_table(agenda))
    material.paragraphs.append(
        f"本次调度：进度滞后的重点项目{agenda.behind_total}个，签约超期未开工项目{agenda.late_starts_total}个，"
        f"{stall}个月以上没有阶段变化的项目{agenda.stalled_total}个，待协调解决的问题{len(agenda.problems)}个，"
        f"逾期未办结的前期手续{agenda.approvals_total}项，上次会议议定事项{len(agenda.carried)}项，"
        "请各责任单位、责任部门和包保领导逐项说明原因、明确措施和时限。"
    )
    if limit is not None and max(agenda.behind_total, agenda.late_starts_total, agenda.stalled_total) > limit:
        material.paragraphs.append(f"以上项目各列最突出的前{limit}个，其余见附表（Excel）。")
    return material


def _problem_state(problem, overdue: bool) -> str:
    """Open at the month's end; a problem closed since says so (the material may be for a past month)."""
    if problem.closed_at:
        return f"已于{timezone.localtime(problem.closed_at):%Y-%m-%d}销号"
    return "逾期" if overdue else problem.status


def _open_problems_table(agenda, limit: int | None) -> TableSpec:
    """The problem list's open problems of the subtree at the end of the month (问题清单), overdue ones lit."""

    as_of = agenda.as_of
    spec = TableSpec(
        more=MORE_ITEMS,
        title="待协调解决的问题",
        headers=["项目", "责任单位", "类别", "问题及需要协调的事项", "责任部门", "办理时限", "状态"],
        light_column=6,
        font_size=9,
        wide={0: 34, 3: 56},
        empty="没有待协调解决的问题。",
    )
    for problem in _cap(spec, agenda.problems, len(agenda.problems), limit):
        overdue = problem.deadline is not None and problem.deadline < as_of
        cells = [
            f"{problem.project.code} {problem.project.name}",
            problem.project.responsible_unit.name,
            problem.category,
            problem.description + (f"（需协调：{problem.help_wanted}）" if problem.help_wanted else ""),
            problem.department.name if problem.department else "待分派",
            f"{problem.deadline:%Y-%m-%d}" if problem.deadline else "—",
            _problem_state(problem, overdue),
        ]
        spec.rows.append(Row(cells, cells, "red" if overdue else None))
    return spec


def _approvals_table(agenda, limit: int | None) -> TableSpec:
    """The approval steps (前期手续) past their planned date at the end of the month, longest overdue first."""
    spec = TableSpec(
        more=MORE_ITEMS,
        title="逾期未办结的前期手续",
        headers=["项目", "责任单位", "手续", "责任部门", "计划办结", "逾期(天)", "亮灯"],
        numeric={5},
        light_column=6,
        wide={0: 50, 1: 30},
        empty="没有逾期未办结的前期手续。",
    )
    for overdue in _cap(spec, agenda.approvals, agenda.approvals_total, limit):
        project = overdue.project
        cells = [
            (f"{project.code} {project.name}", project.name),
            (project.responsible_unit.name, project.responsible_unit.name),
            (overdue.step.name, overdue.step.name),
            (overdue.department.name if overdue.department else "未定", ""),
            (f"{overdue.step.planned_on:%Y-%m-%d}", f"{overdue.step.planned_on}"),
            (str(overdue.days_overdue), overdue.days_overdue),
            (LIGHT_LABELS[overdue.light], LIGHT_LABELS[overdue.light]),
        ]
        spec.rows.append(paired_row(cells, overdue.light))
    return spec


def _carried_table(agenda) -> TableSpec:
    """The earlier dispatch meetings' decisions to follow up (上次会议议定事项) and whether they were done."""
    spec = TableSpec(
        title="上次会议议定事项落实情况",
        headers=["会议", "议定事项", "责任单位", "完成时限", "落实情况"],
        wide={0: 40, 1: 70},
        empty="没有需要跟进的议定事项。",
    )
    for task in agenda.carried:
        state = agenda.task_state(task)
        cells = [
            task.meeting.title,
            task.decision + (f"（{task.done_note}）" if task.done_note else ""),
            task.owner.name,
            f"{task.deadline:%Y-%m-%d}",
            state,
        ]
        spec.rows.append(Row(cells, cells, "red" if state == "逾期未完成" else None))
    return spec


# ----- 小结 -----
def _quarter(month: date) -> tuple[date, date]:
    last = date(month.year, (month.month - 1) // 3 * 3 + 3, 1)
    return add_months(last, -2), last


def _shown(value: Decimal, indicator) -> str:
    return format_amount(value / indicator.divisor) if indicator.is_amount else str(int(value))


def _change(now: Decimal, before: Decimal) -> str:
    """Change in per cent, or '—' where the earlier figure is zero (no division by zero)."""
    return percent_cell((now - before) / before)[0] if before else "—"


def summary(root: Unit, month: date) -> Material:
    first, last = _quarter(month)
    material = Material("summary", _title(root, month, "summary"))
    windows = {
        "本季度": (first, last),
        "上季度": (add_months(first, -3), add_months(last, -3)),
        "上年同期": (add_months(first, -12), add_months(last, -12)),
    }
    units = list(Unit.objects.under(root).filter(is_active=True))
    figures = {name: window_figures(a, b, units)[root.pk] for name, (a, b) in windows.items()}
    spec = TableSpec(
        title=f"{month.year}年{QUARTER_NAMES[last.month]}主要指标对比",
        numeric={1, 2, 3, 4, 5},
        headers=["指标", "本季度", "上季度", "环比", "上年同期", "同比"],
        wide={0: 60},
    )
    for code in QUARTER_CODES:
        indicator = BY_CODE[code]
        now, before, year_ago = (Decimal(figures[k].get(code, 0) or 0) for k in ("本季度", "上季度", "上年同期"))
        cells = [
            f"{indicator.name}（{indicator.shown_in}）",
            _shown(now, indicator),
            _shown(before, indicator),
            _change(now, before),
            _shown(year_ago, indicator),
            _change(now, year_ago),
        ]
        spec.rows.append(
            Row(
                cells,
                [
                    cells[0],
                    float(now / indicator.divisor),
                    float(before / indicator.divisor),
                    cells[3],
                    float(year_ago / indicator.divisor),
                    cells[5],
                ],
            )
        )
    material.tables.append(spec)
    arrived = Decimal(figures["本季度"].get("domestic_arrived_wan") or 0)
    signed = int(figures["本季度"].get("domestic_signed_count") or 0)
    material.paragraphs.append(
        f"{month.year}年{QUARTER_NAMES[last.month]}（{first.month}-{last.month}月），签约内资项目{signed}个，"
        f"实际到位内资{format_amount(wan_to_yi(arrived))}亿元；{period_words(last.month)}累计情况见当期通报。"
    )
    words, tables = summary_chain_section(last, root)  # 产业链招商: each chain against target, the weakest links
    material.paragraphs.extend(words)
    material.tables.extend(tables)
    return material


# ----- 观摩 -----
def _candidates(root: Unit, month: date):
    """Projects whose completed investment (to the month) is at least a third of their planned total, not picked
    for an earlier month, the furthest along first: summed and compared in the database (a HAVING)."""
    picked = ObservationPick.objects.filter(month__lt=month).values("project_id")
    share = DecimalField(max_digits=30, decimal_places=10)
    # Each project's investment to the month summed in a subquery on the (project, month) index, not by joining
    # every month to the projects' wide rows and grouping them back (a city: a third of the time).
    invested = (
        MonthlyInvestment.objects.filter(project_id=OuterRef("pk"), month__lte=month)
        .order_by()
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Project.objects.under(root)
        .filter(planned_total__gt=0)
        .exclude(pk__in=picked)
        .exclude(stage=Stage.DROPPED)
        .annotate(done=Subquery(invested, output_field=share))
        .annotate(
            done_thrice=ExpressionWrapper(F("done") * 3, output_field=share),
            # for the order only; × 1.0 so that SQLite divides two whole amounts as reals, not integers
            share=ExpressionWrapper(F("done") * Value(1.0) / F("planned_total"), output_field=FloatField()),
        )
        .filter(done_thrice__gte=F("planned_total"))
        .select_related("responsible_unit")
    )


def observation_candidates(root: Unit, month: date) -> list[Project]:
    """Every candidate for the month's 观摩, by unit and then the most invested (the Excel)."""
    return list(_candidates(root, month).order_by("responsible_unit__path", "-done", "code"))


@dataclass
class Shortlist:
    projects: list  # the ones picked for the month first, then the furthest along
    total: int  # candidates in all


def observation_shortlist(root: Unit, month: date, limit: int) -> Shortlist:
    """The `limit` candidates the page offers: the month's picks first (they can be unpicked), then the furthest
    along; and how many there are in all (COUNT(*) OVER (), computed before the LIMIT). One query at any scale."""
    candidates = _candidates(root, month)
    if limit <= 0:
        return Shortlist([], candidates.count())
    chosen = ObservationPick.objects.filter(month=month).values("project_id")
    first = Case(When(pk__in=chosen, then=Value(0)), default=Value(1), output_field=IntegerField())
    ordered = candidates.annotate(first=first, in_all=Window(Count("*"))).order_by("first", "-share", "code")
    projects = list(ordered[:limit])
    return Shortlist(projects, projects[0].in_all if projects else 0)


def candidate_page(
    root: Unit,
    month: date,
    *,
    size: int,
    number=None,
    text: str = "",
    total: int | None = None,
    shortlist: list | None = None,
) -> Page:
    """One page of every candidate, for the bureau choosing the month's 观摩 projects: the month's picks first,
    then the furthest along, ordered and cut in the database (`size` a page, the office's N), optionally only
    those whose code, name or responsible unit contains `text`. The material shows the first N; this pages
    through all of them. Two queries (the count and the page); none for the first page of all candidates when
    the material's shortlist (`shortlist`, the same N in the same order) and its count (`total`) are given."""
    candidates = _candidates(root, month)
    if text:
        candidates = candidates.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(responsible_unit__name__icontains=text)
        )
    chosen = ObservationPick.objects.filter(month=month).values("project_id")
    first = Case(When(pk__in=chosen, then=Value(0)), default=Value(1), output_field=IntegerField())
    ordered = candidates.annotate(first=first).order_by("first", "-share", "code")
    paginator = Paginator(ordered, size)
    if total is not None and not text:
        paginator.count = total  # every candidate, counted already by the material's shortlist: not twice
        if shortlist is not None and len(shortlist) == min(size, total) and _page_number(paginator, number) == 1:
            return Page(shortlist, 1, paginator)  # the shortlist is this page: the same order, the same N
    return paginator.get_page(number)


def _page_number(paginator: Paginator, number) -> int:
    """The page Paginator.get_page would show for `number` (an unreadable one: the first; past the end: the last)."""
    try:
        return paginator.validate_number(number)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages


def observation(root: Unit, month: date, *, whole: bool = False) -> Material:

    material = Material("observation", _title(root, month, "observation"))
    if whole:
        candidates = observation_candidates(root, month)
        total = len(candidates)
    else:
        shortlist = observation_shortlist(root, month, list_limit_for(root))
        candidates, total = shortlist.projects, shortlist.total
    # the month's picks of this subtree (a neighbouring county's picks are not this material's)
    picks = ObservationPick.objects.filter(month=month, project__in=Project.objects.under(root).values("pk"))
    chosen = set(picks.values_list("project_id", flat=True))
    spec = TableSpec(
        title="观摩候选项目（完成投资达到计划总投资三分之一以上）",
        numeric={3, 4, 5},
        headers=["责任单位", "项目", "阶段", "计划总投资(万元)", "累计完成投资(万元)", "完成比例", "已选"],
        wide={0: 35, 1: 80},
        empty="没有符合条件的候选项目。",
        total=None if whole else total,
        more="另有{rest}个符合条件的项目，详见附表（Excel）",
    )
    for p in candidates:
        cells = [
            p.responsible_unit.name,
            f"{p.code} {p.name}",
            p.stage,
            format_amount(p.planned_total),
            format_amount(p.done),
            percent_cell(p.done / p.planned_total)[0],
            "✓" if p.pk in chosen else "",
        ]
        spec.rows.append(
            Row(cells, [cells[0], cells[1], cells[2], float(p.planned_total), float(p.done), cells[5], cells[6]])
        )
    material.tables.append(spec)
    material.candidates, material.chosen, material.total = candidates, chosen, total
    material.paragraphs.append(f"符合观摩条件的项目{total}个，已选定{len(chosen)}个。")
    return material


BUILDERS = {"review": review, "dispatch": dispatch, "summary": summary, "observation": observation}
# the materials whose lists are cut to N (the others list units); 点评 for its overdue leads
LISTED = {"review", "dispatch", "observation"}


def build(kind: str, root: Unit, month: date, *, whole: bool = False) -> Material:
    """`whole`: every row of every list (the material's Excel), not each list's worst N."""
    if kind in LISTED:
        return BUILDERS[kind](root, month, whole=whole)
    return BUILDERS[kind](root, month)
