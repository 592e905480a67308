from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "zhaoshang.honours"
    verbose_name = "表彰"
