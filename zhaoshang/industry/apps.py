from django.apps import AppConfig


class IndustryConfig(AppConfig):
    name = "zhaoshang.industry"
    verbose_name = "目标企业库"
