from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from zhaoshang.audit.models import Source
from zhaoshang.closing.management.scope import scope_unit
from zhaoshang.closing.services import month_close
from zhaoshang.core.commands import WritingCommand
from zhaoshang.core.periods import add_months, current_month, month_label, parse_month


class Command(WritingCommand):
    help = "关账：YYYY-MM 或 previous（上个月，便于每月6日由定时任务执行）"

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM，或 previous 表示上个月")
        parser.add_argument("--unit", default=None, help="关账范围（单位名称）；默认 --user 所在单位，否则最上级单位")
        super().add_arguments(parser)

    def handle(self, *args, month, user, unit, **options):
        try:
            wanted = add_months(current_month(), -1) if month == "previous" else parse_month(month)
            month_close(actor=self.actor(user), unit=scope_unit(unit), month=wanted, source=Source.COMMAND)
        except (ValueError, ValidationError) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from None
        self.stdout.write(f"{month_label(wanted)}已关账")
