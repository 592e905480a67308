"""An amount far beyond what the project can hold (到位资金 above its 协议资金 or 计划总投资, 完成投资 above its
计划总投资) is asked about before it is saved: the grid shows both numbers and saves only on a second,
confirming submit; an ordinary amount saves at once."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures
from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
EARLIER = add_months(LAST, -1)
URL = reverse("monthly_report")


def post(client, unit, cells, **extra):
    return client.post(URL, {"unit": unit.pk, "month": format_month(LAST), **cells, **extra})


def _confirm_key(page: str) -> str:
    return re.search(r'name="confirm_unusual" value="([0-9a-f]+)"', page).group(1)


def test_funds_above_the_agreement_ask_for_confirmation_with_both_numbers(county, client_for):
    client = client_for(county.reporter)
    project = make_project(county.bureau, county.town, contract_amount=Decimal("1000"))
    figures.monthly_funds_set(actor=county.bureau, project=project, month=EARLIER, amount=Decimal("600"))
    response = post(client, county.town, {f"funds-{project.pk}": "4,500"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "本次尚未保存" in page
    assert f"{project.code} {project.name}：累计到位资金 5,100.00万元 超过协议资金 1,000.00万元，请核对" in page
    assert 'value="4,500"' in page  # what was typed stays in its cell
    assert not MonthlyFunds.objects.filter(project=project, month=LAST).exists()
    assert not AuditEntry.objects.filter(action="funds.set", data__month=format_month(LAST)).exists()

    response = post(client, county.town, {f"funds-{project.pk}": "4,500"}, confirm_unusual=_confirm_key(page))
    assert response.status_code == 302
    assert MonthlyFunds.objects.get(project=project, month=LAST).amount == Decimal("4500")


def test_a_confirmation_holds_only_for_the_numbers_it_was_given_for(county, client_for):
    client = client_for(county.reporter)
    project = make_project(county.bureau, county.town, contract_amount=Decimal("1000"))
    page = post(client, county.town, {f"funds-{project.pk}": "4500"}).content.decode()
    response = post(client, county.town, {f"funds-{project.pk}": "45000"}, confirm_unusual=_confirm_key(page))
    assert response.status_code == 200 and "累计到位资金 45,000.00万元" in response.content.decode()
    assert not MonthlyFunds.objects.filter(project=project).exists()


def test_funds_and_investment_above_the_planned_total_ask_too(county, client_for):
    client = client_for(county.reporter)
    project = make_project(
        county.bureau, county.town, contract_amount=Decimal("5000"), planned_total=Decimal("800"), key_level="县重点"
    )
    page = post(client, county.town, {f"funds-{project.pk}": "900", f"investment-{project.pk}": "1200"})
    text = page.content.decode()
    assert "累计到位资金 900.00万元 超过计划总投资 800.00万元" in text
    assert "累计完成投资 1,200.00万元 超过计划总投资 800.00万元" in text
    assert not MonthlyInvestment.objects.exists()


def test_ordinary_amounts_and_foreign_funds_against_yuan_save_at_once(county, client_for):
    foreign = make_project(
        county.bureau, county.town, funding_type="外资", contract_amount=Decimal("300"), planned_total=Decimal("200")
    )
    # 250 万美元 against a 计划总投资 of 200 万元: different units, not compared.
    response = post(
        client_for(county.reporter), county.town, {f"funds-{county.project.pk}": "800", f"funds-{foreign.pk}": "250"}
    )
    assert response.status_code == 302
    assert MonthlyFunds.objects.filter(month=LAST).count() == 2
