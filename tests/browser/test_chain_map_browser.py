"""The chain map in a real Chromium under the Content-Security-Policy: the chart drawn from its json_script data,
each link labelled with its counts, a hostile link name kept as text (labels and tooltip), a click on a link
opening its lists below the map, and the page within a phone's width. Screenshots at 1366 and 390 px go to
tmp_path, or to ZHAOSHANG_SCREENSHOT_DIR when set."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_csp_browser import RECORD_VIOLATIONS, assert_no_violation, screenshots_dir
from tests.progress.chain_data import make_chain, project_on, target_on

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = "<img src=x onerror=window.__pwned=1>"

# Each link node's id and its centre in the chart's pixels, as ECharts laid it out.
NODES = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById("chain-chart"));
  const data = chart.getModel().getSeriesByIndex(0).getData();
  const found = {};
  for (let i = 0; i < data.count(); i++) {
    const item = data.getRawDataItem(i);
    if (item.linkId) found[item.name] = {id: item.linkId, xy: data.getItemLayout(i)};
  }
  return found;
}"""


@pytest.fixture
def chain(county):
    links = [("电池材料", "上游", "已有优势"), ("电芯", "中游", "薄弱"), (HOSTILE, "下游", "缺失")]
    chain, (materials, cells, _hostile) = make_chain(county.root, "新能源汽车", links)
    project_on(county.bureau, county.town, materials, "投产", name="甲镇正极材料项目")
    target_on(county.town, materials, "有意向", "甲镇材料目标企业")
    project_on(county.bureau, county.town, cells, "在谈", name="甲镇电芯项目")
    return chain


def open_map(new_context, user, chain, width, height=900):
    context = new_context(viewport={"width": width, "height": height})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda m: page.console_messages.append(m.text))
    page.on("pageerror", lambda e: page.console_messages.append(f"pageerror: {e}"))
    sign_in(page, user)
    response = page.goto(f"/chains/{chain.pk}/")
    assert response.status == 200
    expect(page.locator("#chain-chart svg path").first).to_be_attached()
    assert_no_violation(page)
    return page


def test_the_map_is_drawn_and_a_click_opens_a_links_lists(new_context, county, chain, tmp_path):
    page = open_map(new_context, county.reporter, chain, 1366)
    drawn = page.locator("#chain-chart")
    expect(drawn).to_contain_text("已落地企业 1 · 目标企业 1 · 项目 0")
    expect(drawn).to_contain_text("（短板）")  # the hostile link has no target nor project
    expect(drawn).to_contain_text(HOSTILE[:10])  # a label, as text
    shots = screenshots_dir(tmp_path)
    page.screenshot(path=shots / "chain-map-1366.png", full_page=True)

    nodes = page.evaluate(NODES)
    box = drawn.bounding_box()
    hostile = nodes[HOSTILE]
    page.mouse.move(box["x"] + hostile["xy"][0], box["y"] + hostile["xy"][1])
    expect(drawn.locator("div").filter(has_text="点击查看名单").last).to_be_visible()  # the tooltip
    assert page.evaluate("window.__pwned") is None

    cells = nodes["电芯"]
    lists = page.locator(f"#link-{cells['id']}")
    expect(lists.get_by_role("link", name="甲镇电芯项目")).to_be_hidden()  # closed until asked for
    page.mouse.click(box["x"] + cells["xy"][0], box["y"] + cells["xy"][1])
    expect(lists.get_by_role("link", name="甲镇电芯项目")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"\?link={cells['id']}#link-{cells['id']}$"))
    assert_no_violation(page)
    page.screenshot(path=shots / "chain-map-1366-clicked.png")


def test_the_map_on_a_phone(new_context, county, chain, tmp_path):
    page = open_map(new_context, county.bureau, chain, 390, 844)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"页面宽度 {width}px，超出手机屏幕"
    chart_width = page.locator("#chain-chart").bounding_box()["width"]
    assert chart_width <= 390
    shots = screenshots_dir(tmp_path)
    page.screenshot(path=shots / "chain-map-390.png", full_page=True)
    page.goto("/chains/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=shots / "chain-overview-390.png", full_page=True)
    assert_no_violation(page)
