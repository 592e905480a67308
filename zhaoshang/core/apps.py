from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    verbose_name = "公共"

    def ready(self):
        from zhaoshang.core import checks  # noqa: F401, PLC0415  registers the demo-key warning once apps are ready
