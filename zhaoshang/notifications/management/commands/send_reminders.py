from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.periods import today as local_today
from zhaoshang.notifications import reminders
from zhaoshang.notifications.models import KIND_LABELS, Channel, DeliveryStatus


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD，收到“{text}”") from None


class Command(BaseCommand):
    help = "发送提醒：站内通知和钉钉/企业微信群机器人（每天运行一次；已提醒过的不重复提醒）"

    def add_arguments(self, parser):
        parser.add_argument("--today", default=None, help="以哪一天为“今天”（YYYY-MM-DD，默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不写入、不发送")

    def handle(self, *args, today, dry_run, **options):
        day = _date(today) if today else local_today()
        report = reminders.run(today=day, dry_run=dry_run)
        self.stdout.write(f"{day.isoformat()} 提醒{'（试运行：不写入、不发送）' if dry_run else ''}")
        if not report.notified:
            self.stdout.write("今天没有需要提醒的事项")
            return
        verb = "将通知" if dry_run else "已通知"
        people = 0
        for item in report.notified:
            names = "、".join(u.display_name for u in item.users)
            label = KIND_LABELS.get(item.reminder.kind, item.reminder.kind)
            if item.users:
                outcome = f"{verb} {len(item.users)} 人（{names}）"
            elif item.reminder.users:
                outcome = "已提醒过，不再重复"
            else:
                outcome = "没有可接收通知的账号"
            self.stdout.write(f"[{label}] {item.reminder.title} → {outcome}")
            people += len(item.users)
        self._robots(report)
        self.stdout.write(self.style.SUCCESS(f"共 {len(report.notified)} 项提醒，{verb} {people} 人次"))

    def _robots(self, report):
        names = dict(Channel.choices)
        for sent in report.sent:
            if report.dry_run:
                targets = "、".join(names[c] for c in sent.would_send)
                outcome = f"将发送到{targets}" if targets else "不发送（未配置群机器人，或已发送过）"
            elif not sent.deliveries:
                outcome = "未发送（未配置群机器人，或已发送过）"
            else:
                outcome = "；".join(
                    d.get_channel_display() + ("发送成功" if d.status == DeliveryStatus.OK else f"发送失败：{d.error}")
                    for d in sent.deliveries
                )
            self.stdout.write(f"群机器人：{sent.summary.title} → {outcome}")
