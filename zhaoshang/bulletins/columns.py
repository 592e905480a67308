"""The columns the bulletin's per-unit table (附件, in Word and Excel) can show: one registry, code → Chinese
label, unit and format, and the default choice. The renderers take the chosen codes (`columns`); every code
of a unit's `figures` in the snapshot is one, plus the ranking's target, completion, gap and light.

Each cell is worked out once, here, as (text shown, value for the spreadsheet): the value is the shown figure
itself, rounded half-up as the text is (so Excel holds 4.08, not 4.0795), and its decimal places tell the
spreadsheet writer its number format (core.files.number_format)."""

from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.bulletins.chains import TABLES
from zhaoshang.core.formats import LIGHT_LABELS, percent, points
from zhaoshang.core.money import CENT, TENTH, WAN_PER_YI, format_amount, round_half_up
from zhaoshang.projects.indicators import UNIT_FIGURES, VERIFIABLE_CODES

VERIFIED_PREFIX = "verified:"  # a column of the unit's verified_figures (其中已认定)
COUNT, AMOUNT, PERCENT, RATIO, POINTS, LIGHT = "count", "amount", "percent", "ratio", "points", "light"


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    unit: str  # as shown: 个, 亿元, 万美元, %, 百分点, or "" for words
    format: str  # COUNT, AMOUNT (divided by `divisor`), PERCENT (already in %), RATIO (shown as %), POINTS, LIGHT
    divisor: int = 1

    @property
    def header(self) -> str:
        return f"{self.label}({self.unit})" if self.unit else self.label

    def cell(self, unit: dict, rank_code: str) -> tuple[str, object]:
        """(text, spreadsheet value) of this column for one unit of the snapshot."""
        if self.code == "target":
            value = unit["targets"].get(rank_code)
        elif self.code in ("completion_rate", "schedule_gap_pp", "light"):
            value = unit.get(self.code)
        elif self.code.startswith(VERIFIED_PREFIX):
            # a bulletin issued before the 认定 figures has none: shown as "—"
            value = (unit.get("verified_figures") or {}).get(self.code.removeprefix(VERIFIED_PREFIX))
        else:
            value = unit["figures"].get(self.code)
        return _shown(self, value)


def _shown(column: Column, value) -> tuple[str, object]:
    if column.format == LIGHT:
        return LIGHT_LABELS[value], LIGHT_LABELS[value]
    if value is None:
        return "—", None
    number = Decimal(str(value))
    if column.format == COUNT:
        return f"{int(number):,}", int(number)
    if column.format == AMOUNT:
        rounded = round_half_up(number / column.divisor, CENT)
        return format_amount(rounded), rounded
    if column.format == RATIO:
        rounded = percent(number)
        return f"{rounded}", rounded
    rounded = points(number) if column.format == POINTS else round_half_up(number, TENTH)
    return f"{rounded}", rounded


def _indicator_column(indicator) -> Column:
    if indicator.code == "major_start_rate":
        return Column(indicator.code, "亿元以上项目开工率", "%", PERCENT)
    if indicator.is_amount:
        return Column(indicator.code, indicator.name, indicator.shown_in, AMOUNT, indicator.divisor)
    return Column(indicator.code, indicator.name, indicator.shown_in, COUNT)


def _verified_column(indicator) -> Column:
    shown = _indicator_column(indicator)
    return Column(
        VERIFIED_PREFIX + indicator.code, f"{indicator.name}其中已认定", shown.unit, shown.format, shown.divisor
    )


COLUMNS = (
    [_indicator_column(i) for i in UNIT_FIGURES]
    + [_verified_column(i) for i in UNIT_FIGURES if i.code in VERIFIABLE_CODES]
    + [
        Column("target", "全年目标", "亿元", AMOUNT, int(WAN_PER_YI)),  # of the ranking's indicator, 实际到位内资
        Column("completion_rate", "完成率", "%", RATIO),
        Column("schedule_gap_pp", "较序时进度", "百分点", POINTS),
        Column("light", "亮灯", "", LIGHT),
    ]
)
BY_CODE = {c.code: c for c in COLUMNS}
# The table as it has always been: the signings and the ranking's own indicator (实际到位内资) against its target.
DEFAULT_COLUMNS = [
    "domestic_signed_count",
    "domestic_contract_wan",
    "domestic_arrived_wan",
    "target",
    "completion_rate",
    "schedule_gap_pp",
    "light",
]


def chosen(codes: list[str] | None) -> list[Column]:
    """The columns for `codes` in the order given (the default set for None); an unknown code is refused, so a
    stored choice that no longer matches the registry says so instead of dropping a column silently."""
    # the optional tables' codes (bulletins/chains.py TABLES) share the stored list: not columns
    codes = [code for code in codes or [] if code not in TABLES] or None
    unknown = [code for code in codes or [] if code not in BY_CODE]
    if unknown:
        raise ValueError(f"附件表格没有这些列：{'、'.join(unknown)}")
    return [BY_CODE[code] for code in (codes if codes is not None else DEFAULT_COLUMNS)]
