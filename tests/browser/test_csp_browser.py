"""The pages under the Content-Security-Policy, in a real Chromium: no violation reported on the dashboard, the
monthly grid, the ledger, the targets and the system admin's pages; the dashboard's charts drawn from their
json_script data; the selects that send their form on change (static/js/app.js) still do; a unit named like a
script stays text. Screenshots of the dashboard at 1366 and 390 px go to tmp_path, or to
ZHAOSHANG_SCREENSHOT_DIR when set (to look at them)."""

import os
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, get_resolver, reverse
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import make_unit
from zhaoshang.core.headers import CONTENT_SECURITY_POLICY

HOSTILE = "</script><script>window.__pwned = 1</script>"

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any page script (through the DevTools protocol, which the policy does not govern) and keeps every
# violation the page reports.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = (e.sourceFile || "") + ":" + e.lineNumber;
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""


@pytest.fixture
def open_as(new_context):
    def open_page(user, width=1366, height=900):
        context = new_context(viewport={"width": width, "height": height})
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda m: page.console_messages.append(m.text))
        page.on("pageerror", lambda e: page.console_messages.append(f"pageerror: {e}"))
        sign_in(page, user)
        return page

    return open_page


def assert_no_violation(page):
    violations = page.evaluate("window.__violations")
    assert violations == [], f"{page.url}: {violations}"
    reported = [m for m in page.console_messages if "Content Security Policy" in m or "pageerror" in m]
    assert reported == [], f"{page.url}: {reported}"


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert_no_violation(page)


def assert_charts_drawn(page):
    for chart in ("chart-funds", "chart-stages", "chart-groups"):
        drawn = page.locator(f"#{chart} svg path")
        expect(drawn.first).to_be_attached()
        assert page.evaluate(f"!!echarts.getInstanceByDom(document.getElementById('{chart}'))"), chart


def screenshots_dir(tmp_path) -> Path:
    target = Path(os.environ.get("ZHAOSHANG_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_the_pages_run_under_the_policy(open_as, county, tmp_path):
    make_unit(HOSTILE, "乡镇", county.root, county.town.group)

    leader = open_as(county.leader)
    visit(leader, "/dashboard/")
    assert_charts_drawn(leader)
    groups_chart = leader.locator("#chart-groups")
    expect(groups_chart).to_contain_text(HOSTILE)  # the hostile name is a bar's label, as text
    assert leader.evaluate("window.__pwned") is None
    leader.screenshot(path=screenshots_dir(tmp_path) / "dashboard-1366.png", full_page=True)
    # A chart's tooltip: ECharts writes it with style attributes, which is why style-src allows inline styles.
    leader.locator("#chart-stages").hover(position={"x": 150, "y": 150})
    stage = re.compile("线索|在谈|签约|注册|开工|投产|终止")
    tooltip = leader.locator("#chart-stages div").filter(has_text=stage)  # the axis labels are SVG text, not divs
    expect(tooltip.last).to_be_visible()
    assert_no_violation(leader)

    # A select that sends its form when changed (data-autosubmit, static/js/app.js).
    leader.get_by_label("排名指标").select_option(label="签约内资项目")
    expect(leader).to_have_url(re.compile(r"rank=domestic_signed_count"))
    assert_charts_drawn(leader)
    assert_no_violation(leader)

    visit(leader, "/projects/")
    expect(leader.locator("table.data tbody tr").first).to_be_visible()
    visit(leader, f"/projects/{county.project.pk}/")

    reporter = open_as(county.reporter)
    visit(reporter, "/report/")
    expect(reporter.locator(f'input[name="funds-{county.project.pk}"]')).to_be_editable()
    visit(reporter, "/problems/")

    bureau = open_as(county.bureau)
    visit(bureau, "/targets/")
    visit(bureau, "/months/")
    visit(bureau, "/sheets/import/")

    auditor = open_as(county.auditor)
    visit(auditor, "/audit/")

    sysadmin = open_as(county.sysadmin)
    visit(sysadmin, "/sysadmin/")
    visit(sysadmin, "/sysadmin/org/unit/")
    visit(sysadmin, f"/sysadmin/org/unit/{county.town.pk}/change/")


def test_the_dashboard_on_a_phone(open_as, county, tmp_path):
    phone = open_as(county.leader, width=390, height=844)
    visit(phone, "/dashboard/")
    assert_charts_drawn(phone)
    shots = screenshots_dir(tmp_path)
    phone.screenshot(path=shots / "dashboard-390.png", full_page=True)
    phone.screenshot(path=shots / "dashboard-390-top.png")
    phone.locator("#chart-groups").scroll_into_view_if_needed()
    phone.screenshot(path=shots / "dashboard-390-charts.png")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"页面宽度 {width}px，超出手机屏幕"


def test_every_page_of_the_bureau_runs_under_the_policy(open_as, county):
    """Every page without an id in its address, and the project's own pages, as the bureau sees them."""
    skip = {"login", "logout", "healthz", "bulletin_issue", "monthly_confirm", "notification_read", "observation_picks"}
    skip |= {"verification_bulk_pass"}  # POST only: 认定所选 from the queue's form
    names = sorted(
        p.name
        for p in get_resolver().url_patterns
        if isinstance(p, URLPattern) and p.name and p.name not in skip and not p.pattern.converters
    )
    project = county.project.pk
    urls = [reverse(name) for name in names] + [
        f"/projects/{project}/",
        f"/projects/{project}/edit/",
        f"/projects/{project}/approvals/",
        f"/problems/new/?project={project}",
    ]
    bureau = open_as(county.bureau)
    for url in urls:
        response = bureau.goto(url)
        assert response.status < 500, url
        if "html" in response.headers.get("content-type", ""):
            assert_no_violation(bureau)
