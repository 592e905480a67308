"""The top menu on a 390 px phone: folded behind 菜单, its groups open in place, nothing wider than the screen,
and a link in a group takes the user there. On a laptop the groups drop down one at a time."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

GROUPS = ["项目", "招商一线", "产业链", "填报", "进度", "通报与会议", "考核激励", "协调", "设置"]


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_phone_menu_folds_and_opens_a_group_in_place(page, county):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, county.bureau)
    nav = page.locator("header nav")
    expect(nav).to_be_hidden()
    assert _width(page) <= 390
    page.get_by_text("菜单", exact=True).click()
    expect(nav).to_be_visible()
    summaries = nav.locator("details.nav-group > summary")
    expect(summaries).to_have_text(GROUPS)
    monthly = nav.get_by_role("link", name="月度填报")
    expect(monthly).to_be_hidden()
    nav.locator("summary", has_text="填报").click()
    expect(monthly).to_be_visible()
    # opened in place, within the screen, and a finger-sized target
    box = monthly.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 32, box
    assert _width(page) <= 390
    monthly.click()
    expect(page).to_have_url(re.compile(r"/report/"))


def test_a_reporter_sees_only_the_groups_it_uses(page, county):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, county.reporter)
    page.get_by_text("菜单", exact=True).click()
    expect(page.locator("header nav details.nav-group > summary")).to_have_text(GROUPS[:8])  # all but 设置


def test_on_a_laptop_one_group_is_open_at_a_time(page, county):
    sign_in(page, county.bureau)
    nav = page.locator("header nav")
    nav.locator("summary", has_text="填报").click()
    expect(nav.get_by_role("link", name="月度填报")).to_be_visible()
    nav.locator("summary", has_text="协调").click()
    expect(nav.get_by_role("link", name="问题清单")).to_be_visible()
    expect(nav.get_by_role("link", name="月度填报")).to_be_hidden()
    page.locator("main").click()
    expect(nav.get_by_role("link", name="问题清单")).to_be_hidden()
