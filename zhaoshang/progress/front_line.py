"""The dashboard's 招商一线 section, from a period's report: the eight front-line figures of the viewed unit (本月 and
累计, against their targets where set), the teams and 驻外联络处 that made no trip in the month, and how many leads
in hand are past a deadline today. A function of its own so that the page (and its cache) calls one thing."""

from dataclasses import dataclass
from datetime import date

from zhaoshang.frontline.deadlines import overdue_leads
from zhaoshang.progress.report import PeriodReport, Progress
from zhaoshang.projects.indicators import FRONTLINE_CODES


@dataclass
class FrontLine:
    figures: list[Progress]
    idle_this_month: list  # the teams and liaison offices of the subtree with no trip in month M
    team_count: int
    overdue_count: int


def front_line(report: PeriodReport, today: date) -> FrontLine:
    """Four queries beyond the report (the leads in hand with their last follow-ups, the counties' rules and
    calendar corrections), whatever the number of units and leads."""
    root = report.root
    teams = [t for t in report.team_units if t.pk != root.pk]
    idle = [t for t in teams if not report.figures[t.pk].month.get("trips_count")]
    return FrontLine(
        figures=[report.progress(root, code) for code in FRONTLINE_CODES],
        idle_this_month=idle,
        team_count=len(teams),
        overdue_count=len(overdue_leads([root], today)),
    )
