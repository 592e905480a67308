from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "zhaoshang.outreach"
    verbose_name = "宣传与培训"
