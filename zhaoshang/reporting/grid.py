"""The monthly report grid: which projects a unit reports on, their current figures, and parsing what was posted.

Each cell posts back, beside what is typed in it, a hidden copy of the value the page showed when it was loaded
(named as Django names a field's show_hidden_initial copy, like the approval steps page): only the cells whose
value differs from their copy are saved, and the save can tell a cell someone else changed meanwhile."""

import html
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.safestring import SafeString, mark_safe

from zhaoshang.core.money import CENT, parse_amount
from zhaoshang.projects.figures import GRID_COLUMNS, GridCell, GridConflict, GridEntry
from zhaoshang.projects.models import AnnualPlan, MonthlyFunds, MonthlyInvestment, Project, Stage

NOT_YET_SIGNED = [Stage.LEAD, Stage.NEGOTIATING]


@dataclass
class GridRow:
    project: Project
    funds: Decimal | None = None
    funds_ytd_before: Decimal = Decimal(0)
    plan: Decimal | None = None
    investment: Decimal | None = None
    investment_ytd_before: Decimal = Decimal(0)
    posted: dict = field(default_factory=dict)  # column → the raw text a user typed, re-shown after an error
    shown: dict = field(default_factory=dict)  # column → the hidden copy to post back, when not the stored value
    errors: dict = field(default_factory=dict)  # column → message
    conflicts: dict = field(default_factory=dict)  # column → what someone else stored meanwhile, and who
    inputs: dict = field(default_factory=dict)  # column → its cell's HTML, for a row the page shows (cell_inputs)

    @property
    def columns(self) -> list[str]:
        # 年度计划投资 and 完成投资 are facts of every signed project, key or not (projects.rules.investment_refusal).
        return ["funds"] + (["plan", "investment"] if self.project.signed_on else [])

    @property
    def cells(self) -> dict:
        """column → what its input shows and posts back: {name, value, shown, error, conflict}."""
        cells = {}
        for column in self.columns:
            stored = getattr(self, column)
            stored = "" if stored is None else str(stored)
            cells[column] = {
                "name": f"{column}-{self.project.pk}",
                "value": self.posted.get(column, stored),
                "shown": self.shown.get(column, stored),
                "error": self.errors.get(column, ""),
                "conflict": self.conflicts.get(column, ""),
            }
        return cells

    def mark_conflict(self, conflict: GridConflict) -> None:
        """Keep what was typed; the hidden copy becomes the value stored now, so saving again, having seen it,
        puts the typed value over it."""
        stored = "" if conflict.stored is None else str(conflict.stored)
        self.shown[conflict.column] = stored
        by = f" {conflict.by} " if conflict.by else "他人"
        self.conflicts[conflict.column] = f"已被{by}改为 {stored}" if stored else f"已被{by}清空"


LABELS = {"funds": "本月到位资金", "plan": "年度计划投资", "investment": "本月完成投资"}


def cell_inputs(row: GridRow, closed: bool) -> dict[str, SafeString]:
    """column → the HTML of its cell: the input, the hidden copy of what it showed (not on a closed month), the
    currency under 到位资金, and its error or conflict. Drawn here rather than by a template included per cell:
    the include was two thirds of a 100-row page's time; and with `_e` (the standard library's escape, which
    writes what Django's does) rather than format_html, whose lazy wrappers were a fifth of what remained."""
    drawn = {}
    disabled = " disabled" if closed else ""
    for column, cell in row.cells.items():
        marked = cell["error"] or cell["conflict"]
        classes = "amount" + (" invalid" if marked else "") + (" conflict" if cell["conflict"] else "")
        name = _e(cell["name"])
        label = _e(f"{row.project.code} {LABELS[column]}")
        parts = [
            f'<input class="{classes}" name="{name}" inputmode="decimal" aria-label="{label}" '
            f'value="{_e(cell["value"])}"{disabled}>'
        ]
        if not closed:
            parts.append(f'<input type="hidden" name="initial-{name}" value="{_e(cell["shown"])}">')
        if column == "funds":
            parts.append(f"<small>{_e(row.project.amount_unit)}</small>")
        if cell["error"]:
            parts.append(f'<span class="error">{_e(cell["error"])}</span>')
        if cell["conflict"]:
            parts.append(f'<span class="error conflict-note">{_e(cell["conflict"])}</span>')
        drawn[column] = mark_safe("\n".join(parts))  # noqa: S308  every value escaped by _e
    return drawn


def _e(value) -> str:
    """Escape for HTML text and attributes: & < > " ' as django.utils.html.escape writes them (&#x27; for ')."""
    return html.escape(str(value), quote=True)


def grid_projects(unit, month: date):
    """The unit's signed projects, and any other of its projects that already has a figure that month. "Has a
    figure" asks each project's (project, month) unique index once (EXISTS), not a join of all its months of
    funds with all its months of investment made distinct, which grows with the square of its history."""
    # The unit again inside each EXISTS, though the outer query has it: PostgreSQL may run an EXISTS under an OR as
    # one hashed list of its rows, and without the unit that list was every project's figure of the month in the
    # whole install (a city: 26k rows hashed for a town's 400 projects, 50-70 ms); with it, the unit's only.
    in_unit = {"project": OuterRef("pk"), "project__responsible_unit": unit, "month": month}
    has_figure = Exists(MonthlyFunds.objects.filter(**in_unit)) | Exists(MonthlyInvestment.objects.filter(**in_unit))
    return (
        Project.objects.filter(responsible_unit=unit)
        .filter(Q(~Q(stage__in=NOT_YET_SIGNED) & ~Q(stage=Stage.DROPPED)) | has_figure)
        .order_by("code")
    )


