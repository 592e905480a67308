"""The run after every write. The ledger's writes live in apps below this one (projects, reporting,
construction), which cannot call it: apps.py connects these receivers to their models' saves and deletes. The
touched projects of one transaction are collected and judged once, after it commits (not once per row); a
transaction that rolls back runs nothing. The importer's bulk writes send no signals: sheets calls
services.run_for_projects itself."""

import logging
import threading

from django.db import DEFAULT_DB_ALIAS, connections, transaction

log = logging.getLogger(__name__)
_pending = threading.local()


def _outermost():
    """The transaction's outermost atomic block: the one whose commit runs the callback. A test case's own blocks
    (which never commit) are skipped, so a test sees one run per write's transaction as production does."""
    blocks = getattr(connections[DEFAULT_DB_ALIAS], "atomic_blocks", None) or []
    return next((block for block in blocks if not getattr(block, "_from_testcase", False)), None)


def touched(project_id) -> None:
    if not project_id:
        return
    block = _outermost()
    ids = getattr(_pending, "ids", None)
    if ids is None or block is None or getattr(_pending, "block", None) is not block:
        ids = _pending.ids = set()
        _pending.block = block
        transaction.on_commit(_flush, robust=True)
    ids.add(project_id)


def _flush():
    from zhaoshang.quality.services import run_for_projects  # noqa: PLC0415  (services import the ledger's models)

    ids = getattr(_pending, "ids", None) or set()
    _pending.ids, _pending.block = None, None
    if ids:
        run_for_projects(ids)


def project_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        touched(instance.pk)


def row_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        touched(instance.project_id)
