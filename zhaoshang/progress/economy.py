"""The statistics bureau's economic indicators and a region's rank among the city's counties by growth."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhaoshang.org.models import Unit, UnitKind
from zhaoshang.progress.models import EconomicFigure
from zhaoshang.progress.rules import competition_ranks

# (code, Chinese name, unit) — cumulative values are kept in 万元 and shown in 亿元.
ECONOMIC_INDICATORS = [
    ("fiscal_revenue", "财政收入"),
    ("local_fiscal_revenue", "地方财政收入"),
    ("fixed_asset_investment", "固定资产投资"),
    ("industrial_sales_value", "规上工业销售产值"),
    ("industrial_added_value", "工业增加值"),
    ("industrial_fai", "工业固定资产投资"),
    ("tech_renovation_investment", "技改投资"),
]
ECONOMIC_NAMES = dict(ECONOMIC_INDICATORS)
ECONOMIC_BY_NAME = {name: code for code, name in ECONOMIC_INDICATORS}


def region_unit(region: str) -> Unit | None:
    """The unit an economic figure belongs to: the region's own unit where the install has it as a county or city
    (a county of a city install), else the root (the other counties of a single county's city, entered by its
    bureau). A town or park is no region of the city's statistics: its name belongs to the root too, so a county's
    bureau cannot add a column of its own to the city's ranking."""
    own = Unit.objects.filter(name=region, kind__in=[UnitKind.COUNTY, UnitKind.CITY]).first()
    return own or Unit.objects.filter(parent=None).order_by("path").first()


@dataclass
class EconomicRow:
    code: str
    name: str
    cumulative: Decimal | None
    growth_pct: Decimal | None
    rank: int | None
    regions: int


def economy_for(region: str, month: date) -> list[EconomicRow]:
    """Each indicator of `region` for `month`, with its rank by growth among the regions reported (one query)."""
    figures = list(EconomicFigure.objects.filter(month=month))
    rows = []
    for code, name in ECONOMIC_INDICATORS:
        same = [f for f in figures if f.indicator == code]
        ranks = competition_ranks({f.region: f.growth_pct for f in same})
        mine = next((f for f in same if f.region == region), None)
        rows.append(
            EconomicRow(
                code,
                name,
                mine.cumulative if mine else None,
                mine.growth_pct if mine else None,
                ranks.get(region) if mine else None,
                len(same),
            )
        )
    return rows
