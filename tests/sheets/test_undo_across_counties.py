"""H2: in a city install the undo of an import is a county's own: a neighbouring county's bureau can neither
list nor undo it (walking the pk), and a refusal names nothing outside the user's reach."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.sheets.files import run_import, xlsx
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.progress.models import EconomicFigure
from zhaoshang.projects import services
from zhaoshang.projects.models import MonthlyFunds
from zhaoshang.sheets.models import ImportLog

pytestmark = pytest.mark.django_db

LAST = add_months(current_month(), -1)
ECONOMY = ["地区", "月份", "指标", "累计值", "同比增长(%)"]


def test_a_neighbouring_bureau_cannot_list_or_undo_a_county_import(city, client_for, tmp_path):
    c = city.county
    run_import("funds", xlsx(tmp_path, [(c.project.code, format_month(LAST), 80)]), "--user", "reporter")
    log = ImportLog.objects.get()
    neighbour = client_for(city.n_bureau)
    assert log.file_name not in neighbour.get(reverse("import_page")).content.decode()
    entries = AuditEntry.objects.count()
    response = neighbour.post(reverse("import_undo", args=[log.pk]))
    assert response.status_code == 404
    assert c.project.name not in response.content.decode()
    assert MonthlyFunds.objects.get(project=c.project, month=LAST).amount == Decimal("80.00")
    assert AuditEntry.objects.count() == entries
    # the county's own bureau and the city's may
    assert log.file_name in client_for(c.bureau).get(reverse("import_page")).content.decode()
    assert log.file_name in client_for(city.city_bureau).get(reverse("import_page")).content.decode()


def test_a_neighbouring_bureau_cannot_undo_a_county_economy_import(city, client_for, tmp_path):
    path = xlsx(tmp_path, [("测试县", format_month(LAST), "财政收入", 1000, 5)], ECONOMY, name="economy.xlsx")
    run_import("indicators", path, "--user", "bureau")
    log = ImportLog.objects.get()
    assert client_for(city.n_bureau).post(reverse("import_undo", args=[log.pk])).status_code == 404
    assert EconomicFigure.objects.get(region="测试县").cumulative == Decimal("1000.00")


def test_a_command_import_is_the_city_bureau_s_to_undo(city, client_for, tmp_path):
    c = city.county
    run_import("funds", xlsx(tmp_path, [(c.project.code, format_month(LAST), 80)]))
    log = ImportLog.objects.get()
    assert log.actor is None
    assert client_for(c.bureau).post(reverse("import_undo", args=[log.pk])).status_code == 404
    assert client_for(city.city_bureau).post(reverse("import_undo", args=[log.pk])).status_code == 302
    assert not MonthlyFunds.objects.filter(project=c.project).exists()


def test_the_refusal_names_no_project_that_left_the_user_s_reach(city, client_for, tmp_path):
    c = city.county
    run_import("funds", xlsx(tmp_path, [(c.project.code, format_month(LAST), 80)]), "--user", "reporter")
    services.project_update(
        actor=city.city_bureau, project=c.project, values={"responsible_unit": city.n_town, "team": None}
    )
    response = client_for(c.reporter).post(reverse("import_undo", args=[ImportLog.objects.get().pk]), follow=True)
    page = response.content.decode()
    assert "已不在您的填报范围内" in page
    assert c.project.name not in page and c.project.code not in page
    assert MonthlyFunds.objects.get(project=c.project, month=LAST).amount == Decimal("80.00")
