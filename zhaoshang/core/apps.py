from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    verbose_name = "公共"

    def ready(self):
        from zhaoshang.core import checks  # noqa: F401  registers the demo-key warning
