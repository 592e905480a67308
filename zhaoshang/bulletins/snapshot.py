"""A period's figures frozen into plain JSON: the one source of a bulletin's text, JSON, docx and xlsx.

Issuing a bulletin stores this snapshot; everything shown for an issued bulletin is rendered from it, so later
edits of the ledger never change what was issued."""

from datetime import date
from decimal import Decimal

from zhaoshang.core.money import CENT
from zhaoshang.core.periods import format_month
from zhaoshang.progress.behind import key_projects_behind
from zhaoshang.progress.economy import economy_for
from zhaoshang.progress.report import PeriodReport, period_report
from zhaoshang.projects.indicators import INDICATORS, SIGNING_CODES

RANK_CODE = "domestic_arrived_wan"  # the indicator units are ranked by in the bulletin's tables
UNIT_CODES = [
    *SIGNING_CODES,
    "started_count",
    "key_done_wan",
]


def _num(value):
    """Decimals as strings (exact in JSON; sums of cents kept to the cent, ratios unrounded), counts as ints."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        cents = value.quantize(CENT)
        return str(cents if cents == value else value)
    return value


def _progress_json(progress) -> dict:
    return {
        "month": _num(progress.month),
        "ytd": _num(progress.ytd),
        "target": _num(progress.target),
        "completion_rate": _num(progress.completion),
        "schedule_gap_pp": _num(progress.gap),
        "light": progress.light,
        "double_half": progress.double_half,
    }


def build_snapshot(root, month: date, report: PeriodReport | None = None) -> dict:
    report = report or period_report(root, month)
    indicators = {i.code: _progress_json(report.progress(root, i.code)) for i in INDICATORS}
    units = []
    for ranking in report.ranking(RANK_CODE):
        for row in ranking.rows:
            units.append(
                {
                    "name": row.unit.name,
                    "kind": row.unit.kind,
                    "group": ranking.group.name,
                    "rank": row.rank,
                    "light": row.progress.light,
                    "red": row.red,
                    "black": row.black,
                    "completion_rate": _num(row.progress.completion),
                    "schedule_gap_pp": _num(row.progress.gap),
                    "figures": {code: _num(report.figures[row.unit.pk].ytd.get(code)) for code in UNIT_CODES},
                    "targets": {code: _num(report.progress(row.unit, code).target) for code in UNIT_CODES},
                }
            )
    levels = [
        {**{k: _num(v) for k, v in row.items() if k != "light"}, "light": row["light"]}
        for row in report.level_breakdown()
    ]
    economy = [
        {
            "code": e.code,
            "name": e.name,
            "cumulative": _num(e.cumulative),
            "growth_pct": _num(e.growth_pct),
            "rank": e.rank,
            "regions": e.regions,
        }
        for e in economy_for(root.name, month)
    ]
    return {
        "period": format_month(month),
        "unit": root.name,
        "unit_kind": root.kind,
        "rank_indicator": RANK_CODE,
        "schedule_rate": _num(report.schedule),
        "indicators": indicators,
        "units": units,
        "groups": {"key_project_levels": levels},
        "teams": {
            "total": report.teams.total,
            "with_signing": report.teams.with_signing,
            "without_progress": report.teams.without_progress,
            "idle": [t.name for t in report.teams.idle_teams],
        },
        "economy": economy,
        "key_projects_behind": key_projects_behind(root, month, report.schedule),
    }
