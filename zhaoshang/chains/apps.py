from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    verbose_name = "产业链"

    def ready(self):
        from zhaoshang.chains import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The draft bulletin's chain table and the 季度小结 read chains, links and targets (bulletins/chains.py).
        owner = versions.via("owner")
        versions.watch(models.Chain, owner)
        versions.watch(models.ChainLink, lambda link: link.chain.owner_id)
        versions.watch(models.ChainTarget, lambda target: target.chain.owner_id)
