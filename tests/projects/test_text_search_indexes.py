"""The ledger's and the audit log's text searches are served by trigram indexes on PostgreSQL (issue 15): the
migrations create them on the very expression `icontains` compares, so the planner can use them. SQLite keeps
the plain scan (nothing to check there)."""

import pytest
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from zhaoshang.audit.models import AuditEntry
from zhaoshang.org.audit_log import text_q
from zhaoshang.projects.models import Project

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's"),
]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        # A handful of rows: ask whether it could use the index, not whether it would (no whole-table scan, of
        # the table or of an index in the list's order).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.order_by().query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_ledger_search_can_use_its_trigram_indexes():
    for field, index in (
        ("code", "project_code_trgm"),
        ("name", "project_name_trgm"),
        ("investor", "project_investor_trgm"),
    ):
        assert index in plan(Project.objects.filter(**{f"{field}__icontains": "光伏组件"})), field


def test_the_audit_search_can_use_its_trigram_indexes():
    entries = AuditEntry.objects.alias(data_text=Cast("data", TextField())).filter(text_q("default", "光伏组件"))
    found = plan(entries)
    for index in ("audit_entry_actor_trgm", "audit_entry_target_trgm", "audit_entry_data_trgm"):
        assert index in found
