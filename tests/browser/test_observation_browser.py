"""观摩 scoring in Chromium on a 390 px phone: a judge opens 我的评分, scores two projects one after the other (each
saved as a draft, the next shown), is told nothing is missing, submits, and finds the sheet read-only."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_csp_browser import assert_no_violation, open_as, visit  # noqa: F401  (open_as: a fixture)
from tests.observation.helpers import make_event
from zhaoshang.observation.models import Judge, Score

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_judge_scores_two_projects_on_a_phone_and_submits(open_as, county):  # noqa: F811
    event = make_event(county.bureau, [county.project, county.other_project], judges=[county.leader])
    phone = open_as(county.leader, width=390, height=844)
    phone.on("dialog", lambda dialog: dialog.accept())
    visit(phone, "/observation/judge/")
    phone.get_by_text("2026年上半年项目观摩").click()
    expect(phone.locator("h2")).to_contain_text(county.project.name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    for label, value in (("项目建设进度", "36"), ("投资强度", "18"), ("科技含量", "15.5"), ("现场管理", "17")):
        phone.get_by_label(label).fill(value)
    phone.get_by_role("button", name="暂存，下一个项目").click()
    expect(phone.locator(".msg-success")).to_contain_text("已暂存")
    expect(phone.locator("h2")).to_contain_text(county.other_project.name)
    phone.get_by_label("项目建设进度").fill("41")  # above the full marks: refused, nothing lost
    for label, value in (("投资强度", "10"), ("科技含量", "10"), ("现场管理", "10")):
        phone.get_by_label(label).fill(value)
    phone.get_by_role("button", name="暂存，去提交").click()
    expect(phone.locator(".msg-error")).to_contain_text("不能超过满分")
    expect(phone.get_by_label("投资强度")).to_have_value("10")
    phone.get_by_label("项目建设进度").fill("30")
    phone.get_by_role("button", name="暂存，去提交").click()
    expect(phone.get_by_role("heading", name="全部项目已评完")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="提交评分").click()
    expect(phone.get_by_role("heading", name="评分已提交")).to_be_visible()
    assert_no_violation(phone)
    visit(phone, f"/observation/{event.pk}/score/?p=1")
    expect(phone.get_by_label("项目建设进度")).to_be_disabled()
    judge = Judge.objects.get(event=event, user=county.leader)
    assert judge.is_submitted and Score.objects.filter(judge=judge).count() == 8