def _by_project(model, **filters):
    return dict(model.objects.filter(**filters).values_list("project_id", "amount"))


def _month_and_before(model, ids, month: date) -> tuple[dict, dict]:
    """Each project's figure of `month` and its sum over the year's earlier months, in one pass over the year's
    rows on the (project, month) index (one query, not one for the month and another for the months before)."""
    rows = (
        model.objects.filter(project_id__in=ids, month__gte=month.replace(month=1), month__lte=month)
        .values("project_id")
        .annotate(now=Sum("amount", filter=Q(month=month)), before=Sum("amount", filter=Q(month__lt=month)))
        .values_list("project_id", "now", "before")
    )
    # Amounts are kept to the cent; SQLite sums a filtered aggregate as a float (123.450000000000), so each is
    # brought back to its cents, as the cell shows and the save compares it.
    now, before = {}, {}
    for project_id, amount, earlier in rows:
        if amount is not None:
            now[project_id] = Decimal(amount).quantize(CENT)
        if earlier is not None:
            before[project_id] = Decimal(earlier).quantize(CENT)
    return now, before


def build_rows(unit, month: date) -> list[GridRow]:
    """Four queries whatever the number of projects."""
    projects = list(grid_projects(unit, month))
    ids = [p.pk for p in projects]
    funds, funds_before = _month_and_before(MonthlyFunds, ids, month)
    investments, investment_before = _month_and_before(MonthlyInvestment, ids, month)
    plans = _by_project(AnnualPlan, project_id__in=ids, year=month.year)
    return [
        GridRow(
            project=p,
            funds=funds.get(p.pk),
            funds_ytd_before=funds_before.get(p.pk, Decimal(0)),
            plan=plans.get(p.pk),
            investment=investments.get(p.pk),
            investment_ytd_before=investment_before.get(p.pk, Decimal(0)),
        )
        for p in projects
    ]


@dataclass
class GridTotals:
    """The 合计 row: each column of the grid summed over its rows, as stored (what the page shows once saved).
    到位资金 is kept in each project's own currency, so it is summed per unit (万元, 万美元), never added across."""

    funds: dict = field(default_factory=dict)  # amount unit → sum, in the order the units first appear
    funds_ytd_before: dict = field(default_factory=dict)
    plan: Decimal = Decimal(0)
    investment: Decimal = Decimal(0)
    investment_ytd_before: Decimal = Decimal(0)
    key_rows: int = 0  # rows of key projects (the plan and investment columns' rows)


def grid_totals(rows: list[GridRow]) -> GridTotals:
    totals = GridTotals()
    for row in rows:
        unit = row.project.amount_unit
        totals.funds[unit] = totals.funds.get(unit, Decimal(0)) + (row.funds or 0)
        totals.funds_ytd_before[unit] = totals.funds_ytd_before.get(unit, Decimal(0)) + row.funds_ytd_before
        if row.project.key_level:
            totals.key_rows += 1
            totals.plan += row.plan or 0
            totals.investment += row.investment or 0
            totals.investment_ytd_before += row.investment_ytd_before
    return totals


def _parse_amount(text: str) -> Decimal | None:
    text = (text or "").strip()
    if text == "":
        return None
    return parse_amount(text, noun="金额")


COLUMNS = GRID_COLUMNS
SHOWN_PREFIX = "initial-"  # the hidden copy of cell "funds-12" is posted as "initial-funds-12"
BAD_COPY = "本格打开时的原值有误，请刷新页面后重新填写"


def read_post(rows: list[GridRow], post) -> tuple[list[GridEntry], list[str]]:
    """The cells the user changed, each with the value its page showed, and every error as 'code 列名: 原因'.
    A cell absent from the post is unchanged (never blank); one posted without its copy counts as shown blank,
    so it can fill an empty cell but not overwrite or clear a figure it never showed."""
    entries, errors = [], []
    for row in rows:
        cells = {}
        for column in row.columns:
            name = f"{column}-{row.project.pk}"
            if name not in post:
                continue
            raw, shown_raw = post.get(name, ""), post.get(SHOWN_PREFIX + name, "")
            if raw.strip() == shown_raw.strip():
                continue  # left as shown: the page is re-drawn with what is stored now
            row.posted[column] = raw
            try:
                shown = _parse_amount(shown_raw)
            except ValueError:
                row.errors[column] = BAD_COPY
                errors.append(f"{row.project.code} {COLUMNS[column]}: {BAD_COPY}")
                continue
            row.shown[column] = shown_raw
            try:
                value = _parse_amount(raw)
            except ValueError as exc:
                row.errors[column] = str(exc)
                errors.append(f"{row.project.code} {COLUMNS[column]}: {exc}")
                continue
            if value != shown:
                cells[column] = GridCell(shown=shown, value=value)
        if cells:
            entries.append(GridEntry(project=row.project, cells=cells))
    strays = _strays(rows, post)
    if strays:
        errors.append(
            f"有 {strays} 格所属的项目已不在本单位本月的填报表中（可能已移交其他单位或已终止），"
            "这些格无法在此保存，请刷新页面后核对"
        )
    return entries, errors


def _strays(rows: list[GridRow], post) -> int:
    """How many cells were changed on the page for a project (or a column) the grid no longer shows: counted so
    they are not silently dropped, not named (the id posted could be any project's)."""
    known = {f"{column}-{row.project.pk}" for row in rows for column in row.columns}
    return sum(
        1
        for name, raw in post.items()
        if name.partition("-")[0] in COLUMNS
        and name not in known
        and raw.strip() != post.get(SHOWN_PREFIX + name, "").strip()
    )
