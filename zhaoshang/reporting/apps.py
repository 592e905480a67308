from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "zhaoshang.reporting"
    verbose_name = "月报与关账"
