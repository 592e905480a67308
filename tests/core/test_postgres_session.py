"""The PostgreSQL session settings the product relies on for its speed (settings.py)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL session setting")


def test_jit_is_off_for_our_connections(db):
    # JIT compiling cost 100–300 ms on the city's behind-plan query (EXPLAIN ANALYZE: "JIT … Emission").
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
