"""The target-enterprise library in Chromium: on a 390 px phone the list and a target's page fit the screen, the
work picker lists the user's trips as it types (static/js/workpick.js, under the policy) and 关联 links one, the
status following; the trip's page then names the target."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_csp_browser import assert_no_violation, open_as, visit  # noqa: F401  (open_as: a fixture)
from tests.industry.helpers import make_target, make_trip

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_phone_links_a_trip_to_a_target(open_as, county):  # noqa: F811
    target = make_target(county.reporter, county.town, "深圳新能源科技有限公司", tags=["上市公司"])
    trip = make_trip(county.reporter, county.town, visited="深圳新能源科技有限公司")
    make_trip(county.outsider, county.other_town, visited="乙镇去深圳")
    phone = open_as(county.reporter, width=390, height=844)
    visit(phone, "/enterprises/?unworked=on")
    expect(phone.get_by_text("深圳新能源科技有限公司")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    visit(phone, f"/enterprises/{target.pk}/")
    phone.locator("form.work-search input[name=q]").fill("深圳")
    results = phone.locator("ul.work-results li")
    expect(results).to_have_count(1)  # 乙镇's trip is not the reporter's to read
    expect(results.first).to_contain_text("深圳")
    results.first.get_by_role("button", name="关联").click()
    expect(phone.locator(".msg-success")).to_contain_text("已关联")
    expect(phone.locator("h1 + .problem-tags")).to_contain_text("已接触")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_violation(phone)
    visit(phone, f"/trips/{trip.pk}/")
    expect(phone.get_by_role("link", name="深圳新能源科技有限公司")).to_be_visible()
