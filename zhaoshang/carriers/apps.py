from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "zhaoshang.carriers"
    verbose_name = "载体"
