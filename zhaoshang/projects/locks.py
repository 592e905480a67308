"""Serialising the writers of one project's dependent rows (its monthly figures, plans and approval steps).

Each of those writers reads what is stored, decides insert / update / nothing, and audits the value it replaced.
Two at once on PostgreSQL (READ COMMITTED) would both find a row missing and one would end on the unique
constraint, or both would audit the same "before". So each first locks its projects' rows, always in id order so
two writers of overlapping sets cannot deadlock, and reads only after that.

FOR NO KEY UPDATE, not FOR UPDATE: the foreign-key checks of other tables' inserts (a stage change, an audit
entry) take KEY SHARE on the project row and need not wait. SQLite needs nothing here: its transactions take the
write lock at BEGIN (settings), so writers never interleave."""

from collections.abc import Iterable

from django.db import connection

from zhaoshang.projects.models import Project


def lock_projects(ids: Iterable[int]) -> None:
    """Lock these projects' rows until the end of the current transaction (call inside one)."""
    if connection.vendor != "postgresql":
        return
    ids = sorted(set(ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        # One array parameter, not an IN list: an import can name more projects than a statement takes parameters.
        cursor.execute(
            f"SELECT id FROM {Project._meta.db_table} WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", [ids]
        )
