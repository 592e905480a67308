"""月度填报 in a real browser: a reporter signs in, types 到位资金 into the grid, saves, and finds it on the project.

The month is always computed with the product's own clock (Asia/Shanghai), so the test holds on any day,
including in January, when last month lies in the previous year.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.guard import is_closed
from zhaoshang.core.periods import add_months, current_month, format_month, month_label
from zhaoshang.projects import figures
from zhaoshang.projects.models import AnnualPlan, MonthlyFunds, MonthlyInvestment, Project

PASSWORD = "Test@12345"

pytestmark = pytest.mark.django_db(transaction=True)


def _last_month_open(county) -> date:
    """The month the grid opens on: last month, which must be open. The 甲镇 project must be signed by then: from
    15 to 31 January the factories sign it on 15 January of this year, after last December, so move it back."""
    month = add_months(current_month(), -1)
    assert not is_closed(month, county.town), f"{month_label(month)}不应已关账：网格应默认打开上个月"
    if county.project.signed_on >= add_months(month, 1):
        Project.objects.filter(pk=county.project.pk).update(signed_on=month)
    return month


def _log_in(page, user):
    page.goto("/login/")
    expect(page.get_by_role("heading", name="招商引资和项目建设管理系统")).to_be_visible()
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # Signed in: the top bar now names the user and offers 月度填报.
    expect(page.locator("header .who")).to_contain_text(user.display_name)


def _open_grid(page, unit, month):
    page.locator("header nav summary", has_text="填报").click()  # the menu's 填报 group
    page.locator("header nav").get_by_role("link", name="月度填报").click()
    expect(page).to_have_url(re.compile(r"/report/$"))
    expect(page.locator(".report-status strong")).to_have_text(f"{unit.name} · {month_label(month)}")
    expect(page.locator(".report-status")).to_contain_text("填报中")


def _save_button(page, month):
    return page.get_by_role("button", name=f"保存{month_label(month)}月报")


def test_it_saves_funds_typed_into_the_grid_and_shows_them_on_the_project(page, county, tmp_path):
    month = _last_month_open(county)
    project = county.project

    _log_in(page, county.reporter)
    _open_grid(page, county.town, month)

    cell = page.locator(f'input[name="funds-{project.pk}"]')
    expect(cell).to_be_editable()
    expect(cell).to_have_value("")
    cell.fill("123.45")
    _save_button(page, month).click()

    expect(page.locator(".msg-success")).to_have_text(f"已保存{month_label(month)}月报，修改 1 项")
    expect(page.locator(".msg-error")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/report/\?unit={county.town.pk}&month={format_month(month)}$"))
    expect(page.locator(f'input[name="funds-{project.pk}"]')).to_have_value("123.45")

    # The project's page, reached from the grid's link, lists the amount under 到位资金 for that month.
    page.get_by_role("link", name=project.code, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(project.name)
    funds_card = page.locator("section.card").filter(has=page.get_by_role("heading", name=re.compile("^到位资金")))
    row = funds_card.locator("tbody tr").filter(has_text=format_month(month))
    expect(row.locator("td")).to_have_text([format_month(month), "123.45"])
    expect(funds_card.locator("tr.total td")).to_have_text(["累计", "123.45"])
    page.screenshot(path=tmp_path / "project_detail.png", full_page=True)

    saved = MonthlyFunds.objects.get(project=project)
    assert (saved.month, saved.amount) == (month, Decimal("123.45"))
    entry = AuditEntry.objects.get(action="funds.set", target_type="projects.project", target_id=str(project.pk))
    assert entry.actor == county.reporter
    assert entry.unit == county.town
    assert entry.source == "page"
    assert entry.data == {"month": format_month(month), "amount": [None, "123.45"]}


@pytest.mark.parametrize(
    "typed, reason", [("abc", "“abc”不是数字"), ("-5", "金额不能为负数")], ids=["not-a-number", "negative"]
)
def test_it_refuses_an_invalid_amount_and_saves_nothing(page, county, tmp_path, typed, reason):
    month = _last_month_open(county)
    project = county.project
    # A second 甲镇 project with a valid amount: the grid is saved whole or not at all.
    second = make_project(county.bureau, county.town)

    _log_in(page, county.reporter)
    _open_grid(page, county.town, month)

    page.locator(f'input[name="funds-{project.pk}"]').fill(typed)
    page.locator(f'input[name="funds-{second.pk}"]').fill("50")
    _save_button(page, month).click()

    error = page.locator(".msg-error")
    expect(error).to_contain_text("有 1 处错误，本次未保存任何数据")
    expect(error.locator("li")).to_have_text([f"{project.code} 本月到位资金: {reason}"])
    expect(page.locator(".msg-success")).to_have_count(0)
    # What was typed stays in the cells, the faulty one marked, so the user can correct it.
    cell = page.locator(f'input[name="funds-{project.pk}"]')
    expect(cell).to_have_value(typed)
    expect(cell).to_have_class(re.compile(r"\binvalid\b"))
    expect(page.locator("td").filter(has=cell).locator(".error")).to_have_text(reason)
    expect(page.locator(f'input[name="funds-{second.pk}"]')).to_have_value("50")
    page.screenshot(path=tmp_path / "monthly_report_error.png", full_page=True)

    assert not MonthlyFunds.objects.exists()
    assert not MonthlyInvestment.objects.exists()
    assert not AnnualPlan.objects.exists()
    assert not AuditEntry.objects.filter(action="funds.set").exists()


def test_a_cell_changed_since_the_page_was_loaded_is_refused_and_what_was_typed_kept(page, county, tmp_path):
    month = _last_month_open(county)
    project = county.project
    key = make_project(county.bureau, county.town, key_level="市重点")
    MonthlyFunds.objects.create(project=project, month=month, amount=Decimal("10"))

    _log_in(page, county.reporter)
    _open_grid(page, county.town, month)
    # Meanwhile the unit head saves the same cell from another page.
    figures.monthly_grid_save(
        actor=county.unit_head,
        month=month,
        entries=[figures.GridEntry(project, {"funds": figures.GridCell(Decimal("10"), Decimal("11"))})],
    )
    page.locator(f'input[name="funds-{project.pk}"]').fill("12")
    page.locator(f'input[name="funds-{key.pk}"]').fill("30")
    page.locator(f'input[name="plan-{key.pk}"]').fill("8000")
    _save_button(page, month).click()

    error = page.locator(".msg-error")
    expect(error).to_contain_text("有 1 处在您打开本页后已被他人修改，本次未保存任何数据")
    who = county.unit_head.display_name
    expect(error.locator("li")).to_contain_text([f"{project.code} {project.name} 本月到位资金：打开本页后已被 {who}"])
    cell = page.locator(f'input[name="funds-{project.pk}"]')
    expect(cell).to_have_value("12")
    expect(cell).to_have_class(re.compile(r"\bconflict\b"))
    expect(page.locator("td").filter(has=cell).locator(".conflict-note")).to_have_text(f"已被 {who} 改为 11.00")
    expect(page.locator(f'input[name="funds-{key.pk}"]')).to_have_value("30")
    expect(page.locator(f'input[name="plan-{key.pk}"]')).to_have_value("8000")
    page.set_viewport_size({"width": 1366, "height": 800})
    page.screenshot(path=tmp_path / "monthly_report_conflict_1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=tmp_path / "monthly_report_conflict_390.png", full_page=True)
    assert MonthlyFunds.objects.get(project=project).amount == Decimal("11")
    assert not MonthlyFunds.objects.filter(project=key).exists()

    # Saving again, having seen 11.00, puts what was typed over it.
    page.set_viewport_size({"width": 1366, "height": 800})
    _save_button(page, month).click()
    expect(page.locator(".msg-success")).to_have_text(f"已保存{month_label(month)}月报，修改 3 项")
    assert MonthlyFunds.objects.get(project=project).amount == Decimal("12")
    assert AnnualPlan.objects.get(project=key).amount == Decimal("8000")
