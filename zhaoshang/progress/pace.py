"""冲刺: what each remaining month must bring, for the year's target and (until June) for 双过半.

Pure functions over a report's Progress values, so pace counts whatever the report counts. For month M of the
year, target T and year-to-date V:

- 全年: still needed max(T − V, 0), in the 12 − M months left, per month need ÷ (12 − M); in December no month is
  left (本年已无剩余月份) and a need left is 未完成.
- 双过半 (only while M < 6): half the target by the end of June, max(T/2 − V, 0), in 6 − M months.
- A target with a 按月分解 (Target.monthly) moves 序时, not these needs: it adds what the next month must bring to
  stand at 序时 at its end, T × 序时(M + 1) − V (core.periods.schedule_rate, as the report reads it).

Rounding: counts are whole projects (you cannot sign 0.4 of one), so a count's need and its monthly share are
rounded UP. An amount's need is exact and shown rounded half-up like every figure; its monthly share is rounded UP
to the shown cent (0.01亿元 = 100万元, 0.01万美元), so that bringing the shown figure every month reaches the target
(1亿元 over 3 months is 0.34亿元 a month, not 0.33). Values stay in the unit the figure is kept in (万元), so every
page shows them through the same filter as the figure itself."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from zhaoshang.core.money import CENT, format_amount
from zhaoshang.core.periods import schedule_rate
from zhaoshang.progress.report import is_assessed
from zhaoshang.projects.indicators import BY_CODE

HALF_MONTH = 6  # 双过半 is judged at the end of June
ZERO = Decimal(0)


@dataclass(frozen=True)
class Need:
    amount: Decimal  # still needed, in the unit the figure is kept in; 0 when met
    months: int  # months left to bring it in
    per_month: Decimal | None  # amount ÷ months rounded up to what is shown; None when met or no month is left

    @property
    def met(self) -> bool:
        return self.amount <= 0


@dataclass(frozen=True)
class Pace:
    code: str
    year: Need
    half: Need | None  # None from June on
    next_month: Decimal | None = None  # by the target's 按月分解: what the next month must bring to stand at 序时

    @property
    def indicator(self):
        return BY_CODE[self.code]

    @property
    def behind(self) -> bool:
        return not self.year.met or (self.half is not None and not self.half.met)


def _step(code: str) -> Decimal:
    """The smallest shown step of an indicator, in the unit it is kept in: 1 for a count, 100万元 for 亿元, 0.01."""
    indicator = BY_CODE[code]
    return CENT * indicator.divisor if indicator.is_amount else Decimal(1)


def _up(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def need(code: str, goal: Decimal, done, months: int) -> Need:
    """What is still needed to reach `goal` with `done` so far, in `months` months."""
    amount = max(Decimal(goal) - Decimal(done or 0), ZERO)
    if not BY_CODE[code].is_amount:
        amount = _up(amount, Decimal(1))  # 2.5 projects still to sign is 3
    per_month = _up(amount / months, _step(code)) if amount > 0 and months > 0 else None
    return Need(amount, months, per_month)


def pace(progress, month: int, monthly_split: list | None = None) -> Pace | None:
    """The pace of one Progress at the end of `month` (1..12); None without a target (or with a target of 0:
    there is nothing to bring, and nothing to divide)."""
    target = progress.target
    if target is None or target <= 0:
        return None
    target = Decimal(target)
    year = need(progress.code, target, progress.ytd, 12 - month)
    half = need(progress.code, target / 2, progress.ytd, HALF_MONTH - month) if month < HALF_MONTH else None
    next_month = None
    if monthly_split and month < 12:
        due = target * schedule_rate(month + 1, monthly_split)
        next_month = need(progress.code, due, progress.ytd, 1).amount
        if BY_CODE[progress.code].is_amount:
            next_month = _up(next_month, _step(progress.code))
    return Pace(progress.code, year, half, next_month)


def pace_of(report, unit, code: str) -> Pace | None:
    """The pace of `unit`'s indicator in a progress.report.PeriodReport (its target's 按月分解 included)."""
    target_row = report.targets.get((unit.pk, code))
    return pace(report.progress(unit, code), report.month.month, target_row.monthly if target_row else None)


def paces_of(report, unit, codes) -> list[Pace]:
    """The paces of `unit`'s targeted indicators among `codes`, in that order (those without a target left out)."""
    return [p for p in (pace_of(report, unit, code) for code in codes) if p is not None]


# ----- words -----
def shown(code: str, value) -> str:
    """A value kept in the indicator's unit, as shown with its unit: '3个', '1.50亿元', '12.00万美元'."""
    indicator = BY_CODE[code]
    if not indicator.is_amount:
        return f"{int(value)}{indicator.unit}"
    return f"{format_amount(Decimal(value) / indicator.divisor)}{indicator.shown_in}"


