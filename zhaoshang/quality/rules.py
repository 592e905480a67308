"""The eight anomaly rules (issue 19, 数据质量). Each function reads the ledger for a Scope in one or two set-based
queries (whatever the number of projects) and returns its Findings; services.run turns them into flags.

The month rules look at months from `Scope.since` (January of last year) on: the nightly run stays bounded as the
years pile up. Amounts are in the project's own unit (万元, or 万美元 for a foreign project)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import ExtractYear, Mod

from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.money import format_amount
from zhaoshang.core.periods import current_month
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import FundingType, MonthlyFunds, Project, Stage, StageChange, UnitMonthTotal, UsdRate
from zhaoshang.quality.models import Rule
from zhaoshang.quality.thresholds import Setting

PERIOD_ENDS = (3, 6, 9, 12)
PERMIT = "施工许可"


@dataclass(frozen=True)
class Finding:
    rule: str
    unit_id: int
    project_id: int | None
    month: date | None
    detail: str

    @property
    def key(self) -> str:
        return flag_key(self.rule, self.project_id, self.unit_id, self.month)


def flag_key(rule: str, project_id, unit_id, month) -> str:
    """Project rules are keyed by the project (its unit may change hands), the unit-wide ones by the unit."""
    owner = f"p{project_id}" if project_id else f"u{unit_id}"
    return f"{rule}|{owner}|{month.isoformat() if month else ''}"


@dataclass
class Scope:
    """What a run looks at: the projects under `root` (all of them, or `project_ids`), the units the unit-wide
    rules judge (all, or `unit_ids`: the touched projects' units) and the credit codes rule 6 counts."""

    root: Unit
    project_ids: set[int] | None = None
    unit_ids: set[int] | None = None
    codes: set[str] | None = None
    since: date | None = None
    now: date | None = None  # the current month

    def __post_init__(self):
        self.now = self.now or current_month()
        self.since = self.since or date(self.now.year - 1, 1, 1)

    def projects(self):
        rows = Project.objects.under(self.root)
        return rows if self.project_ids is None else rows.filter(pk__in=self.project_ids)

    def funds(self):
        rows = MonthlyFunds.objects.filter(project__in=self.projects().values("pk"), month__gte=self.since)
        return rows.filter(amount__gt=0)


def _wan(value, unit: str = "万元") -> str:
    return f"{format_amount(value)}{unit}"


def _ratio(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _month(month: date) -> str:
    return f"{month.year}年{month.month}月"


def _dropped_on(project: str = "pk"):
    """The day a project was last dropped (its latest 终止 in the stage history)."""
    drops = StageChange.objects.filter(project=OuterRef(project), to_stage=Stage.DROPPED).order_by("-changed_on")
    return Subquery(drops.values("changed_on")[:1])


# 1 ------------------------------------------------------------------------------------------------------------------
def over_contract(scope: Scope, setting: Setting) -> list[Finding]:
    """Cumulative 到位资金 above ratio × 协议资金 (same currency unit) or ratio × 计划总投资 (万元: a foreign project's
    万美元 converted at the latest year's rate; without a rate that comparison is left out)."""
    rate = UsdRate.objects.filter(year__lte=scope.now.year).order_by("-year").values_list("rate", flat=True).first()
    rows = (
        scope.projects()
        .filter(Q(contract_amount__gt=0) | Q(planned_total__gt=0))
        .annotate(arrived=Sum("monthlyfunds__amount"))
        .filter(arrived__gt=0)
        .values_list("pk", "responsible_unit_id", "funding_type", "contract_amount", "planned_total", "arrived")
    )
    found, ratio = [], setting.ratio
    for pk, unit_id, funding, contract, planned, arrived in rows:
        foreign = funding == FundingType.FOREIGN
        unit = "万美元" if foreign else "万元"
        over = []
        if contract and arrived > ratio * contract:
            over.append(f"协议资金{_wan(contract, unit)}")
        in_yuan = arrived * rate if foreign and rate else (None if foreign else arrived)
        if planned and in_yuan is not None and in_yuan > ratio * planned:
            over.append(f"计划总投资{_wan(planned)}")
        if over:
            times = "" if ratio == 1 else f"的{_ratio(ratio)}倍"
            detail = f"累计到位资金{_wan(arrived, unit)}，超过{'、'.join(over)}{times}"
            if foreign and len(over) and "计划总投资" in over[-1]:
                detail += f"（按汇率{rate}折算为{_wan(in_yuan)}）"
            found.append(Finding(Rule.OVER_CONTRACT, unit_id, pk, None, detail))
    return found


# 2 ------------------------------------------------------------------------------------------------------------------
def outside_life(scope: Scope, setting: Setting) -> list[Finding]:
    """到位资金 of a project not yet signed (no first signing, or a month before it) or already dropped (a month after
    the day it was dropped): one flag per project, naming the months and their sum."""
    rows = (
        scope.funds()
        .annotate(dropped_on=_dropped_on("project"))
        .filter(
            Q(project__first_signed_month=None)
            | Q(month__lt=F("project__first_signed_month"))
            | (Q(project__stage=Stage.DROPPED) & Q(month__gt=F("dropped_on")))
        )
        .order_by("project_id", "month")
        .values_list(
            "project_id",
            "project__responsible_unit_id",
            "month",
            "amount",
            "project__first_signed_month",
            "project__funding_type",
            "dropped_on",
        )
    )
    projects: dict[int, dict] = {}
    for pk, unit_id, month, amount, signed, funding, dropped in rows:
        entry = projects.setdefault(pk, {"unit": unit_id, "funding": funding, "signed": signed, "dropped": dropped})
        when = "before" if signed is None or month < signed else "after"
        entry.setdefault(when, []).append((month, amount))
    found = []
    for pk, entry in projects.items():
        unit = "万美元" if entry["funding"] == FundingType.FOREIGN else "万元"
        parts = []
        for when, label in (
            ("before", "项目尚未签约" if entry["signed"] is None else f"签约月份（{_month(entry['signed'])}）之前"),
            ("after", f"终止（{entry['dropped']:%Y-%m-%d}）之后" if entry["dropped"] else ""),
        ):
            months = entry.get(when)
            if not months:
                continue
            span = _month(months[0][0]) if len(months) == 1 else f"{_month(months[0][0])}至{_month(months[-1][0])}"
            total = sum(amount for _, amount in months)
            head = f"{label}，" if when == "before" and entry["signed"] is None else label
            parts.append(f"{head}填报到位资金{len(months)}个月（{span}），合计{_wan(total, unit)}")
        found.append(Finding(Rule.OUTSIDE_LIFE, entry["unit"], pk, None, "；".join(parts)))
    return found


# 3 ------------------------------------------------------------------------------------------------------------------
def spike(scope: Scope, setting: Setting) -> list[Finding]:
    """A month more than ratio × the median of the project's other months with 到位资金 (at least `count` of them)."""
    rows = scope.funds().order_by("project_id", "month")
    rows = rows.values_list("project_id", "project__responsible_unit_id", "project__funding_type", "month", "amount")
    by_project: dict[int, list] = {}
    for pk, unit_id, funding, month, amount in rows.iterator(chunk_size=2000):
        by_project.setdefault(pk, []).append((unit_id, funding, month, amount))
    found = []
    for pk, months in by_project.items():
        if len(months) < setting.count + 1:
            continue
        for i, (unit_id, funding, month, amount) in enumerate(months):
            others = [m[3] for j, m in enumerate(months) if j != i]
            middle = median(others)
            if middle > 0 and amount > setting.ratio * middle:
                unit = "万美元" if funding == FundingType.FOREIGN else "万元"
                detail = (
                    f"{_month(month)}到位资金{_wan(amount, unit)}，是该项目其他{len(others)}个月中位数"
                    f"{_wan(middle, unit)}的{_ratio((amount / middle).quantize(Decimal('0.1')))}倍"
                    f"（阈值{_ratio(setting.ratio)}倍）"
                )
                found.append(Finding(Rule.SPIKE, unit_id, pk, month, detail))
    return found


# 4 ------------------------------------------------------------------------------------------------------------------
def period_end(scope: Scope, setting: Setting) -> list[Finding]:
    """A unit's own signings or 到位资金(内资) in a quarter's last month above ratio × the median of the year's other
    elapsed months (missing months count as 0), and at least the minimum count or amount."""
    rows = UnitMonthTotal.objects.filter(unit__in=Unit.objects.under(scope.root), month__gte=scope.since)
    if scope.unit_ids is not None:
        rows = rows.filter(unit_id__in=scope.unit_ids)
    rows = rows.filter(month__lte=scope.now).values_list(
        "unit_id", "month", "domestic_signed_count", "foreign_signed_count", "domestic_arrived_wan"
    )
    years: dict[tuple[int, int], dict[int, tuple[int, Decimal]]] = {}
    for unit_id, month, domestic, foreign, arrived in rows:
        years.setdefault((unit_id, month.year), {})[month.month] = (domestic + foreign, arrived)
    found = []
    for (unit_id, year), months in years.items():
        last = 12 if year < scope.now.year else scope.now.month
        for end in (m for m in PERIOD_ENDS if m <= last and m in months):
            # The year's other months so far; the current month, still being filled, is no usual month.
            current = scope.now.month if year == scope.now.year else None
            others = [months.get(m, (0, Decimal(0))) for m in range(1, last + 1) if m not in (end, current)]
            if len(others) < 2:
                continue
            signed, arrived = months[end]
            said = []
            # A median of 0 (no usual months: a unit whose figures begin later in the year) gives nothing to
            # compare with; such a month is left alone rather than flagged against nothing.
            mid_signed = median(Decimal(o[0]) for o in others)
            if mid_signed > 0 and signed >= setting.count and signed > setting.ratio * mid_signed:
                said.append(f"签约项目{signed}个（其他月份中位数{_ratio(Decimal(mid_signed))}个）")
            mid_arrived = median(o[1] for o in others)
            if mid_arrived > 0 and arrived >= setting.amount and arrived > setting.ratio * mid_arrived:
                said.append(f"到位内资{_wan(arrived)}（其他月份中位数{_wan(mid_arrived)}）")
            if said:
                detail = f"{year}年{end}月（期末月）{'，'.join(said)}，超过中位数的{_ratio(setting.ratio)}倍"
                found.append(Finding(Rule.PERIOD_END, unit_id, None, date(year, end, 1), detail))
    return found


# 5 ------------------------------------------------------------------------------------------------------------------
def start_before_permit(scope: Scope, setting: Setting) -> list[Finding]:
    """A project with a 开工日期 whose 施工许可 approval step is not done, or done after that day. A project with no
    such step is not judged (its steps may be kept elsewhere)."""
    rows = (
        ApprovalStep.objects.filter(project__in=scope.projects().values("pk"), name__contains=PERMIT)
        .exclude(project__started_on=None)
        .filter(Q(done_on=None) | Q(done_on__gt=F("project__started_on")))
        .order_by("project_id", "sort_order", "id")
        .values_list("project_id", "project__responsible_unit_id", "project__started_on", "name", "done_on")
    )
    found, seen = [], set()
    for pk, unit_id, started, name, done in rows:
        if pk in seen:
            continue
        seen.add(pk)
        when = f"{done:%Y-%m-%d}才办结" if done else "尚未办结"
        detail = f"开工日期{started:%Y-%m-%d}，但“{name}”{when}"
        found.append(Finding(Rule.START_BEFORE_PERMIT, unit_id, pk, None, detail))
    return found


# 6 ------------------------------------------------------------------------------------------------------------------
def same_investor(scope: Scope, setting: Setting) -> list[Finding]:
    """One credit code first signing `count` or more projects in a year, across the whole install. A flag on one
    unit's project says how many were signed elsewhere, never where or which (another county's names are not
    this unit's to read)."""
    everyone = Project.objects.under(scope.root).exclude(credit_code="").exclude(first_signed_month=None)
    if scope.codes is not None:
        everyone = everyone.filter(credit_code__in=scope.codes)
    groups = {
        (code, year)
        for code, year in everyone.annotate(year=ExtractYear("first_signed_month"))
        .values("credit_code", "year")
        .annotate(n=Count("id"))
        .filter(n__gte=setting.count)
        .values_list("credit_code", "year")
    }
    if not groups:
        return []
    rows = everyone.filter(credit_code__in={c for c, _ in groups}).values_list(
        "pk", "responsible_unit_id", "credit_code", "first_signed_month"
    )
    members: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for pk, unit_id, code, month in rows:
        if (code, month.year) in groups:
            members.setdefault((code, month.year), []).append((pk, unit_id))
    found = []
    for (code, year), projects in members.items():
        for pk, unit_id in projects:
            own = sum(1 for _, u in projects if u == unit_id)
            detail = (
                f"投资方（统一社会信用代码{code}）{year}年共签约{len(projects)}个项目（阈值{setting.count}个），"
                f"本单位{own}个，同一信用代码本年在其他单位另签约{len(projects) - own}个"
            )
            found.append(Finding(Rule.SAME_INVESTOR, unit_id, pk, date(year, 1, 1), detail))
    return found


# 7 ------------------------------------------------------------------------------------------------------------------
def months_apart(first: date, later: date) -> int:
    """Whole months from `first` to `later` (1月15日 → 4月14日 is 2, → 4月15日 is 3)."""
    return (later.year - first.year) * 12 + later.month - first.month - (1 if later.day < first.day else 0)


def quick_drop(scope: Scope, setting: Setting) -> list[Finding]:
    """A dropped project whose drop came less than `count` months after its signing."""
    rows = (
        scope.projects()
        .filter(stage=Stage.DROPPED)
        .exclude(first_signed_month=None)
        .annotate(dropped_on=_dropped_on())
        .values_list("pk", "responsible_unit_id", "signed_on", "first_signed_month", "dropped_on")
    )
    found = []
    for pk, unit_id, signed_on, first, dropped in rows:
        signed = signed_on or first
        if dropped is None or months_apart(signed, dropped) >= setting.count:
            continue
        detail = f"{signed:%Y-%m-%d}签约，{dropped:%Y-%m-%d}即终止，不足{setting.count}个月"
        found.append(Finding(Rule.QUICK_DROP, unit_id, pk, None, detail))
    return found


# 8 ------------------------------------------------------------------------------------------------------------------
def round_amounts(scope: Scope, setting: Setting) -> list[Finding]:
    """Every 内资 到位资金 row of a unit's month a multiple of the round step, with at least `count` rows."""
    rows = MonthlyFunds.objects.filter(
        project__in=Project.objects.under(scope.root).filter(funding_type=FundingType.DOMESTIC).values("pk"),
        month__gte=scope.since,
        amount__gt=0,
    )
    if scope.unit_ids is not None:
        rows = rows.filter(project__responsible_unit_id__in=scope.unit_ids)
    # Grouped and judged in the database: a big unit has some 25,000 rows since last January, and reading them
    # into Python made every 到位资金 write wait 250 ms for this rule alone (the after-write run).
    step = Value(setting.amount, output_field=DecimalField(max_digits=16, decimal_places=2))
    months = (
        rows.annotate(rest=Mod("amount", step))
        .values("project__responsible_unit_id", "month")
        .annotate(n=Count("id"), off=Count("id", filter=~Q(rest=0)), total=Sum("amount"))
        .filter(n__gte=setting.count, off=0)
        .values_list("project__responsible_unit_id", "month", "n", "total")
    )
    found = []
    for unit_id, month, n, total in months:
        detail = f"{_month(month)}本单位{n}条内资到位资金均为{_wan(setting.amount)}的整数倍，合计{_wan(total)}"
        found.append(Finding(Rule.ROUND_AMOUNTS, unit_id, None, month, detail))
    return found


CHECKS = {
    Rule.OVER_CONTRACT: over_contract,
    Rule.OUTSIDE_LIFE: outside_life,
    Rule.SPIKE: spike,
    Rule.PERIOD_END: period_end,
    Rule.START_BEFORE_PERMIT: start_before_permit,
    Rule.SAME_INVESTOR: same_investor,
    Rule.QUICK_DROP: quick_drop,
    Rule.ROUND_AMOUNTS: round_amounts,
}
