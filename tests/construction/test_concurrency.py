"""Two people adding steps to one project at the same moment: the second waits for the first and then finds the
steps there, instead of failing on the unique constraint (a 500 before the project row was locked)."""

import threading
import time

import pytest
from django.db import connection, transaction

from zhaoshang.construction import services
from zhaoshang.construction.models import ApprovalStep

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_generations_add_the_standard_steps_once(county):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite takes its write lock at BEGIN IMMEDIATE: its writers never interleave. CI runs this on PostgreSQL"
        )
    first_inside, release = threading.Event(), threading.Event()
    created, errors = {}, []

    def generate(name, hold):
        try:
            if name == "second":
                first_inside.wait(5)
            with transaction.atomic():
                created[name] = services.approval_steps_init(actor=county.bureau, project=county.project)
                if hold:
                    first_inside.set()
                    release.wait(5)
        except Exception as exc:  # noqa: BLE001  (the assertion below names it)
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=generate, args=("first", True)),
        threading.Thread(target=generate, args=("second", False)),
    ]
    for thread in threads:
        thread.start()
    first_inside.wait(5)
    time.sleep(0.5)  # the second is now inside its transaction, waiting on the first
    assert "second" not in created
    release.set()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert len(created["first"]) == 7 and created["second"] == []
    assert ApprovalStep.objects.filter(project=county.project).count() == 7
