from pathlib import Path

from django.core.management.base import CommandError

from zhaoshang.core.commands import WritingCommand
from zhaoshang.reporting.locks import MonthClosed
from zhaoshang.sheets.reader import SheetRefused
from zhaoshang.sheets.service import KINDS, KindNotSupported, run_import


class Command(WritingCommand):
    help = "导入 xlsx：全部行通过校验才写入，否则列出每处错误（第N行 列名: 原因），一行也不写"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="表格类型")
        parser.add_argument("file", help=".xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告新增、更新、未变行数，不写入")
        super().add_arguments(parser)

    def handle(self, *args, kind, file, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            result = run_import(kind, path.read_bytes(), file_name=path.name, actor=self.actor(user), dry_run=dry_run)
        except (SheetRefused, KindNotSupported, MonthClosed) as exc:
            raise CommandError(str(exc)) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"共 {len(result.errors)} 处错误，未写入任何数据")
        self.stdout.write(result.summary())
