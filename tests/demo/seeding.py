"""The demo county seeded in a test: on a fixed day, and twice to compare."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.db import transaction

TODAY = date(2026, 11, 28)


def seed(**options) -> str:
    """seed_demo as of TODAY; what it printed."""
    out = StringIO()
    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=out, **options)
    return out.getvalue()


def assert_the_same_for_the_same_seed(fingerprint, model):
    """Seeds, rolls it back (no row of model left), seeds again: fingerprint() reads the same both times."""
    savepoint = transaction.savepoint()
    seed()
    first = fingerprint()
    transaction.savepoint_rollback(savepoint)
    assert not model.objects.exists()
    seed()
    assert fingerprint() == first
