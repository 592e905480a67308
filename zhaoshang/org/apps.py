from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhaoshang.org"
    verbose_name = "组织与账号"

    def ready(self):
        # the login / lockout audit and the cached pages' version, once the models are loaded
        from zhaoshang.org import signals, versions  # noqa: F401, PLC0415
        from zhaoshang.org.models import AssessmentGroup, Unit  # noqa: PLC0415

        # A unit's name, group, months or place, and a group's quotas, show on every page that lists it; they
        # change rarely, so every page's version moves (a unit moved between counties is then right in both).
        versions.watch(Unit, None)
        versions.watch(AssessmentGroup, None)
