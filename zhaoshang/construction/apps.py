from django.apps import AppConfig


class ConstructionConfig(AppConfig):
    name = "zhaoshang.construction"
    verbose_name = "项目建设"
