from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "zhaoshang.quality"
    verbose_name = "数据质量"
