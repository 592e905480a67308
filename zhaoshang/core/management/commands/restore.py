from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.utils import ConnectionDoesNotExist

from zhaoshang.core.backup import VENDOR_NAMES, BackupError, backup_restore, describe_rows, restore_inspect


class Command(BaseCommand):
    help = (
        "从 backup 生成的 .tar.gz 恢复数据库与 var 目录的文件：先核对全部校验和；目标数据库已有数据时须加 --force；"
        "恢复后核对各表行数与审计日志校验和"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（zhaoshang-backup-….tar.gz）")
        parser.add_argument("--force", action="store_true", help="目标数据库已有数据时，仍用备份整体替换")
        parser.add_argument(
            "--check", action="store_true", help="只核对备份文件（校验和、数据库类型、结构版本），不做改动"
        )
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, archive, force, check, database, **options):
        try:
            connections[database]
        except ConnectionDoesNotExist:
            raise CommandError(f"没有名为 {database} 的数据库配置") from None
        try:
            if check:
                manifest, current = restore_inspect(archive=Path(archive), using=database)
                self._summary("备份文件完好", manifest)
                self.stdout.write(f"当前数据库：{describe_rows(current)}")
                return
            result = backup_restore(
                archive=Path(archive),
                using=database,
                force=force,
                on_replace=lambda lines: self.stdout.write("将被替换：" + "；".join(lines)),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self._summary("恢复完成，行数与审计日志校验和均与备份一致", result.manifest)
        self.stdout.write(f"var 目录写回文件 {result.files_written} 个")
        if result.pending_migrations:
            self.stdout.write(
                f"备份早于本程序：还有 {len(result.pending_migrations)} 个迁移未执行，请运行 python manage.py migrate"
            )

    def _summary(self, headline, manifest):
        counts = manifest["row_counts"]
        self.stdout.write(
            f"{headline}：{VENDOR_NAMES[manifest['database']['vendor']]} 备份，创建于 {manifest['created_at']}，"
            f"{len(counts)} 张表共 {sum(counts.values())} 行，审计日志 {manifest['audit']['rows']} 条"
        )
