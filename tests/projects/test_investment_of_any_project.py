"""年度计划投资 and 完成投资 are facts of any signed project, key or not; only the key-project indicators count the
key projects alone, so entering them for a project that is not a key project changes no key-project figure."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins.meetings import observation_candidates
from zhaoshang.core.periods import add_months, current_month, format_month, schedule_rate, today
from zhaoshang.progress.behind import key_projects_behind
from zhaoshang.progress.period import level_sums
from zhaoshang.progress.report import period_report
from zhaoshang.projects import figures, services
from zhaoshang.projects.drill import projects_behind
from zhaoshang.projects.models import AnnualPlan, MonthlyInvestment, Project

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
KEY_CODES = ("key_plan_wan", "key_done_wan")


def key_figures(county):
    """Every key-project figure the product shows for the county at LAST."""
    report = period_report(county.root, LAST)
    summary = {code: report.progress(county.root, code) for code in KEY_CODES}
    return {
        "root": [(p.month, p.ytd, p.target, p.completion) for p in summary.values()],
        "town": [(report.progress(county.town, c).ytd) for c in KEY_CODES],
        "levels": level_sums(county.root, LAST),
        "behind": key_projects_behind(county.root, LAST, schedule_rate(LAST.month)),
        "drill": [
            sorted(
                projects_behind(Project.objects.all(), code, date(LAST.year, 1, 1), LAST).values_list("code", flat=True)
            )
            for code in KEY_CODES
        ],
    }


def test_a_project_that_is_not_a_key_project_takes_its_plan_and_investment(county):
    project = county.project  # signed, no key level
    assert not project.key_level
    figures.annual_plan_set(actor=county.reporter, project=project, year=LAST.year, amount=Decimal("1200"))
    figures.monthly_investment_set(actor=county.reporter, project=project, month=LAST, amount=Decimal("80.5"))
    assert AnnualPlan.objects.get(project=project, year=LAST.year).amount == Decimal("1200")
    assert MonthlyInvestment.objects.get(project=project, month=LAST).amount == Decimal("80.50")
    actions = set(AuditEntry.objects.filter(actor=county.reporter).values_list("action", flat=True))
    assert actions == {"plan.set", "investment.set"}


def test_a_non_key_projects_figures_change_no_key_project_figure(county):
    key = make_project(county.bureau, county.town, key_level="县重点")
    figures.annual_plan_set(actor=county.bureau, project=key, year=LAST.year, amount=Decimal("1200"))
    figures.monthly_investment_set(actor=county.bureau, project=key, month=LAST, amount=Decimal("10"))
    before = key_figures(county)
    assert [row["code"] for row in before["behind"]] == [key.code]  # the key project is behind its plan
    assert before["drill"] == [[key.code], [key.code]]
    for project in (county.project, county.park_project, county.other_project):  # none is a key project
        figures.annual_plan_set(actor=county.bureau, project=project, year=LAST.year, amount=Decimal("5000"))
        figures.monthly_investment_set(actor=county.bureau, project=project, month=LAST, amount=Decimal("1"))
    assert key_figures(county) == before


def test_a_project_made_a_key_project_brings_its_figures_into_the_key_figures(county):
    """The figures are kept whatever the level; the key-project indicators read the level as it is now."""
    project = county.project
    figures.annual_plan_set(actor=county.bureau, project=project, year=LAST.year, amount=Decimal("1200"))
    figures.monthly_investment_set(actor=county.bureau, project=project, month=LAST, amount=Decimal("300"))
    assert period_report(county.root, LAST).progress(county.root, "key_done_wan").ytd == 0
    services.project_update(actor=county.bureau, project=project, values={"key_level": "市重点"})
    report = period_report(county.root, LAST)
    assert report.progress(county.root, "key_done_wan").ytd == Decimal("300")
    assert report.progress(county.root, "key_plan_wan").ytd == Decimal("1200")


@pytest.mark.parametrize("stage", ["线索", "在谈"])
def test_a_project_not_yet_signed_has_no_plan_and_no_investment(county, stage):
    lead = make_project(county.bureau, county.town, stage=stage, signed_on=None, contract_amount=None)
    with pytest.raises(ValidationError, match=f"{lead.code} 尚未签约（{stage}），不填报完成投资"):
        figures.monthly_investment_set(actor=county.bureau, project=lead, month=LAST, amount=Decimal("1"))
    with pytest.raises(ValidationError, match=f"{lead.code} 尚未签约（{stage}），不填报年度计划投资"):
        figures.annual_plan_set(actor=county.bureau, project=lead, year=LAST.year, amount=Decimal("1"))
    assert not MonthlyInvestment.objects.exists() and not AnnualPlan.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["plan.set", "investment.set"]).exists()


def test_a_project_dropped_after_signing_keeps_taking_its_figures(county):
    services.project_change_stage(
        actor=county.bureau, project=county.project, to_stage="终止", on_date=today(), reason="投资方撤资"
    )
    figures.monthly_investment_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("2"))
    assert MonthlyInvestment.objects.get(project=county.project).amount == Decimal("2")


def test_the_monthly_grid_offers_plan_and_investment_for_every_signed_project(county, client_for):
    url = reverse("monthly_report")
    client = client_for(county.reporter)
    page = client.get(url, {"month": format_month(LAST)}).content.decode()
    pk = county.project.pk
    assert f'name="plan-{pk}"' in page and f'name="investment-{pk}"' in page
    response = client.post(
        url,
        {"unit": county.town.pk, "month": format_month(LAST), f"plan-{pk}": "900", f"investment-{pk}": "75"},
    )
    assert response.status_code == 302
    assert AnnualPlan.objects.get(project=county.project).amount == Decimal("900")
    assert MonthlyInvestment.objects.get(project=county.project).amount == Decimal("75")


def test_the_observation_pick_reads_the_investment_of_every_project(county):
    """观摩 candidates: 完成投资 at least a third of 计划总投资, key project or not."""
    services.project_update(actor=county.bureau, project=county.project, values={"planned_total": Decimal("300")})
    figures.monthly_investment_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("100"))
    assert [p.code for p in observation_candidates(county.root, LAST)] == [county.project.code]
