from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.utils import ConnectionDoesNotExist

from zhaoshang.core.backup import VENDOR_NAMES, BackupError, backup_create, backup_prune, default_output_dir


class Command(BaseCommand):
    help = "备份：数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）与 var 目录的文件，连同校验清单，打成一个 .tar.gz"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="备份文件存放目录（默认 var 目录下的 backups/）")
        parser.add_argument("--keep", type=int, default=None, help="只保留该目录中最新的 N 份备份，更早的删除")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, output, keep, database, **options):
        try:
            connections[database]
        except ConnectionDoesNotExist:
            raise CommandError(f"没有名为 {database} 的数据库配置") from None
        if keep is not None and keep < 1:
            raise CommandError("--keep 至少为 1")
        output_dir = Path(output) if output else default_output_dir()
        try:
            path, manifest = backup_create(output_dir=output_dir, using=database)
            removed = backup_prune(output_dir=output_dir, keep=keep) if keep else []
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = manifest["row_counts"]
        files = sum(1 for name in manifest["files"] if name.startswith("files/"))
        vendor = VENDOR_NAMES[manifest["database"]["vendor"]]
        self.stdout.write(
            f"备份完成：{path}（{path.stat().st_size / 1024 / 1024:.1f} MB）\n"
            f"{vendor} 数据库 {len(counts)} 张表共 {sum(counts.values())} 行，审计日志 {manifest['audit']['rows']} 条；"
            f"var 目录文件 {files} 个"
        )
        for old in removed:
            self.stdout.write(f"已删除旧备份（保留最新 {keep} 份）：{old.name}")
