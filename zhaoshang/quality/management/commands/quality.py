"""manage.py quality run [--root NAME]: every anomaly rule over every project (the nightly run, for cron)."""

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.audit.models import Source
from zhaoshang.org.models import Unit
from zhaoshang.quality import services


class Command(BaseCommand):
    help = "数据质量检查：run 对全部项目运行全部规则（建议每晚定时运行）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="运行全部数据质量规则")
        run.add_argument("--root", help="只检查此根单位（默认全部）")

    def handle(self, *args, action, root=None, **options):
        unit = None
        if root:
            unit = Unit.objects.filter(name=root, parent=None).first()
            if unit is None:
                raise CommandError(f"没有名为“{root}”的根单位")
        result = services.run(root=unit, source=Source.COMMAND)
        self.stdout.write(f"新发现{result.raised}项，重新提示{result.reopened}项，已更正{result.corrected}项")
