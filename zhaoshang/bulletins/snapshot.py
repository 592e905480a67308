"""A period's figures frozen into plain JSON: the one source of a bulletin's text, JSON, docx and xlsx.

Issuing a bulletin stores this snapshot; everything shown for an issued bulletin is rendered from it, so later
edits of the ledger never change what was issued."""

from datetime import date
from decimal import Decimal

from zhaoshang.bulletins.chains import chains_snapshot
from zhaoshang.bulletins.frontline import frontline_snapshot
from zhaoshang.bulletins.office import list_limit_for
from zhaoshang.core.money import CENT
from zhaoshang.core.periods import format_month
from zhaoshang.org.models import TEAM_KINDS
from zhaoshang.progress.behind import worst_behind
from zhaoshang.progress.economy import economy_for
from zhaoshang.progress.pace import furthest_behind
from zhaoshang.progress.period import DECLARED, TEAM_CODES, VERIFIED, band_figures, team_counts_by_unit
from zhaoshang.progress.report import PeriodReport, period_report
from zhaoshang.projects.indicators import INDICATORS, TARGETED, UNIT_FIGURES, major_start_rate

RANK_CODE = "domestic_arrived_wan"  # the indicator units are ranked by in the bulletin's tables


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


def _unit_figures(report: PeriodReport, unit, bands: dict, teams: dict, basis: str = DECLARED) -> dict:
    """Every code of UNIT_FIGURES for the unit's subtree, January..M, on `basis` (申报 or 认定): the totals'
    figures, the year's plan, the teams of its subtree, the size bands and the 亿元以上 start rate. The front
    line's and the teams' figures are not verified: the same on both bases."""
    figures = report.figures_on(basis)[unit.pk]
    front = report.figures[unit.pk].ytd  # the counted figures carry the front line's
    values = {**front, **figures.ytd, "key_plan_wan": figures.plan["key_plan_wan"]}
    values.update(teams.get(unit.pk) or dict.fromkeys(TEAM_CODES, 0))
    values.update(bands[basis][unit.pk])
    result = {i.code: _num(values.get(i.code)) for i in UNIT_FIGURES if i.code != "major_start_rate"}
    rate = major_start_rate(values["major_started_count"], values["major_signed_count"])
    result["major_start_rate"] = None if rate is None else str(rate)  # a percentage, already one decimal
    return result


def _unit_json(report: PeriodReport, unit, row, group, bands: dict, teams: dict) -> dict:
    progress = row.progress if row else report.progress(unit, RANK_CODE)
    return {
        "name": unit.name,
        "kind": unit.kind,
        "group": group.name if group else None,
        "assessed": row is not None,
        "rank": row.rank if row else None,
        # A unit not assessed (no group) is neither ranked nor lit nor listed; its figures are still given.
        "light": progress.light if row else None,
        "red": row.red if row else False,
        "black": row.black if row else False,
        "completion_rate": _num(progress.completion),
        "schedule_gap_pp": _num(progress.gap),
        # `figures` as entered (申报) and `verified_figures` counting only what is 已认定, whichever counts
        "figures": _unit_figures(report, unit, bands, teams),
        "verified_figures": _unit_figures(report, unit, bands, teams, VERIFIED),
        "targets": {i.code: _num(report.progress(unit, i.code).target) for i in TARGETED},
    }


def pace_snapshot(report: PeriodReport, limit: int) -> dict:
    """冲刺 for the 工作要求: the `limit` units furthest behind 序时 (progress.pace.furthest_behind), each with what
    the remaining months must bring, in words frozen with the bulletin; and how many are behind in all."""
    behind = furthest_behind(report)
    return {
        "units": [
            {"name": b.unit.name, "schedule_gap_pp": _num(b.gap), "sentence": b.sentence} for b in behind[:limit]
        ],
        "total": len(behind),
    }


def build_snapshot(root, month: date, report: PeriodReport | None = None, limit: int | None = None) -> dict:
    """`limit`: how many of a long list the snapshot keeps (the worst N; 发文设置's by default). The count of the
    whole list is kept beside it; the list in full is progress.behind.key_projects_behind, frozen apart from the
    snapshot when a bulletin is issued (Bulletin.annex_rows) for the Excel 附表."""
    report = report or period_report(root, month)
    limit = limit or list_limit_for(root)
    behind = worst_behind(root, month, report.schedule, limit)
    indicators = {i.code: _progress_json(report.progress(root, i.code)) for i in INDICATORS}
    bands = {basis: band_figures(month, report.units, basis) for basis in (DECLARED, VERIFIED)}
    teams = team_counts_by_unit(report.teams)
    units = []
    for ranking in report.ranking(RANK_CODE):
        for row in ranking.rows:
            units.append(_unit_json(report, row.unit, row, ranking.group, bands, teams))
    for unit in report.units:
        if unit.group_id is None and unit.pk != root.pk and unit.kind not in TEAM_KINDS:
            units.append(_unit_json(report, unit, None, None, bands, teams))
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
        # which figures the rates, ranks, lights and lists count: "declared" (申报) or "verified" (认定)
        "counted": report.counted,
        "indicators": indicators,
        "figures": _unit_figures(report, root, bands, teams),
        "verified_figures": _unit_figures(report, root, bands, teams, VERIFIED),
        "units": units,
        "groups": {"key_project_levels": levels},
        "teams": {
            "total": report.teams.total,
            "with_signing": report.teams.with_signing,
            "without_progress": report.teams.without_progress,
            "idle": [t.name for t in report.teams.idle_teams],
        },
        "economy": economy,
        "frontline": frontline_snapshot(report),
        "list_limit": limit,
        "pace": pace_snapshot(report, limit),
        "key_projects_behind": behind.rows,  # the worst `list_limit`
        "key_projects_behind_total": behind.total,
        # the annex's optional 产业链招商情况 and 载体情况 (bulletins/chains.py), the first `limit` rows of each
        **chains_snapshot(root, month, limit),
    }
