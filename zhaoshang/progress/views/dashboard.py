"""The leaders' dashboard (驾驶舱) and the drill-down of one indicator to the units behind it."""

from datetime import date
from types import SimpleNamespace

from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import render

from zhaoshang.core.files import export_response, wants_xlsx
from zhaoshang.core.formats import percent
from zhaoshang.core.periods import format_month, schedule_rate, today
from zhaoshang.core.wording import area_words
from zhaoshang.org import versions
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.lookups import unit_from_request
from zhaoshang.org.models import TEAM_KINDS
from zhaoshang.progress import exports
from zhaoshang.progress.campaigns import campaign_progress, current_campaign
from zhaoshang.progress.chain_card import chain_card
from zhaoshang.progress.economy import economy_for
from zhaoshang.progress.front_line import front_line
from zhaoshang.progress.pace import pace_of
from zhaoshang.progress.report import period_report
from zhaoshang.progress.views.common import period_from, recent_months
from zhaoshang.projects.indicators import BY_CODE, FRONTLINE_CODES, SIGNING_CODES, TARGETED
from zhaoshang.projects.models import STAGE_ORDER, Project, Stage, UnitMonthTotal

HEADLINE = [
    *SIGNING_CODES,
    "key_done_wan",
    "started_count",
]
RANKABLE = [i for i in TARGETED]


def _monthly_series(report, code="domestic_arrived_wan"):
    """Month by month (January..M) of the root's subtree, and the cumulative line against the target line."""
    months = [date(report.month.year, m, 1) for m in range(1, report.month.month + 1)]
    rows = dict(
        UnitMonthTotal.objects.filter(unit__in=report.subtree, month__in=months)
        .values("month")
        .annotate(total=Sum(code))
        .values_list("month", "total")
    )
    divisor = BY_CODE[code].divisor
    target = report.progress(report.root, code).target
    target_row = report.targets.get((report.root.pk, code))
    split = target_row.monthly if target_row else None
    values, cumulative, running = [], [], 0
    for month in months:
        value = float(rows.get(month) or 0) / divisor
        running += value
        values.append(round(value, 2))
        cumulative.append(round(running, 2))
    schedule = [round(float(target * schedule_rate(m.month, split)) / divisor, 2) for m in months] if target else []
    return {
        "months": [f"{m.month}月" for m in months],
        "values": values,
        "cumulative": cumulative,
        "schedule": schedule,
        "unit": BY_CODE[code].shown_in,
    }


def _stage_counts(root):
    rows = dict(Project.objects.under(root).values("stage").annotate(n=Count("id")).values_list("stage", "n"))
    stages = STAGE_ORDER + [Stage.DROPPED]
    return {"stages": [str(s) for s in stages], "counts": [rows.get(s, 0) for s in stages]}


def _figures(root, month, rank_code) -> dict:
    """Everything the dashboard shows of `root` and the period: the same for every reader of `root`, so cached by
    the data's version (org/versions.py); what differs per user (the menu, links a role may see) renders fresh."""
    report = period_report(root, month)
    rankings = report.ranking(rank_code)
    campaign = current_campaign(month, root)
    charts = {
        "funds": _monthly_series(report),
        "stages": _stage_counts(root),
        "groups": [
            {
                "group": g.group.name,
                "units": [r.unit.name for r in g.rows],
                "rates": [
                    float(percent(r.progress.completion)) if r.progress.completion is not None else None for r in g.rows
                ],
            }
            for g in rankings
        ],
        "schedule_pct": float(percent(report.schedule)),
    }
    return {
        # what the template reads of the report: not its per-unit figures and targets, which would only make the
        # cached entry (kept by every worker) several times larger
        "report": SimpleNamespace(
            root=report.root,
            schedule=report.schedule,
            teams=report.teams,
            teams_month=report.teams_month,
            counted=report.counted,
            counted_label=report.counted_label,
            other_label=report.other_label,
        ),
        "cards": [report.progress(root, code) for code in HEADLINE],
        # 冲刺: what each remaining month must bring, under each targeted card (progress/pace.py)
        "card_paces": {code: pace_of(report, root, code) for code in HEADLINE},
        "rankings": rankings,
        "levels": report.level_breakdown(),
        "campaign": campaign_progress(campaign, root, month) if campaign else None,
        "economy": economy_for(root.name, month),
        # the front line's card; its overdue leads are as of today, which the cache's key carries
        "front_line": front_line(report, today()),
        "charts": charts,  # json_script: escaped for the page, read by static/js/dashboard.js
    }


@business_reader_required
def dashboard(request):
    month = period_from(request)
    root = unit_from_request(request)
    rank_code = request.GET.get("rank") or "domestic_arrived_wan"
    if rank_code not in BY_CODE or not BY_CODE[rank_code].has_target:
        raise Http404("没有这个排名指标")
    figures = versions.cached(
        "dashboard", root, {"month": month, "rank": rank_code}, lambda: _figures(root, month, rank_code)
    )
    if wants_xlsx(request):
        headers, rows = exports.ranking_table(figures["rankings"], BY_CODE[rank_code], month)
        return export_response(headers, rows, title=f"{BY_CODE[rank_code].name}排名-{format_month(month)}")
    return render(
        request,
        "progress/dashboard.html",
        {
            **figures,
            "area": area_words(root.kind, root.name),  # 全县 / 全市 / 全区, or the unit's own name
            "month": month,
            "month_text": format_month(month),
            "months": recent_months(),
            "rank_code": rank_code,
            "rank_indicator": BY_CODE[rank_code],
            "rank_front_line": rank_code in FRONTLINE_CODES,  # no project list behind it to link to
            "rankable": RANKABLE,
            # cached apart, under the chains' owner: a chain's coverage moves with writes of the whole county
            "chain_card": chain_card(root),
        },
    )


@business_reader_required
def indicator_detail(request, code):
    if code not in BY_CODE:
        raise Http404("没有这个指标")
    month = period_from(request)
    root = unit_from_request(request)
    report = period_report(root, month)
    has_target = BY_CODE[code].has_target
    rows = [
        {
            "unit": u,
            "depth": u.depth - root.depth,
            "progress": report.progress(u, code),
            "pace": pace_of(report, u, code) if has_target else None,
        }
        for u in report.units
        # teams hold no ledger, but their trips, receptions and credited leads are theirs
        if u.kind not in TEAM_KINDS or code.startswith("teams_") or code in FRONTLINE_CODES
    ]
    if wants_xlsx(request):
        headers, body = exports.indicator_table(rows, BY_CODE[code], month)
        return export_response(headers, body, title=f"{BY_CODE[code].name}-{root.name}-{format_month(month)}")
    return render(
        request,
        "progress/indicator_detail.html",
        {
            "report": report,
            "month": month,
            "month_text": format_month(month),
            "months": recent_months(),
            "indicator": BY_CODE[code],
            "code": code,
            "rows": rows,
            "rankings": report.ranking(code) if has_target else [],
            "has_target": has_target,
            "before_june": month.month < 6,  # 双过半还需 is asked only until June
            "months_left": 12 - month.month,
            # the front line's figures are counted from trips, receptions and leads, not from the ledger's projects
            "front_line": code in FRONTLINE_CODES,
        },
    )
