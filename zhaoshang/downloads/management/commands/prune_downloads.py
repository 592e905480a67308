"""Delete background exports older than ZHAOSHANG_DOWNLOAD_RETENTION_DAYS (their files and records). The worker
also does it after each export; run this daily (cron) where exports are rare."""

from django.core.management.base import BaseCommand

from zhaoshang.downloads.services import downloads_prune


class Command(BaseCommand):
    help = "删除超过保留期的后台导出文件"

    def handle(self, *args, **options):
        self.stdout.write(f"已删除 {downloads_prune()} 个过期导出文件")
