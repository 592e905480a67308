"""The indicators: code, Chinese name, unit, and how each is shown."""

from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.core.money import TENTH, WAN_PER_YI, round_half_up


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # the unit the figure is kept in
    shown_in: str  # the unit the figure is shown in (万元 amounts are shown as 亿元)
    is_amount: bool
    has_target: bool = True

    @property
    def divisor(self) -> int:
        return int(WAN_PER_YI) if self.unit == "万元" and self.shown_in == "亿元" else 1


# The front line's figures (招商一线): counted from trips, receptions and leads (frontline/counts.py, read by
# progress/period.py: the ledger does not know the front line), a unit's subtree as every figure; targets may be
# set on them like on any indicator.
FRONTLINE = [
    Indicator("trips_count", "外出招商批次", "批次", "批次", False),
    Indicator("trips_main_leader_count", "党政主要负责同志带队外出招商批次", "批次", "批次", False),
    Indicator("trip_person_days", "外出招商人天", "人天", "人天", False),
    Indicator("visits_count", "拜访企业", "家次", "家次", False),
    Indicator("receptions_count", "接待客商批次", "批次", "批次", False),
    Indicator("leads_count", "新增线索", "条", "条", False),
    Indicator("leads_valid_count", "研判有效", "条", "条", False),
    Indicator("leads_signed_count", "转化签约", "条", "条", False),
]
FRONTLINE_CODES = [i.code for i in FRONTLINE]

INDICATORS = [
    Indicator("domestic_signed_count", "签约内资项目", "个", "个", False),
    Indicator("domestic_contract_wan", "内资协议资金", "万元", "亿元", True),
    Indicator("domestic_arrived_wan", "实际到位内资", "万元", "亿元", True),
    Indicator("major_signed_count", "亿元以上项目", "个", "个", False),
    Indicator("major_started_count", "亿元以上签约项目中已开工", "个", "个", False),
    Indicator("foreign_signed_count", "外资项目", "个", "个", False),
    Indicator("foreign_contract_usd_wan", "外资协议资金", "万美元", "万美元", True),
    Indicator("foreign_arrived_usd_wan", "实际到位外资", "万美元", "万美元", True),
    Indicator("started_count", "新开工项目", "个", "个", False),
    Indicator("production_count", "新投产项目", "个", "个", False),
    Indicator("key_plan_wan", "重点项目年度计划投资", "万元", "亿元", True, has_target=False),
    Indicator("key_done_wan", "重点项目完成投资", "万元", "亿元", True),
    Indicator("teams_total", "招商小分队总数", "个", "个", False, has_target=False),
    Indicator("teams_with_signing", "有新签约的招商小分队", "个", "个", False, has_target=False),
    Indicator("teams_without_progress", "未有实质性进展的招商小分队", "个", "个", False, has_target=False),
    *FRONTLINE,
]
BY_CODE = {i.code: i for i in INDICATORS}
BY_NAME = {i.name: i for i in INDICATORS}
TARGETED = [i for i in INDICATORS if i.has_target]

# The figures a unit's row of the bulletin adds to INDICATORS (docs/domain.md): the size bands of the 亿元以上
# signings and their start rate. They are read when a bulletin is built (projects.totals.signing_band_counts,
# major_start_rate below), not kept in the totals, and have no target, no dashboard card and no ranking.
EXTRA_FIGURES = [
    Indicator("major5_signed_count", "5亿元以上签约项目", "个", "个", False, has_target=False),
    Indicator("major10_signed_count", "10亿元以上签约项目", "个", "个", False, has_target=False),
    Indicator("major_start_rate", "亿元以上新签约项目开工率", "%", "%", False, has_target=False),
]
# Every code of a unit's `figures` in the bulletin's JSON, in this order.
UNIT_FIGURES = [*INDICATORS, *EXTRA_FIGURES]
FIGURE_BY_CODE = {i.code: i for i in UNIT_FIGURES}


def major_start_rate(started, signed) -> Decimal | None:
    """亿元以上新签约项目开工率 in per cent, rounded half-up to one decimal: started ÷ signed × 100, both over the
    亿元以上 projects first signed in the period; none without such a signing."""
    if not signed:
        return None
    return round_half_up(Decimal(started or 0) * 100 / Decimal(signed), TENTH)


# The indicators read directly from the summed UnitMonthTotal fields of the same name (major_started_count,
# key_plan_wan and the team counts are derived differently, see progress/period.py).
# The signing figures every table of the bulletin, the dashboard and the meetings opens with.
SIGNING_CODES = [
    "domestic_signed_count",
    "domestic_contract_wan",
    "domestic_arrived_wan",
    "major_signed_count",
    "foreign_signed_count",
    "foreign_contract_usd_wan",
]

# The indicators 认定 (verification) decides: their 认定 figure is shown beside the 申报 one, and counts when the
# install says so (VerificationRules.counted). The others (完成投资, plans, front line, teams) have one figure.
VERIFIABLE_CODES = [
    *SIGNING_CODES,
    "major_started_count",
    "foreign_arrived_usd_wan",
    "started_count",
    "production_count",
]

DIRECT_FIGURES = [
    *SIGNING_CODES,
    "foreign_arrived_usd_wan",
    "started_count",
    "production_count",
    "key_done_wan",
]
