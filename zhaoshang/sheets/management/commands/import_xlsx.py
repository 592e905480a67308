import os
from pathlib import Path

from django.core.management.base import CommandError

from zhaoshang.core.commands import WritingCommand
from zhaoshang.core.errors import Refused
from zhaoshang.sheets.account_import import result_file as accounts_result
from zhaoshang.sheets.error_file import error_file as annotated_file
from zhaoshang.sheets.reader import SheetRefused, read_sheet
from zhaoshang.sheets.services import KINDS, run_import


class Command(WritingCommand):
    help = "导入 xlsx：全部行通过校验才写入，否则列出每处错误（第N行 列名: 原因），一行也不写"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="表格类型")
        parser.add_argument("file", help=".xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告新增、更新、未变行数，不写入")
        parser.add_argument("--error-file", help="有错误时，把标注了错误的表格写到这个文件")
        parser.add_argument(
            "--result-file", help="账号表：把新建的账号及系统生成的初始密码写到这个文件（仅此一次，权限 600）"
        )
        super().add_arguments(parser)

    def handle(self, *args, kind, file, dry_run, error_file: str | None, result_file: str | None, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        if kind == "accounts" and not dry_run and not result_file:
            raise CommandError("导入账号须指定 --result-file：系统生成的初始密码只在这个文件中给出一次")
        if result_file and not Path(result_file).resolve().parent.is_dir():
            raise CommandError(f"--result-file 所在的目录不存在：{result_file}")
        data = path.read_bytes()
        try:
            result = run_import(kind, data, file_name=path.name, actor=self.actor(user), dry_run=dry_run)
        except (SheetRefused, Refused) as exc:  # Refused: not allowed, or a month closed
            raise CommandError(str(exc)) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if error_file:
                Path(error_file).write_bytes(annotated_file(read_sheet(data), result.errors))
                self.stderr.write(f"已写出标注错误的表格：{error_file}")
            raise CommandError(f"共 {len(result.errors)} 处错误，未写入任何数据")
        if result_file and result.issued:
            _write_private(Path(result_file), accounts_result(result.issued))
            self.stdout.write(f"已写出账号导入结果（含初始密码，请妥善保管）：{result_file}")
        for warning in result.warnings:  # only a dry run computes them (the preview's)
            self.stdout.write(f"提示 {warning}")
        self.stdout.write(result.summary())


def _write_private(path: Path, content: bytes) -> None:
    """Readable by its owner only, from the moment it exists (it holds passwords)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
