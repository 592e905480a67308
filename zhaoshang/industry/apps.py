from django.apps import AppConfig


class IndustryConfig(AppConfig):
    name = "zhaoshang.industry"
    verbose_name = "目标企业库"

    def ready(self):
        from zhaoshang.industry import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The 季度小结's weakest links: a link with a target enterprise is being worked (bulletins/chains.py).
        versions.watch(models.TargetEnterprise, versions.via("unit"))
