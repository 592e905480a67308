"""The demo county's targets, campaigns and economic indicators, sized from its own seeded figures so that
some units are ahead of the calendar and some behind."""

import random
from datetime import date
from decimal import Decimal

from zhaoshang.core.periods import add_months
from zhaoshang.org.models import TEAM_KINDS, Unit, UnitKind
from zhaoshang.progress.economy import ECONOMIC_INDICATORS
from zhaoshang.progress.models import Campaign, CampaignTarget, EconomicFigure, Target
from zhaoshang.progress.report import period_report
from zhaoshang.projects.indicators import DIRECT_FIGURES

# Every unit target but key projects' (their target is their own annual plan).
TARGET_CODES = [code for code in DIRECT_FIGURES if code != "key_done_wan"]
CITY_COUNTIES = ["示范县", "东城区", "西山县", "南湖县", "北岭县", "清河县"]
# Rough size of each indicator for a county, 万元 for the year.
ECONOMY_SCALE = {
    "fiscal_revenue": 260000,
    "local_fiscal_revenue": 150000,
    "fixed_asset_investment": 1800000,
    "industrial_sales_value": 4200000,
    "industrial_added_value": 900000,
    "industrial_fai": 700000,
    "tech_renovation_investment": 260000,
}


def _round_target(code: str, value: float) -> Decimal:
    if code.endswith("_count"):
        return Decimal(max(1, round(value)))
    return Decimal(max(100, round(value / 100) * 100))


def seed_targets(rng: random.Random, root: Unit, last_month: date) -> int:
    report = period_report(root, last_month)
    year, targets = last_month.year, []
    pace = Decimal(12) / Decimal(last_month.month)
    totals = {code: Decimal(0) for code in TARGET_CODES}
    for unit in report.units:
        if unit.parent_id is None or unit.kind in TEAM_KINDS:
            continue
        ytd = report.figures[unit.pk].ytd
        for code in TARGET_CODES:
            projected = float(Decimal(ytd[code]) * pace)
            if projected <= 0 and rng.random() < 0.5:
                continue
            value = _round_target(code, max(projected, 1 if code.endswith("_count") else 500) * rng.uniform(0.8, 1.5))
            totals[code] += value
            targets.append(Target(unit=unit, year=year, indicator=code, value=value))
    for code, total in totals.items():  # the county's own target, a little above the sum of its units'
        targets.append(Target(unit=root, year=year, indicator=code, value=_round_target(code, float(total) * 1.05)))
    Target.objects.bulk_create(targets)
    return len(targets)


def seed_campaigns(rng: random.Random, root: Unit, today: date) -> int:
    year = today.year
    windows = [
        ("夏季攻势", date(year, 5, 1), date(year, 7, 1), "五月至七月，冲刺“双过半”"),
        ("双百活动", date(year, 8, 1), date(year, 12, 1), "百个项目签约、百亿元资金到位"),
    ]
    units = list(Unit.objects.filter(parent=root, is_active=True).exclude(kind__in=TEAM_KINDS))
    count = 0
    for name, first, last, description in windows:
        if first > today:
            continue
        campaign = Campaign.objects.create(
            name=name, owner=root, start_month=first, end_month=last, description=description
        )
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        rows = []
        for unit in units:
            scale = 4 if unit.kind == UnitKind.PARK else 1
            rows.append(
                CampaignTarget(
                    campaign=campaign,
                    unit=unit,
                    indicator="domestic_signed_count",
                    value=Decimal(max(1, round(scale * months * rng.uniform(0.3, 0.8)))),
                )
            )
            rows.append(
                CampaignTarget(
                    campaign=campaign,
                    unit=unit,
                    indicator="domestic_arrived_wan",
                    value=Decimal(round(scale * months * rng.uniform(1500, 3500) / 100) * 100),
                )
            )
        CampaignTarget.objects.bulk_create(rows)
        count += 1
    return count


def seed_economy(rng: random.Random, last_month: date) -> int:
    rows = []
    for region in CITY_COUNTIES:
        size = 1.0 if region == "示范县" else rng.uniform(0.6, 1.6)
        for code, _ in ECONOMIC_INDICATORS:
            growth = Decimal(str(round(rng.uniform(-4, 14), 1)))
            month = date(last_month.year, 1, 1)
            while month <= last_month:
                share = Decimal(month.month) / 12
                cumulative = Decimal(str(round(ECONOMY_SCALE[code] * size * rng.uniform(0.95, 1.05), 0))) * share
                drift = Decimal(str(round(rng.uniform(-1.5, 1.5), 1)))
                rows.append(
                    EconomicFigure(
                        region=region,
                        month=month,
                        indicator=code,
                        cumulative=cumulative.quantize(Decimal("1.00")),
                        growth_pct=growth + drift,
                    )
                )
                month = add_months(month, 1)
    EconomicFigure.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
