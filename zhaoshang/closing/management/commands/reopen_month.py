from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from zhaoshang.audit.models import Source
from zhaoshang.closing.management.scope import scope_unit
from zhaoshang.closing.services import month_reopen
from zhaoshang.core.commands import WritingCommand
from zhaoshang.core.periods import month_label, parse_month


class Command(WritingCommand):
    help = "重新开放已关账的月份（须说明原因，记入审计日志）"

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--reason", required=True, help="重新开放的原因")
        parser.add_argument("--unit", default=None, help="关账范围（单位名称）；默认 --user 所在单位，否则最上级单位")
        super().add_arguments(parser)

    def handle(self, *args, month, reason, user, unit, **options):
        try:
            wanted = parse_month(month)
            month_reopen(
                actor=self.actor(user), unit=scope_unit(unit), month=wanted, reason=reason, source=Source.COMMAND
            )
        except (ValueError, ValidationError) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from None
        self.stdout.write(f"{month_label(wanted)}已重新开放")
