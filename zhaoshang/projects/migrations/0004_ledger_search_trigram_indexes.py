"""The ledger's text search (projects/forms.ProjectFilterForm: 项目编号, 项目名称 or 投资方 contains the text) served
by trigram indexes on PostgreSQL: `icontains` compares UPPER(column::text) LIKE UPPER('%…%'), so each index is on
that expression with pg_trgm's operator class. pg_trgm is a trusted extension (PostgreSQL 13+): the owner of the
database may create it. On SQLite this does nothing and the search stays a plain scan."""

from django.db import migrations

INDEXES = {
    "project_code_trgm": "UPPER((code)::text)",
    "project_name_trgm": "UPPER((name)::text)",
    "project_investor_trgm": "UPPER((investor)::text)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON projects_project USING gin ({expression} gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_month_totals_from_progress")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
