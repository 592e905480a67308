"""Campaigns (夏季攻势, 双百活动, …): progress inside their own window against their own targets."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from zhaoshang.core.periods import months_between
from zhaoshang.org.models import BUSINESS_READ_ROLES, TEAM_KINDS, Unit, subtree_q
from zhaoshang.org.scoping import memberships
from zhaoshang.org.tree import ancestor_ids
from zhaoshang.progress import rules
from zhaoshang.progress.models import Campaign, CampaignTarget
from zhaoshang.progress.period import window_figures
from zhaoshang.progress.report import is_assessed
from zhaoshang.projects.indicators import INDICATORS

ORDER = [i.code for i in INDICATORS]


def campaigns_over(unit: Unit):
    """The campaigns that apply to `unit`: run by it or by a unit above it (a county's dashboard never shows its
    neighbour's 夏季攻势)."""
    return Campaign.objects.filter(owner_id__in=ancestor_ids(unit.path))


def campaigns_for(user):
    """The campaigns a user may open: those over any of its units, and those its units' subtrees run (a city's
    leaders follow their counties' campaigns)."""
    query = Q(pk__in=[])
    for membership in memberships(user):
        if membership.role in BUSINESS_READ_ROLES:
            path = membership.unit.path
            query |= Q(owner_id__in=ancestor_ids(path)) | subtree_q([membership.unit], "owner")
    return Campaign.objects.filter(query)


def campaign_scope(campaign: Campaign, root: Unit) -> Unit:
    """The subtree a campaign's progress covers when looked at from `root`: the campaign's own units only."""
    owner = campaign.owner
    if owner is not None and owner.path.startswith(root.path):
        return owner
    return root


def current_campaign(month: date, unit: Unit) -> Campaign | None:
    """The campaign over `unit` running in `month`, else the latest one over it that has started by then."""
    over = campaigns_over(unit)
    running = over.filter(start_month__lte=month, end_month__gte=month).first()
    return running or over.filter(start_month__lte=month).order_by("-end_month").first()


@dataclass
class CampaignRow:
    unit: Unit
    cells: dict = field(default_factory=dict)  # code → {value, target, completion, gap, light}
    rank: int | None = None


@dataclass
class CampaignProgress:
    campaign: Campaign
    month: date
    schedule: Decimal
    codes: list
    rows: list
    elapsed: int
    length: int


def campaign_progress(campaign: Campaign, root: Unit, month: date) -> CampaignProgress:
    """Each unit's figures inside the window up to `month`, against its campaign targets; the schedule is the
    share of the window's months elapsed; ranked within its assessment group by the mean completion of its
    targets."""
    window = months_between(campaign.start_month, campaign.end_month)
    last = min(month, campaign.end_month)
    elapsed = len([m for m in window if m <= last])
    schedule = Decimal(elapsed) / Decimal(len(window))
    units = list(Unit.objects.under(root).filter(is_active=True).select_related("group"))
    figures = window_figures(campaign.start_month, last, units) if elapsed else {u.pk: {} for u in units}
    targets = {
        (t.unit_id, t.indicator): t.value for t in CampaignTarget.objects.filter(campaign=campaign, unit__in=units)
    }
    codes = sorted({code for _, code in targets}, key=ORDER.index)
    rows = []
    for unit in units:
        if unit.kind in TEAM_KINDS or not unit.active_in(last) or not any((unit.pk, c) in targets for c in codes):
            continue
        row = CampaignRow(unit=unit)
        for code in codes:
            target = targets.get((unit.pk, code))
            value = figures[unit.pk].get(code, 0)
            completion = rules.completion_rate(value, target)
            gap = rules.gap_pp(completion, schedule)
            row.cells[code] = {
                "value": value,
                "target": target,
                "completion": completion,
                "gap": gap,
                "light": rules.light(gap),
            }
        rows.append(row)
    by_group: dict = {}
    for row in rows:
        if not is_assessed(row.unit, root):
            continue  # shown with its figures, never ranked (不参与考核, or the viewed unit itself)
        rates = [c["completion"] for c in row.cells.values() if c["completion"] is not None]
        by_group.setdefault(row.unit.group_id, {})[row.unit.pk] = sum(rates) / len(rates) if rates else None
    for scores in by_group.values():
        ranks = rules.competition_ranks(scores)
        for row in rows:
            if row.unit.pk in scores:
                row.rank = ranks.get(row.unit.pk)
    group_order = {u.group_id: (u.group.sort_order if u.group else 99) for u in units}
    rows.sort(key=lambda r: (group_order.get(r.unit.group_id, 99), r.rank is None, r.rank or 0))
    return CampaignProgress(campaign, last, schedule, codes, rows, elapsed, len(window))
