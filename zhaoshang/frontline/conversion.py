"""转化率: of the leads registered in a period, how many were judged 有效 and how many of those were signed, per
responsible unit, per investment team (the project's team) and per source. One grouped query per dimension,
through the user's scope (LeadProfile.objects.readable_by).

The three counts follow one cohort, so each rate is a share of the one before it and never passes 100%:
- 登记: leads whose 登记日期 falls in the period;
- 有效: of those, judged 有效 (at any time since);
- 签约: of those 有效 ones, first signed (projects.first_signed_month) no later than the period's last month.
A lead signed without ever being judged 有效 counts in 登记 only: the register says it was never judged."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q

from zhaoshang.core.formats import format_percent
from zhaoshang.core.periods import add_months, month_label
from zhaoshang.frontline.models import Judgement, LeadProfile, LeadSource

NO_TEAM = "未明确小分队"


@dataclass(frozen=True)
class Row:
    key: object  # the unit's or team's id, or the source's name
    name: str
    registered: int
    valid: int
    signed: int

    @property
    def valid_rate(self) -> Decimal | None:
        return Decimal(self.valid) / Decimal(self.registered) if self.registered else None

    @property
    def signed_rate(self) -> Decimal | None:
        return Decimal(self.signed) / Decimal(self.valid) if self.valid else None

    @property
    def valid_rate_text(self) -> str:
        return format_percent(self.valid_rate)

    @property
    def signed_rate_text(self) -> str:
        return format_percent(self.signed_rate)


@dataclass(frozen=True)
class Conversion:
    first: date  # first month
    last: date  # last month
    units: list[Row]
    teams: list[Row]
    sources: list[Row]
    total: Row

    @property
    def period_label(self) -> str:
        if self.first == self.last:
            return month_label(self.first)
        if self.first.year == self.last.year:
            return f"{self.first.year}年{self.first.month}-{self.last.month}月"
        return f"{month_label(self.first)}至{month_label(self.last)}"

    def dimensions(self):
        """(title, first column's header, rows) of each table, as the page and the export show them."""
        return [
            ("按单位", "单位", self.units),
            ("按小分队", "招商小分队", self.teams),
            ("按线索来源", "线索来源", self.sources),
        ]


def _counts(last: date):
    """The three counts of a grouped query; `last` the period's last month (a later signing is not yet one)."""
    valid = Q(judgement=Judgement.VALID)
    return {
        "registered": Count("pk"),
        "valid": Count("pk", filter=valid),
        "signed": Count("pk", filter=valid & Q(project__first_signed_month__lte=last)),
    }


def conversion(user, first: date, last: date) -> Conversion:
    """The conversion of the leads this user reads, registered from month `first` to month `last` (both
    included). Three queries, one per dimension; the total is the units' sum (each lead has one unit)."""
    end = add_months(last, 1) - timedelta(days=1)
    leads = LeadProfile.objects.readable_by(user).filter(registered_on__gte=first, registered_on__lte=end)
    counts = _counts(last)

    units = [
        Row(
            r["project__responsible_unit"],
            r["project__responsible_unit__name"],
            r["registered"],
            r["valid"],
            r["signed"],
        )
        for r in leads.values(
            "project__responsible_unit", "project__responsible_unit__name", "project__responsible_unit__path"
        )
        .annotate(**counts)
        .order_by("project__responsible_unit__path")
    ]
    teams = [
        Row(r["project__team"], r["project__team__name"] or NO_TEAM, r["registered"], r["valid"], r["signed"])
        for r in leads.values("project__team", "project__team__name", "project__team__sort_order")
        .annotate(**counts)
        .order_by("project__team__sort_order", "project__team__name")
    ]
    teams.sort(key=lambda row: row.key is None)  # the leads of no team last
    order = {value: i for i, value in enumerate(LeadSource.values)}
    sources = sorted(
        (
            Row(r["source"], r["source"], r["registered"], r["valid"], r["signed"])
            for r in leads.values("source").annotate(**counts).order_by("source")
        ),
        key=lambda row: order.get(row.key, len(order)),
    )
    total = Row(
        None,
        "合计",
        sum(r.registered for r in units),
        sum(r.valid for r in units),
        sum(r.signed for r in units),
    )
    return Conversion(first, last, units, teams, sources, total)


HEADERS = ["登记线索（条）", "研判有效（条）", "签约（个）", "有效率", "签约转化率"]


def export_sheets(result: Conversion):
    """The workbook's sheets, one per dimension, each with its 合计 row: [(sheet name, headers, rows)]."""
    sheets = []
    for title, first_header, rows in result.dimensions():
        body = [
            [row.name, row.registered, row.valid, row.signed, row.valid_rate_text, row.signed_rate_text]
            for row in [*rows, result.total]
        ]
        sheets.append((title, [first_header, *HEADERS], body))
    return sheets
