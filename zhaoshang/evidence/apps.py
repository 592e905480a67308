from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "zhaoshang.evidence"
    verbose_name = "佐证材料"
