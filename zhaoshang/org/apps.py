from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhaoshang.org"
    verbose_name = "组织与账号"

    def ready(self):
        from zhaoshang.org import signals  # noqa: F401, PLC0415  (login / lockout audit, once apps are ready)
