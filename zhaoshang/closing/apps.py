from django.apps import AppConfig


class ClosingConfig(AppConfig):
    name = "zhaoshang.closing"
    verbose_name = "关账"
