"""Each user's in-app notifications (通知), and the log of what was sent to the DingTalk / WeCom group robots."""

from django.conf import settings
from django.db import models
from django.db.models import Q

# What each kind of notification is called on the page; a new reminder source adds its code here.
KIND_LABELS = {
    "report.missing": "月报未上报",
    "report.urged": "催报",
    "problem.overdue": "问题逾期",
    "approval.overdue": "前期手续逾期",
    "task.due": "议定事项到期",
    "download.ready": "导出完成",
    "download.failed": "导出失败",
    "lead.overdue": "线索办理逾期",
    "lead.overdue.digest": "线索逾期汇总",
    "lead.transferred": "线索调整",
}


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=40)  # a short code such as "report.missing"
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)  # a path inside the product, never another site
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # What the notification is about ("report.missing:12:2026-05"): a reminder run every day finds the user
    # already holds it and does not notify again. Blank = no deduplication (a one-off message).
    dedupe_key = models.CharField("去重键", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "通知"
        verbose_name_plural = "通知"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_user_dedupe_unique"
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
            # The nav badge counts a user's unread rows on every page: a partial index keeps that count small
            # however many read notifications pile up.
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_user_unread"),
        ]

    def __str__(self):
        return f"{self.user} {self.title}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "通知")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    DINGTALK = "dingtalk", "钉钉"
    WECOM = "wecom", "企业微信"


class DeliveryStatus(models.TextChoices):
    OK = "ok", "成功"
    FAILED = "failed", "失败"


class RobotDelivery(models.Model):
    """One attempt to post a message to a group robot. An ok row for (channel, dedupe_key) means that message
    has reached the group and is not sent again; failed rows stay so that failures can be seen and retried."""

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    dedupe_key = models.CharField("去重键", max_length=200, blank=True)
    title = models.CharField("标题", max_length=200, blank=True)
    status = models.CharField("结果", max_length=10, choices=DeliveryStatus.choices)
    http_status = models.PositiveSmallIntegerField("HTTP状态码", null=True, blank=True)
    error = models.TextField("错误原因", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "群机器人发送记录"
        verbose_name_plural = "群机器人发送记录"
        indexes = [models.Index(fields=["channel", "dedupe_key", "status"], name="robot_delivery_lookup")]

    def __str__(self):
        return f"{self.get_channel_display()} {self.title} {self.get_status_display()}"
