"""Writing many monthly figures (到位资金 or 完成投资) at once, for an import and for its undo: the rows are staged
in a temporary table, then updated, inserted, deleted and audited by one statement each, and the totals refreshed
once. At 100,000 rows any per-row Python on the write side (model instances, parameter binding, a JSON document
per audit entry) cost several times what the database itself needs, so the engine computes the values from the
staged table. The audit entries are the ones audit.record() writes for the same change made on a page."""

from datetime import date
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.guard import ensure_project_months_open
from zhaoshang.core import bulk
from zhaoshang.core.client import current_address
from zhaoshang.projects import totals
from zhaoshang.projects.models import Project
from zhaoshang.quality import hooks as quality_hooks


class Change(NamedTuple):  # a tuple, not a dataclass: an import makes 100,000 of them
    """One figure to write: `cents` None removes the row; `row_id` is the stored row (None: there is none);
    `before` the stored amount as the audit log writes it ('5.00'), None when there is no row."""

    project_id: int
    unit_id: int
    month: date
    cents: int | None
    row_id: int | None
    before: str | None


_STAGE = "_zhaoshang_monthly_rows"
_STAGE_COLUMNS = [
    ("project_id", "bigint"),
    ("month", "date"),
    ("cents", "bigint"),
    ("row_id", "bigint"),
    ("before_text", "varchar(40)"),
]


def write_changes(model, action: str, changes: list[Change], *, actor, source: str, import_id=None) -> None:
    """Apply `changes` to `model`'s table with one audit entry each (action, e.g. "funds.set"); import_id goes
    into each entry's data as "import", as audit.service.import_context does for the row-by-row imports.
    Call inside a transaction; refuses (MonthClosed) when a month is closed."""
    ensure_project_months_open(
        [(c.project_id, c.month) for c in changes],
        Project.objects.filter(pk__in={c.project_id for c in changes}).unit_paths(),
    )
    if not changes:
        return
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = model._meta.db_table
    rows = [(c.project_id, ops.adapt_datefield_value(c.month), c.cents, c.row_id, c.before) for c in changes]
    amount = _sql_amount("s.cents")
    with bulk.staged(_STAGE, _STAGE_COLUMNS, rows) as stage, connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET amount = {amount}, updated_at = %s FROM {stage} s"
            f" WHERE {table}.id = s.row_id AND s.cents IS NOT NULL",
            [now],
        )
        cursor.execute(
            f"INSERT INTO {table} (project_id, month, amount, updated_at)"
            f" SELECT s.project_id, s.month, {amount}, %s FROM {stage} s"
            " WHERE s.row_id IS NULL AND s.cents IS NOT NULL",
            [now],
        )
        cursor.execute(f"DELETE FROM {table} WHERE id IN (SELECT row_id FROM {stage} WHERE cents IS NULL)")
        _audit(cursor, stage, action=action, actor=actor, source=source, import_id=import_id, now=now)
    totals.refresh(totals.Keys(units={(c.unit_id, c.month) for c in changes}))
    # The rows went in by SQL, which sends no signals: the anomaly rules judge these projects after the commit.
    for project_id in {c.project_id for c in changes}:
        quality_hooks.touched(project_id)


def _audit(cursor, stage, *, action, actor, source, import_id, now) -> None:
    """One entry per staged row: the project as target, its unit, and {"month", "amount": [before, after]}
    (plus "import") as data, as audit.record() writes them."""
    postgres = connection.vendor == "postgresql"
    month = "to_char(s.month, 'YYYY-MM')" if postgres else "substr(s.month, 1, 7)"
    json = "jsonb_build" if postgres else "json"
    after = f"CASE WHEN s.cents IS NULL THEN NULL ELSE {_sql_amount_text('s.cents')} END"
    data = f"{json}_object('month', {month}, 'amount', {json}_array(s.before_text, {after})"
    data += ", 'import', %s)" if import_id is not None else ")"
    columns = "created_at, actor_id, actor_name, unit_id, action, target_type, target_id, target_repr, data, source"
    columns += ", ip"  # the page's address, as record() fills it in
    params = [now, getattr(actor, "pk", None), getattr(actor, "username", "") or "系统", action]
    params += [import_id] if import_id is not None else []
    cursor.execute(
        f"INSERT INTO {AuditEntry._meta.db_table} ({columns})"
        f" SELECT %s, %s, %s, p.responsible_unit_id, %s, 'projects.project', CAST(p.id AS varchar(40)),"
        f" substr(p.code || ' ' || p.name, 1, 255), {data}, %s, {'CAST(%s AS inet)' if postgres else '%s'}"
        f" FROM {stage} s JOIN {Project._meta.db_table} p ON p.id = s.project_id",
        [*params, source, current_address()],
    )


def _sql_amount(cents: str) -> str:
    """The amount column's value from whole cents: exact numeric on PostgreSQL; on SQLite the decimal column
    holds the nearest double either way, as it does for amounts written through the ORM."""
    # Cents are cast to unbounded numeric: the largest amount's cents have 16 integer digits, more than the
    # column's numeric(16, 2) holds; the quotient fits it.
    return f"CAST({cents} AS numeric) / 100" if connection.vendor == "postgresql" else f"{cents} / 100.0"


def _sql_amount_text(cents: str) -> str:
    """An amount as the audit log writes it, from whole cents: '1000.25', '5.00'."""
    if connection.vendor == "postgresql":
        return f"CAST(CAST({cents} AS numeric) / 100 AS numeric(16, 2))::text"
    return f"printf('%%d.%%02d', {cents} / 100, {cents} %% 100)"
