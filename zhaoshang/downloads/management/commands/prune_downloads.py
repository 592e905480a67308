"""Delete background exports older than ZHAOSHANG_DOWNLOAD_RETENTION_DAYS (their files and records), and the
superseded rows of the cached pages' data version (org/versions.py: only each branch's newest is read). The
worker also deletes old exports after each export; run this daily (cron)."""

from django.core.management.base import BaseCommand

from zhaoshang.downloads.services import downloads_prune
from zhaoshang.org.versions import prune as versions_prune


class Command(BaseCommand):
    help = "删除超过保留期的后台导出文件，清理旧的数据版本记录"

    def handle(self, *args, **options):
        self.stdout.write(f"已删除 {downloads_prune()} 个过期导出文件")
        self.stdout.write(f"已清理 {versions_prune()} 条旧的数据版本记录")
