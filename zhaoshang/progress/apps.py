from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "zhaoshang.progress"
    verbose_name = "目标与进度"

    def ready(self):
        from zhaoshang.org import versions  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.progress import models  # noqa: PLC0415

        # The cached pages' version (org/versions.py). A campaign (its window, its owner) and an economic figure
        # (every region is ranked against the others, by name) move every page's version: they change rarely.
        versions.watch(models.Target, versions.via("unit"))
        versions.watch(models.CampaignTarget, versions.via("unit"))
        versions.watch(models.Campaign, None)
        versions.watch(models.EconomicFigure, None)
