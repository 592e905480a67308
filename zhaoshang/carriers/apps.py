from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "zhaoshang.carriers"
    verbose_name = "载体"

    def ready(self):
        from zhaoshang.carriers import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The draft bulletin's carrier and chain tables (bulletins/chains.py): a carrier counts for its park or
        # town, an occupancy also for its project's unit (a chain's 入驻厂房面积).
        versions.watch(models.Carrier, versions.via("unit"))
        versions.watch(models.Occupancy, lambda o: (o.carrier.unit_id, o.project.responsible_unit_id))
