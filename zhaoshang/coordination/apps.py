from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "zhaoshang.coordination"
    verbose_name = "协调推进"
