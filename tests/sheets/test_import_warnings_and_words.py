"""What an import tells about its rows beyond errors: amounts that look wrong are warnings in the preview (they do
not stop the import), and a cell too long for its column says how long it is, in the product's words."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.factories import make_project
from tests.sheets.files import xlsx
from tests.sheets.test_import_records import PROJECT_HEADERS, project_row
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures
from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment, Project

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
EARLIER = add_months(LAST, -1)


def run(kind, path, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_xlsx", kind, str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_the_preview_warns_of_funds_beyond_the_agreement_and_still_imports(county, client_for, tmp_path):
    big = make_project(county.bureau, county.town, contract_amount=Decimal("1000"), planned_total=Decimal("3000"))
    figures.monthly_funds_set(actor=county.bureau, project=big, month=EARLIER, amount=Decimal("700"))
    rows = [(county.project.code, format_month(LAST), 100), (big.code, format_month(LAST), 500)]
    path = xlsx(tmp_path, rows)
    client = client_for(county.reporter)
    with open(path, "rb") as handle:
        response = client.post(reverse("import_page"), {"kind": "funds", "file": handle})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok and result.created == 2
    assert [(w.row, w.column) for w in result.warnings] == [(3, "到位资金")]
    page = response.content.decode()
    assert "有 1 行的数字明显偏大" in page
    assert "累计到位资金 1,200.00万元 超过协议资金 1,000.00万元，请核对（不影响导入）" in page
    client.post(reverse("import_page"), {"commit": "1", "token": response.context["token"]})
    assert MonthlyFunds.objects.get(project=big, month=LAST).amount == Decimal("500")  # a warning, not an error


def test_a_sheet_replacing_a_stored_month_counts_it_once(county, tmp_path):
    """The sheet's month replaces what is stored for it: 900 stored, 900 again is not 1,800."""
    project = make_project(county.bureau, county.town, contract_amount=Decimal("1000"))
    figures.monthly_funds_set(actor=county.bureau, project=project, month=LAST, amount=Decimal("900"))
    status, out, _ = run("funds", xlsx(tmp_path, [(project.code, format_month(LAST), 900)]), "--dry-run")
    assert status == 0 and "提示" not in out
    status, out, _ = run("funds", xlsx(tmp_path, [(project.code, format_month(LAST), 1100)]), "--dry-run")
    assert status == 0 and "提示 第2行 到位资金: 累计到位资金 1,100.00万元 超过协议资金 1,000.00万元" in out


def test_investment_beyond_the_planned_total_is_a_warning(county, tmp_path):
    project = make_project(county.bureau, county.town, key_level="县重点", planned_total=Decimal("2000"))
    headers = ["项目编号", "月份", "本月完成投资(万元)"]
    path = xlsx(tmp_path, [(project.code, format_month(LAST), 2500)], headers, name="investment.xlsx")
    status, out, _ = run("investment", path, "--dry-run")
    assert status == 0
    assert "累计完成投资 2,500.00万元 超过计划总投资 2,000.00万元" in out
    assert not MonthlyInvestment.objects.exists()


def test_a_too_long_project_name_is_an_error_that_says_how_long(county, tmp_path):
    rows = [project_row("XM-101", 项目名称="项" * 230), project_row("XM-102", 协议资金=-5)]
    status, _, err = run("projects", xlsx(tmp_path, rows, PROJECT_HEADERS), "--user", "reporter")
    assert status == 1
    assert "第2行 项目名称: 项目名称最多200个字，现在有230个字" in err
    assert "第3行 协议资金: " in err and "确保" not in err
    assert not Project.objects.filter(code__startswith="XM-1").exists()
