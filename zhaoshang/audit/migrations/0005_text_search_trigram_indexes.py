"""The audit page's text search (org/audit_log.text_q: who, what, which change) served by trigram indexes on
PostgreSQL: `icontains` compares UPPER(column::text) LIKE UPPER('%…%'), so each index is on that expression with
pg_trgm's operator class, and a search reads the entries that mention the text instead of every entry. pg_trgm
is a trusted extension (PostgreSQL 13+): the owner of the database may create it. On SQLite this does nothing and
the search stays a plain scan."""

from django.db import migrations

INDEXES = {
    "audit_entry_actor_trgm": "UPPER((actor_name)::text)",
    "audit_entry_target_trgm": "UPPER((target_repr)::text)",
    "audit_entry_data_trgm": "UPPER((data)::text)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON audit_auditentry USING gin ({expression} gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_time_id_index")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
