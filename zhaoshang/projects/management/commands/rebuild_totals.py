from django.core.management.base import BaseCommand
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.projects import totals


class Command(BaseCommand):
    help = "从项目和月度数据重新计算各单位、各小分队的月度汇总（批量导入后或核对时使用）"

    def handle(self, *args, **options):
        with transaction.atomic():
            units, teams = totals.rebuild_all()
            record(None, action="totals.rebuilt", source=Source.COMMAND, data={"unit_rows": units, "team_rows": teams})
        self.stdout.write(f"已重新计算：单位月度汇总 {units} 行，小分队月度汇总 {teams} 行")
