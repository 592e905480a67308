"""Two writers at the same moment, on PostgreSQL: the first holds its transaction open until the second has
started, so a missing lock shows as a constraint error or a lost update instead of passing by luck."""

import threading
import time

import pytest
from django.db import connection, transaction


def race(first, second):
    """Runs `first` in a transaction held open until `second` has started its own; returns (results, errors)."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite takes its write lock at BEGIN IMMEDIATE: its writers never interleave. CI runs this on PostgreSQL"
        )
    first_inside, release = threading.Event(), threading.Event()
    results, errors = {}, []

    def work(name, fn, hold):
        try:
            if not hold:
                first_inside.wait(5)
            with transaction.atomic():
                results[name] = fn()
                if hold:
                    first_inside.set()
                    release.wait(5)
        except Exception as exc:  # noqa: BLE001  (the assertions name it)
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=("first", first, True)),
        threading.Thread(target=work, args=("second", second, False)),
    ]
    for thread in threads:
        thread.start()
    first_inside.wait(5)
    time.sleep(0.5)  # the second is now inside its transaction, waiting on the first
    assert "second" not in results, "the second writer did not wait for the first"
    release.set()
    for thread in threads:
        thread.join(10)
    return results, errors
