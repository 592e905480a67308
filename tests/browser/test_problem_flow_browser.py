"""问题清单 in a real browser on a phone-sized screen: the town's reporter reports a problem on its project, the
bureau assigns it to 自然资源局 with a deadline, the department answers, the reporter confirms it closed (销号).
Each user signs in through the login page in a context of its own, 390 px wide, as on a phone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from zhaoshang.audit.models import AuditEntry
from zhaoshang.coordination.models import Problem, Status
from zhaoshang.core.periods import today

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(new_context):
    """A new phone-sized page for each user (its own cookies)."""

    def open_as(user):
        page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        sign_in(page, user)
        return page

    return open_as


def _fits_the_screen(page):
    """Nothing on the page is wider than the phone: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"页面宽度 {width}px，超出手机屏幕"


def test_a_problem_goes_from_report_to_closed_on_a_phone(phone, county):
    reporter = phone(county.reporter)
    reporter.goto(f"/problems/new/?project={county.project.pk}")
    _fits_the_screen(reporter)
    reporter.get_by_text("用地", exact=True).click()
    reporter.get_by_label("问题描述").fill("厂区东侧用地指标尚未落实，影响开工")
    reporter.get_by_label("需要协调解决的事项").fill("请协调调剂用地指标")
    reporter.get_by_role("button", name="提交问题").click()
    expect(reporter.locator("main")).to_contain_text("厂区东侧用地指标尚未落实")
    problem = Problem.objects.get(description="厂区东侧用地指标尚未落实，影响开工")
    assert (problem.status, problem.raised_by) == (Status.RAISED, county.reporter)

    bureau = phone(county.bureau)
    bureau.goto(f"/problems/{problem.pk}/")
    bureau.get_by_label("责任部门").select_option(label="自然资源局")
    bureau.get_by_label("办理时限").fill((today() + timedelta(days=10)).isoformat())
    bureau.get_by_role("button", name="分派").click()
    expect(bureau.locator("main")).to_contain_text("办理中")

    department = phone(county.dept_user)
    department.goto("/problems/")
    _fits_the_screen(department)
    department.get_by_text("厂区东侧用地指标尚未落实").first.click()
    department.get_by_label("办理情况").fill("已调剂用地指标30亩")
    department.get_by_role("button", name="提交办结答复").click()
    expect(department.locator("main")).to_contain_text("已办结待确认")
    _fits_the_screen(department)

    reporter.goto(f"/problems/{problem.pk}/")
    reporter.get_by_role("button", name="确认解决，销号").click()
    expect(reporter.locator("main")).to_contain_text("已销号")
    _fits_the_screen(reporter)

    problem.refresh_from_db()
    assert problem.status == Status.CLOSED and problem.answer == "已调剂用地指标30亩"
    steps = list(problem.events.values_list("action", "actor__username"))
    assert steps == [("raised", "reporter"), ("assigned", "bureau"), ("answered", "dept"), ("closed", "reporter")]
    assert AuditEntry.objects.filter(target_type="coordination.problem", target_id=str(problem.pk)).count() == 4