def year_words(p: Pace) -> str:
    """'全年还需5个，月均3个' / '全年还需5个（本年已无剩余月份）' / '已完成全年目标'."""
    if p.year.met:
        return "已完成全年目标"
    if not p.year.months:
        return f"全年还差{shown(p.code, p.year.amount)}，本年已无剩余月份"
    return f"全年还需{shown(p.code, p.year.amount)}，月均{shown(p.code, p.year.per_month)}"


def half_words(p: Pace) -> str:
    """'双过半还需2个' / '已实现双过半'; '' from June on."""
    if p.half is None:
        return ""
    if p.half.met:
        return "已实现双过半"
    return f"双过半还需{shown(p.code, p.half.amount)}"


# How a sentence names what must be done, where the indicator's own name is no task ("需亿元以上项目1个" read as a
# noun list; a bulletin says "需签约亿元以上项目1个、完成重点项目投资0.50亿元").
TASK_WORDS = {
    "major_signed_count": "签约亿元以上项目",
    "foreign_signed_count": "签约外资项目",
    "domestic_contract_wan": "新增内资协议资金",
    "foreign_contract_usd_wan": "新增外资协议资金",
    "key_done_wan": "完成重点项目投资",
}


def _items(paces, pick) -> list[str]:
    items = []
    for p in paces:
        n = pick(p)
        if n is None or n.met:
            continue
        each = f"（月均{shown(p.code, n.per_month)}）" if n.per_month is not None and n.months > 1 else ""
        items.append(f"{TASK_WORDS.get(p.code, p.indicator.name)}{shown(p.code, n.amount)}{each}")
    return items


def year_sentence(paces: list[Pace]) -> str:
    """'要实现全年目标，剩余2个月需签约内资项目5个（月均3个）、实际到位内资1.50亿元（月均0.75亿元）'; in December
    '本年已无剩余月份，全年目标未完成：…尚差…'; '' when nothing is still needed."""
    items = _items(paces, lambda p: p.year)
    if not items:
        return ""
    months = paces[0].year.months
    if not months:
        return f"本年已无剩余月份，全年目标未完成，尚差{'、'.join(items)}"
    return f"要实现全年目标，剩余{months}个月需{'、'.join(items)}"


def half_sentence(paces: list[Pace]) -> str:
    """'要实现“双过半”，到6月底剩余3个月需签约内资项目2个（月均1个）'; '' from June on or when already there."""
    items = _items(paces, lambda p: p.half)
    if not items:
        return ""
    months = next(p.half.months for p in paces if p.half is not None)
    return f"要实现“双过半”，到6月底剩余{months}个月需{'、'.join(items)}"


def unit_sentence(paces: list[Pace]) -> str:
    """A unit's pace in one sentence ending with 。, the year first and then 双过半; '' when it needs nothing."""
    parts = [s for s in (year_sentence(paces), half_sentence(paces)) if s]
    return "；".join(parts) + "。" if parts else ""


# ----- the units furthest behind (the 点评 material, the bulletin's 工作要求) -----
@dataclass(frozen=True)
class BehindUnit:
    unit: object
    gap: Decimal  # its worst gap to 序时 (percentage points, negative) among its targeted indicators
    paces: list
    sentence: str


# What the documents press a unit on: the figures the 点评 weighs (bulletins.meetings.REVIEW_CODES) and the
# speech's paragraph leads with. Every targeted indicator's pace is on the dashboard and the drill-down; a sentence
# over all of them ran to a dozen clauses a unit in the demo's bulletin.
PRESSED_CODES = ["domestic_signed_count", "domestic_arrived_wan", "major_signed_count", "key_done_wan"]


def furthest_behind(report, codes=PRESSED_CODES) -> list[BehindUnit]:
    """The assessed units of a report behind 序时 on at least one of `codes` (those with a target), the furthest
    behind (the lowest gap) first, each with its pace sentence over the indicators of `codes` it is behind 序时 on:
    what it must catch up. Reads only the report: no query."""
    rows = []
    for unit in report.units:
        if not is_assessed(unit, report.root):
            continue
        progresses = [report.progress(unit, code) for code in codes]
        gaps = [p.gap for p in progresses if p.gap is not None]
        if not gaps or min(gaps) >= 0:
            continue
        paces = []
        for p in progresses:
            if p.gap is None or p.gap >= 0:
                continue
            target_row = report.targets.get((unit.pk, p.code))
            one = pace(p, report.month.month, target_row.monthly if target_row else None)
            if one is not None:
                paces.append(one)
        sentence = unit_sentence(paces)
        if sentence:
            rows.append(BehindUnit(unit, min(gaps), paces, sentence))
    rows.sort(key=lambda r: (r.gap, r.unit.sort_order, r.unit.name))
    return rows
