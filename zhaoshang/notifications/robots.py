"""The DingTalk (钉钉) and WeCom (企业微信) group robots: one summary message posted to each configured group.

What the services document, and what this module does with it:

- DingTalk custom robot, security setting 加签 ("sign request"):
  https://open.dingtalk.com/document/robots/customize-robot-security-settings
  (English: https://help.dingtalk.io/open/dingstart/customize-robot-security-settings). The string to sign is
  timestamp + "\\n" + secret, with the timestamp in milliseconds (within an hour of the call); HmacSHA256 keyed
  with the secret (the SEC… string), Base64, then URL-encoded, UTF-8 throughout; timestamp and sign are appended
  to the webhook URL as query parameters. Message types and bodies:
  https://open.dingtalk.com/document/robots/custom-robot-access, here
  {"msgtype": "markdown", "markdown": {"title": …, "text": …}}; the reply is JSON with errcode 0 on success.
  A robot may also be secured by keywords or an IP list instead; then no secret is configured and the URL is
  posted unsigned.
- WeCom group robot (群机器人): https://developer.work.weixin.qq.com/document/path/91770
  (also https://work.weixin.qq.com/api/doc/90000/90136/91770). The webhook URL carries key=…, and the page
  documents no signature at all: the key in the URL is the robot's only secret ("一定要保护好机器人的webhook
  地址"), so nothing is signed here and the URL must be kept as secret as DingTalk's. Body
  {"msgtype": "markdown", "markdown": {"content": …}}, content at most 4096 bytes of UTF-8; reply errcode 0.
  Both services allow about 20 messages a minute per robot, which is why reminders send one summary, not one
  message per unit.

Sending never raises on a network or service error: every attempt is kept as a RobotDelivery (ok or failed with
the reason), and an ok one is not repeated for the same dedupe key. The webhook URLs hold the credentials, so
they are never written to the log or to a delivery's error text.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from zhaoshang.notifications.models import Channel, DeliveryStatus, RobotDelivery

log = logging.getLogger(__name__)

# WeCom documents 4096 bytes for markdown content; DingTalk's messages are kept to the same size so both groups
# read the same summary.
MAX_CONTENT_BYTES = 4096
_MAX_REPLY_BYTES = 64 * 1024


def dingtalk_sign(*, secret: str, timestamp_ms: int) -> str:
    """The 加签 value, Base64 of HmacSHA256(key=secret, message=f"{timestamp}\\n{secret}"), before URL-encoding."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def dingtalk_signed_url(*, webhook: str, secret: str, timestamp_ms: int) -> str:
    query = urllib.parse.urlencode(
        {"timestamp": timestamp_ms, "sign": dingtalk_sign(secret=secret, timestamp_ms=timestamp_ms)}
    )
    return f"{webhook}{'&' if '?' in webhook else '?'}{query}"


# Markdown's control characters, turned into their full-width forms: text users typed (a project's name, a
# decision) is shown as written but can never become a link, an image or a heading in the county's group.
_PLAIN = str.maketrans(
    {
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "*": "＊",
        "_": "＿",
        "#": "＃",
        ">": "＞",
        "<": "＜",
        "`": "｀",
        "!": "！",
        "|": "｜",
        "~": "～",
        "\\": "＼",
        "\n": " ",
        "\r": " ",
    }
)


def plain(text: str) -> str:
    """User-supplied text made safe to put in a robot's markdown."""
    return text.translate(_PLAIN)


def _fit(text: str, limit: int) -> str:
    """Cut at a line boundary so the UTF-8 text stays within limit bytes, saying that the rest was left off."""
    if len(text.encode()) <= limit:
        return text
    tail = "\n\n……（内容过长，其余请登录系统查看）"
    budget = limit - len(tail.encode())
    kept, size = [], 0
    for line in text.split("\n"):
        size += len(line.encode()) + 1  # the line and its newline
        if size > budget:
            break
        kept.append(line)
    return "\n".join(kept) + tail


def payload(*, channel: str, title: str, text: str) -> dict:
    """The JSON body each service documents for a markdown message."""
    if channel == Channel.DINGTALK:
        # DingTalk shows `title` only in the conversation list, so it is repeated as the message's heading.
        return {
            "msgtype": "markdown",
            "markdown": {"title": title, "text": _fit(f"#### {title}\n\n{text}", MAX_CONTENT_BYTES)},
        }
    return {"msgtype": "markdown", "markdown": {"content": _fit(f"**{title}**\n\n{text}", MAX_CONTENT_BYTES)}}


def configured_channels() -> list[tuple[str, str]]:
    """(channel, webhook URL) for each robot switched on by its setting; none configured = robots off."""
    channels = []
    if settings.DINGTALK_WEBHOOK:
        channels.append((Channel.DINGTALK, settings.DINGTALK_WEBHOOK))
    if settings.WECOM_WEBHOOK:
        channels.append((Channel.WECOM, settings.WECOM_WEBHOOK))
    return channels


def _post(url: str, body: dict) -> tuple[int | None, str]:
    """POST the JSON; (HTTP status, "" on success or the reason it failed). Never raises."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.ROBOT_TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read(_MAX_REPLY_BYTES)
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"HTTP {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:  # refused, unknown host, TLS failure; the URL itself is not repeated
        return None, f"无法连接：{exc.reason}"
    except (TimeoutError, OSError) as exc:
        return None, f"连接失败或超时：{exc}"
    try:
        reply = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return status, "回复不是JSON"
    if not isinstance(reply, dict) or reply.get("errcode") != 0:
        errcode = reply.get("errcode") if isinstance(reply, dict) else None
        errmsg = reply.get("errmsg", "") if isinstance(reply, dict) else ""
        return status, f"errcode={errcode} {errmsg}".strip()
    return status, ""


def already_sent(channel: str, dedupe_key: str) -> bool:
    return (
        bool(dedupe_key)
        and RobotDelivery.objects.filter(channel=channel, dedupe_key=dedupe_key, status=DeliveryStatus.OK).exists()
    )


def send_robot_message(*, title: str, text: str, dedupe_key: str = "") -> list[RobotDelivery]:
    """Post a markdown message to every configured group robot, except a channel that already delivered this
    dedupe key. Returns the deliveries made now (ok or failed); an empty list when robots are off or all sent.

    Deliberately not in one transaction: each POST may wait for the network, and on SQLite a transaction holds
    the write lock for that long; each RobotDelivery is saved on its own right after its attempt."""
    deliveries = []
    for channel, webhook in configured_channels():
        if already_sent(channel, dedupe_key):
            continue
        url = webhook
        if channel == Channel.DINGTALK and settings.DINGTALK_SECRET:
            url = dingtalk_signed_url(
                webhook=webhook, secret=settings.DINGTALK_SECRET, timestamp_ms=int(time.time() * 1000)
            )
        if not url.lower().startswith(("https://", "http://")):
            http_status, error = None, "群机器人地址必须以 https:// 或 http:// 开头"
        else:
            http_status, error = _post(url, payload(channel=channel, title=title, text=text))
        if error:
            log.warning("group robot %s failed for %r: %s", channel, dedupe_key, error)
        deliveries.append(
            RobotDelivery.objects.create(
                channel=channel,
                dedupe_key=dedupe_key,
                title=title[:200],
                status=DeliveryStatus.FAILED if error else DeliveryStatus.OK,
                http_status=http_status,
                error=error,
            )
        )
    return deliveries
