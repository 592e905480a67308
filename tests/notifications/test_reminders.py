"""send_reminders end to end: after the deadline day, the units that have not confirmed last month are reminded
(their reporters and unit heads in the product, one summary to the group robots); confirmed units and investment
teams never are; a second run sends nothing new."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import make_user
from zhaoshang.closing import services as closing_services
from zhaoshang.core.periods import add_months, current_month, format_month, month_label
from zhaoshang.notifications.models import Notification, RobotDelivery
from zhaoshang.org.models import Role
from zhaoshang.reporting import services as reporting_services

pytestmark = pytest.mark.django_db

LAST = add_months(current_month(), -1)
AFTER_DEADLINE = current_month().replace(day=6)  # default deadline: the 5th


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def robots(settings, receiver):
    settings.DINGTALK_WEBHOOK = f"{receiver.url}/robot/send?access_token=t"
    settings.DINGTALK_SECRET = "SECreminders"
    settings.WECOM_WEBHOOK = f"{receiver.url}/cgi-bin/webhook/send?key=k"
    return receiver


@pytest.fixture
def reported_other_town(county):
    """乙镇 confirmed last month; a user of the investment team exists (teams never report)."""
    reporting_services.unit_month_confirm(actor=county.bureau, unit=county.other_town, month=LAST)
    return make_user("teamuser", county.team, Role.REPORTER)


def test_it_reminds_the_units_that_have_not_reported_and_no_others(county, robots, reported_other_town):
    out = run("--today", AFTER_DEADLINE.isoformat())

    reminded = set(Notification.objects.values_list("user__username", flat=True))
    # 甲镇's reporter and unit head, 自然资源局's reporter; not 乙镇 (confirmed), not the team, not the county's staff.
    assert reminded == {"reporter", "unithead", "dept"}
    note = Notification.objects.get(user=county.reporter)
    assert note.kind == "report.missing"
    assert note.title == f"甲镇{month_label(LAST)}月报尚未上报"
    assert note.link == f"{reverse('monthly_report')}?unit={county.town.pk}&month={format_month(LAST)}"
    assert "5日前" in note.body and note.read_at is None

    # One summary per robot, listing every unit below the root that owes the report (teams and 乙镇 not).
    assert sorted(r.path for r in robots.requests) == ["/cgi-bin/webhook/send", "/robot/send"]
    wecom = next(r for r in robots.requests if r.path == "/cgi-bin/webhook/send").body["markdown"]["content"]
    for name in ("甲镇", "甲镇工业园", "投资促进中心", "自然资源局"):
        assert f"- {name}\n" in wecom + "\n"
    assert "乙镇" not in wecom and "第一招商小分队" not in wecom and "测试县" not in wecom
    assert f"{month_label(LAST)}月报逾期未上报单位（4个）" in wecom

    assert f"[月报未上报] 甲镇{month_label(LAST)}月报尚未上报 → 已通知 2 人（reporter、unithead）" in out
    assert "甲镇工业园" in out and "没有可接收通知的账号" in out
    assert "钉钉发送成功" in out and "企业微信发送成功" in out


def test_it_sends_nothing_new_on_a_second_run(county, robots, reported_other_town):
    run("--today", AFTER_DEADLINE.isoformat())
    notes, deliveries, requests = Notification.objects.count(), RobotDelivery.objects.count(), len(robots.requests)

    out = run("--today", AFTER_DEADLINE.replace(day=7).isoformat())
    assert (Notification.objects.count(), RobotDelivery.objects.count(), len(robots.requests)) == (
        notes,
        deliveries,
        requests,
    )
    assert "已提醒过，不再重复" in out and "已通知 0 人次" in out and "未发送（未配置群机器人，或已发送过）" in out


def test_it_reminds_nobody_until_the_deadline_has_passed(county, robots):
    out = run("--today", current_month().replace(day=5).isoformat())
    assert "今天没有需要提醒的事项" in out
    assert not Notification.objects.exists() and robots.requests == []


def test_it_follows_the_configured_deadline_day(county, robots, settings):
    settings.REPORT_DEADLINE_DAY = 10
    run("--today", current_month().replace(day=8).isoformat())
    assert not Notification.objects.exists()
    run("--today", current_month().replace(day=11).isoformat())
    assert Notification.objects.filter(user=county.reporter).exists()


def test_it_writes_and_sends_nothing_in_a_dry_run(county, robots, reported_other_town):
    out = run("--today", AFTER_DEADLINE.isoformat(), "--dry-run")
    assert "试运行" in out and "将通知 2 人（reporter、unithead）" in out and "将发送到钉钉、企业微信" in out
    assert not Notification.objects.exists() and not RobotDelivery.objects.exists() and robots.requests == []


def test_it_says_so_when_the_month_is_already_closed(county, robots_off):
    closing_services.month_close(actor=county.bureau, month=LAST)
    run("--today", AFTER_DEADLINE.isoformat())
    assert "该月已关账" in Notification.objects.get(user=county.reporter).body


def test_it_keeps_going_when_a_robot_fails(county, settings, closed_port_url):
    settings.DINGTALK_WEBHOOK = f"{closed_port_url}/robot/send?access_token=t"
    settings.WECOM_WEBHOOK = ""
    out = run("--today", AFTER_DEADLINE.isoformat())
    assert Notification.objects.filter(user=county.reporter).exists()
    assert "钉钉发送失败" in out
    assert RobotDelivery.objects.get().status == "failed"


def test_it_refuses_a_malformed_date(county):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "2026-13-01")
