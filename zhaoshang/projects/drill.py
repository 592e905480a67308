"""The projects behind a figure: the ledger filtered to exactly what an indicator counts in a period."""

from datetime import date

from django.db.models import Exists, OuterRef, Q

from zhaoshang.core.periods import add_months
from zhaoshang.projects.models import FundingType, MonthlyFunds, MonthlyInvestment

SIGNING = {
    "domestic_signed_count": Q(funding_type=FundingType.DOMESTIC),
    "domestic_contract_wan": Q(funding_type=FundingType.DOMESTIC),
    "foreign_signed_count": Q(funding_type=FundingType.FOREIGN),
    "foreign_contract_usd_wan": Q(funding_type=FundingType.FOREIGN),
    "major_signed_count": Q(is_major=True),
    "all_signed": Q(),  # every first signing, domestic or foreign (a team's signings)
}
NAMES = {"all_signed": "签约项目"}
DRILLABLE = set(SIGNING) | {
    "major_started_count",
    "started_count",
    "production_count",
    "domestic_arrived_wan",
    "foreign_arrived_usd_wan",
    "key_done_wan",
    "key_plan_wan",
}


def projects_behind(projects, code: str, first: date, last: date):
    """Narrow a (scoped) project queryset to those counted in `code` between months `first` and `last`."""
    end = add_months(last, 1)
    if code in SIGNING:
        return projects.filter(SIGNING[code], first_signed_month__gte=first, first_signed_month__lte=last)
    if code == "major_started_count":
        return projects.filter(
            is_major=True, first_signed_month__gte=first, first_signed_month__lte=last, started_on__lt=end
        )
    if code == "started_count":
        return projects.filter(started_on__gte=first, started_on__lt=end)
    if code == "production_count":
        return projects.filter(production_on__gte=first, production_on__lt=end)
    if code in ("domestic_arrived_wan", "foreign_arrived_usd_wan"):
        funding = FundingType.DOMESTIC if code == "domestic_arrived_wan" else FundingType.FOREIGN
        arrived = MonthlyFunds.objects.filter(project=OuterRef("pk"), month__gte=first, month__lte=last)
        return projects.filter(Exists(arrived), funding_type=funding)
    if code == "key_done_wan":
        done = MonthlyInvestment.objects.filter(project=OuterRef("pk"), month__gte=first, month__lte=last)
        return projects.exclude(key_level="").filter(Exists(done))
    if code == "key_plan_wan":
        return projects.exclude(key_level="").filter(annual_plans__year=first.year)
    return projects.none()
