from django.apps import AppConfig


class FrontlineConfig(AppConfig):
    name = "zhaoshang.frontline"
    verbose_name = "招商一线"
