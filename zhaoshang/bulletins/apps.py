from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "zhaoshang.bulletins"
    verbose_name = "通报"
