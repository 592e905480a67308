from django.apps import AppConfig


class IndustryConfig(AppConfig):
    name = "zhaoshang.industry"
    verbose_name = "目标企业库"

    def ready(self):
        from zhaoshang.industry import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The dashboard's chain coverage (progress/chain_card.py) and the 季度小结's weakest links count target
        # enterprises per link: a save or delete moves the version of the owner unit's branch (its county's is the
        # same branch).
        versions.watch(models.TargetEnterprise, versions.via("unit", "county"))
