"""The group robots against a real HTTP receiver on 127.0.0.1: the DingTalk signature recomputed from the secret,
the WeCom body, failures logged without raising, and no second send of the same message."""

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

import pytest

from zhaoshang.notifications.models import DeliveryStatus, RobotDelivery
from zhaoshang.notifications.robots import send_robot_message

pytestmark = pytest.mark.django_db

SECRET = "SECtest0123456789abcdef+/="  # characters that Base64 and URL-encoding both care about


@pytest.fixture
def dingtalk(settings, receiver):
    settings.DINGTALK_WEBHOOK = f"{receiver.url}/robot/send?access_token=token-abc"
    settings.DINGTALK_SECRET = SECRET
    settings.WECOM_WEBHOOK = ""
    return receiver


@pytest.fixture
def wecom(settings, receiver):
    settings.DINGTALK_WEBHOOK = ""
    settings.WECOM_WEBHOOK = f"{receiver.url}/cgi-bin/webhook/send?key=693a91f6-test"
    return receiver


def test_it_signs_the_dingtalk_request_as_dingtalk_documents(dingtalk):
    before = int(time.time() * 1000)
    [delivery] = send_robot_message(title="5月月报逾期未上报单位（2个）", text="- 甲镇\n- 乙镇", dedupe_key="k1")
    after = int(time.time() * 1000)

    assert (delivery.channel, delivery.status, delivery.http_status, delivery.error) == ("dingtalk", "ok", 200, "")
    [request] = dingtalk.requests
    assert request.path == "/robot/send"
    assert request.query["access_token"] == "token-abc"
    timestamp = request.query["timestamp"]
    assert before <= int(timestamp) <= after  # milliseconds
    # Recomputed here from the secret: HmacSHA256(secret, f"{timestamp}\n{secret}"), Base64, URL-encoded.
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert request.query["sign"] == expected
    assert f"sign={quote_plus(expected)}" in request.raw_query  # sent URL-encoded, not raw Base64
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.body["msgtype"] == "markdown"
    assert request.body["markdown"]["title"] == "5月月报逾期未上报单位（2个）"
    assert "- 甲镇\n- 乙镇" in request.body["markdown"]["text"]


def test_it_posts_dingtalk_unsigned_without_a_secret(dingtalk, settings):
    settings.DINGTALK_SECRET = ""
    send_robot_message(title="标题", text="内容")
    [request] = dingtalk.requests
    assert request.query == {"access_token": "token-abc"}


def test_it_posts_the_wecom_markdown_body_with_the_key_in_the_url_and_no_signature(wecom):
    [delivery] = send_robot_message(title="5月月报逾期未上报单位（1个）", text="- 甲镇", dedupe_key="k2")
    assert (delivery.channel, delivery.status) == ("wecom", "ok")
    [request] = wecom.requests
    assert request.path == "/cgi-bin/webhook/send"
    assert request.query == {"key": "693a91f6-test"}  # WeCom documents no signature: the key is the only secret
    assert request.body == {
        "msgtype": "markdown",
        "markdown": {"content": "**5月月报逾期未上报单位（1个）**\n\n- 甲镇"},
    }


def test_it_keeps_a_long_wecom_message_within_4096_bytes(wecom):
    lines = "\n".join(f"- 第{i}个单位名称很长很长很长" for i in range(400))
    send_robot_message(title="很多单位", text=lines)
    content = wecom.requests[0].body["markdown"]["content"]
    assert len(content.encode()) <= 4096 and content.endswith("其余请登录系统查看）")


def test_it_sends_to_both_robots_when_both_are_configured(settings, receiver):
    settings.DINGTALK_WEBHOOK = f"{receiver.url}/robot/send?access_token=t"
    settings.DINGTALK_SECRET = SECRET
    settings.WECOM_WEBHOOK = f"{receiver.url}/cgi-bin/webhook/send?key=k"
    deliveries = send_robot_message(title="标题", text="内容", dedupe_key="both")
    assert sorted(d.channel for d in deliveries) == ["dingtalk", "wecom"]
    assert sorted(r.path for r in receiver.requests) == ["/cgi-bin/webhook/send", "/robot/send"]


def test_it_logs_a_failed_delivery_when_the_service_answers_an_error_code(wecom):
    wecom.answer(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    [delivery] = send_robot_message(title="标题", text="内容", dedupe_key="k3")
    assert (delivery.status, delivery.http_status) == ("failed", 200)
    assert "93000" in delivery.error and "invalid webhook url" in delivery.error


def test_it_logs_a_failed_delivery_on_http_500(dingtalk):
    dingtalk.answer(500, {"errcode": -1})
    [delivery] = send_robot_message(title="标题", text="内容", dedupe_key="k4")
    assert (delivery.status, delivery.http_status) == ("failed", 500)
    assert "500" in delivery.error


def test_it_logs_a_failed_delivery_when_nothing_listens(settings, closed_port_url):
    settings.DINGTALK_WEBHOOK = f"{closed_port_url}/robot/send?access_token=secret-token"
    settings.DINGTALK_SECRET = SECRET
    settings.WECOM_WEBHOOK = f"{closed_port_url}/cgi-bin/webhook/send?key=secret-key"
    deliveries = send_robot_message(title="标题", text="内容", dedupe_key="k5")
    assert [(d.status, d.http_status) for d in deliveries] == [("failed", None), ("failed", None)]
    for delivery in deliveries:
        assert delivery.error and "secret-token" not in delivery.error and "secret-key" not in delivery.error


def test_it_does_not_send_the_same_message_twice_but_retries_a_failure(dingtalk):
    dingtalk.answer(500, {})
    send_robot_message(title="标题", text="内容", dedupe_key="once")
    dingtalk.answer(200, {"errcode": 0, "errmsg": "ok"})
    [retry] = send_robot_message(title="标题", text="内容", dedupe_key="once")
    assert retry.status == "ok"
    assert send_robot_message(title="标题", text="内容", dedupe_key="once") == []
    assert len(dingtalk.requests) == 2
    assert list(RobotDelivery.objects.order_by("id").values_list("status", flat=True)) == [
        DeliveryStatus.FAILED,
        DeliveryStatus.OK,
    ]
    # Without a key every call is sent.
    send_robot_message(title="标题", text="内容")
    send_robot_message(title="标题", text="内容")
    assert len(dingtalk.requests) == 4


def test_it_sends_nothing_when_no_robot_is_configured(robots_off):
    assert send_robot_message(title="标题", text="内容", dedupe_key="k6") == []
    assert not RobotDelivery.objects.exists()
