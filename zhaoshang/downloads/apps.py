from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "zhaoshang.downloads"
    verbose_name = "后台导出"
