from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhaoshang.demo"
    verbose_name = "演示数据"
