from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhaoshang.org"
    verbose_name = "组织与账号"

    def ready(self):
        from zhaoshang.org import signals  # noqa: F401  (login / lockout audit)
