from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete


def _file_gone(sender, instance, **kwargs):
    """A file's bytes go once its row is surely gone, however the row went: services.remove, or with its trip or
    project (CASCADE sends no call to the service). Otherwise they stay in the storage, unreachable and never
    removed — a contract's scan is personal data."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class EvidenceConfig(AppConfig):
    name = "zhaoshang.evidence"
    verbose_name = "佐证材料"

    def ready(self):
        post_delete.connect(_file_gone, sender="evidence.Attachment", dispatch_uid="evidence_file_gone")
