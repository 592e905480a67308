from django.apps import AppConfig


class ConstructionConfig(AppConfig):
    name = "zhaoshang.construction"
    verbose_name = "项目建设"

    def ready(self):
        from zhaoshang.construction import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The cached meeting material (org/versions.py) lists the overdue approval steps of its subtree, placed by
        # their project's 责任单位; the services save and delete the steps one at a time.
        versions.watch(models.ApprovalStep, versions.via_project("department"))
