from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "zhaoshang.progress"
    verbose_name = "目标与进度"
