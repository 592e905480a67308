from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "zhaoshang.reporting"
    verbose_name = "月报与关账"

    def ready(self):
        from zhaoshang.org import versions  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.reporting import models  # noqa: PLC0415

        # The cached 点评 material (org/versions.py) names the units that have not confirmed the month yet.
        versions.watch(models.UnitMonthReport, versions.via("unit"))
