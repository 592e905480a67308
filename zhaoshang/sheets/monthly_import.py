"""Importing the monthly sheets, 到位资金 (funds) and 完成投资 (investment): every row checked in Python, then the
accepted rows staged in a temporary table and written, audited and totalled by a few set-based statements in one
transaction (100,000 rows in about a second), one audit entry per changed row."""

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.core import bulk
from zhaoshang.core.periods import current_month
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.progress import totals
from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment, Project
from zhaoshang.reporting.locks import closed_months_in, ensure_months_open
from zhaoshang.sheets import cells
from zhaoshang.sheets.base import CellError, ImportResult, check_headers, sort_errors


@dataclass(frozen=True)
class MonthlyKind:
    kind: str
    model: type
    headers: list
    amount_header: str
    action: str
    key_only: bool


FUNDS = MonthlyKind("funds", MonthlyFunds, ["项目编号", "月份", "到位资金"], "到位资金", "funds.set", False)
INVESTMENT = MonthlyKind(
    "investment",
    MonthlyInvestment,
    ["项目编号", "月份", "本月完成投资(万元)"],
    "本月完成投资(万元)",
    "investment.set",
    True,
)


def import_monthly(spec: MonthlyKind, sheet, *, actor, dry_run: bool, log_start=None, log_finish=None) -> ImportResult:
    result = ImportResult(kind=spec.kind, rows=len(sheet.rows), dry_run=dry_run)
    result.errors = check_headers(sheet.headers, spec.headers)
    if result.errors:
        return result
    skipped: list[int] = []
    parsed = _parse(spec, sheet.rows, result.errors, skipped)
    result.skipped = len(skipped)
    records = _check(spec, parsed, actor, result.errors)
    if result.errors:
        sort_errors(result.errors, spec.headers)
        return result
    existing = _existing(spec, records)
    staged = []  # (project_id, month, cents, existing row id, amount before): the rows that change
    for project, month, cents in records:
        old = existing.get((project.id, month))
        if old is None:
            staged.append((project.id, month, cents, None, None))
            result.created += 1
        elif old[1] != cents:
            staged.append((project.id, month, cents, old[0], old[2]))
            result.updated += 1
    result.unchanged = len(records) - len(staged)
    if not dry_run:
        units = {p.id: p.responsible_unit_id for p, _, _ in records}
        keys = {(units[project_id], month) for project_id, month, _, _, _ in staged}
        _write(spec, staged, keys, actor=actor, result=result, log_start=log_start, log_finish=log_finish)
    return result


def _parse(spec, rows, errors, skipped) -> list[tuple[int, str, date | None, int | None]]:
    """(row, project code, month, amount in cents) per filled row. Runs once per row of a 100,000-row sheet, so
    the common cells (a text code, a month seen before, a float with at most two decimals) take a fast path; any
    other cell goes through `cells`, which also words the error."""
    parsed = []
    months: dict = {}  # a sheet holds a handful of distinct months: parse each once
    append = parsed.append
    for row, values in rows:
        if len(values) < 3:
            values = (list(values) + [None, None, None])[:3]
        raw_code, raw_month, raw_amount = values[0], values[1], values[2]
        kind = type(raw_amount)
        cents = None
        if kind is float and 0 <= raw_amount < 1e9:
            scaled = raw_amount * 100
            cents = round(scaled)
            if abs(scaled - cents) > 1e-6:  # a third decimal, or a float's tail: let cells.amount decide
                cents = None
        elif kind is int and raw_amount >= 0:
            cents = raw_amount * 100
        elif raw_amount is None or raw_amount == "" or cells.is_blank(raw_amount):
            skipped.append(row)  # a pre-filled row the unit left blank: nothing to report for it
            continue
        code = raw_code.strip() if type(raw_code) is str else cells.text(raw_code)
        if not code:
            errors.append(CellError(row, "项目编号", "不能为空"))
            continue
        key = raw_month if isinstance(raw_month, (str, date)) else repr(raw_month)
        month = months.get(key)
        if month is None:
            try:
                month = months[key] = cells.month(raw_month)
            except ValueError as exc:
                errors.append(CellError(row, "月份", str(exc)))
        if cents is None:
            try:
                cents = int(cells.amount(raw_amount) * 100)
            except ValueError as exc:
                errors.append(CellError(row, spec.amount_header, str(exc)))
        append((row, code, month, cents))
    return parsed


def _check(spec, parsed, actor, errors) -> list[tuple[Project, date, int]]:
    """The references, months and duplicates of the parsed rows; (project, month, cents) for those that pass."""
    projects = _projects(actor, {code for _, code, _, _ in parsed})
    closed = closed_months_in({m for _, _, m, _ in parsed if m})
    this_month = current_month()
    seen: dict = {}
    records = []
    for row, code, month, cents in parsed:
        project = projects.get(code)
        if project is None:
            errors.append(CellError(row, "项目编号", f"项目“{code}”不存在或不在您的填报范围内"))
            continue
        if spec.key_only and not project.key_level:
            errors.append(CellError(row, "项目编号", f"{code} 不是重点项目，不填报完成投资"))
        if month is None or cents is None:
            continue
        if month > this_month:
            errors.append(CellError(row, "月份", "不能填报未来月份"))
        elif month in closed:
            errors.append(CellError(row, "月份", f"{month.year}年{month.month}月已关账"))
        key = (project.id, month)
        if key in seen:
            errors.append(CellError(row, "项目编号", f"与第{seen[key]}行重复（同一项目同一月份）"))
            continue
        seen[key] = row
        records.append((project, month, cents))
    return records


def _projects(actor, codes) -> dict:
    """The projects the actor may write, by code (a command without --user may write them all)."""
    projects = Project.objects.filter(code__in=codes).only("code", "key_level", "responsible_unit_id")
    if actor is not None:
        projects = projects.filter(responsible_unit_id__in=editable_unit_ids(actor))
    return {p.code: p for p in projects}


def _existing(spec, records) -> dict:
    """{(project id, month): (row id, cents, amount text)} of the rows already stored for the sheet's keys."""
    ids = {p.id for p, _, _ in records}
    months = {m for _, m, _ in records}
    rows = spec.model.objects.filter(project_id__in=ids, month__in=months).values_list(
        "pk", "project_id", "month", "amount"
    )
    return {(project_id, month): (pk, int(amount * 100), str(amount)) for pk, project_id, month, amount in rows}


_STAGE = "_zhaoshang_import_rows"
_STAGE_COLUMNS = [
    ("project_id", "bigint"),
    ("month", "date"),
    ("cents", "bigint"),
    ("existing_id", "bigint"),
    ("before_text", "varchar(40)"),
]


@transaction.atomic
def _write(spec, staged, keys, *, actor, result, log_start, log_finish) -> None:
    """Stage the changed rows, then update, insert and audit them with one statement each. At 100,000 rows any
    per-row Python on the write side (model instances, parameter binding, JSON per audit entry) cost several
    times what the database itself needs, so the values are computed by the engine from the staged table."""
    ensure_months_open({month for _, month, _, _, _ in staged})  # still open at the write
    log = log_start() if log_start else None
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = spec.model._meta.db_table
    rows = [(p, ops.adapt_datefield_value(m), c, pk, before) for p, m, c, pk, before in staged]
    with bulk.staged(_STAGE, _STAGE_COLUMNS, rows) as stage, connection.cursor() as cursor:
        amount = _sql_amount("s.cents")
        cursor.execute(
            f"UPDATE {table} SET amount = {amount}, updated_at = %s FROM {stage} s WHERE {table}.id = s.existing_id",
            [now],
        )
        cursor.execute(
            f"INSERT INTO {table} (project_id, month, amount, updated_at)"
            f" SELECT s.project_id, s.month, {amount}, %s FROM {stage} s WHERE s.existing_id IS NULL",
            [now],
        )
        if log_finish:
            log_finish(log, result)
        _audit(cursor, spec, stage, actor=actor, log=log, now=now)
    totals.refresh(totals.Keys(units=keys))
    result.log_id = log.pk if log else None


def _audit(cursor, spec, stage, *, actor, log, now) -> None:
    """One audit entry per staged row, the same entry audit.record() writes for a change made on a page:
    the project as target, its unit, and {"month", "amount": [before, after], "import": log id} as data."""
    postgres = connection.vendor == "postgresql"
    month = "to_char(s.month, 'YYYY-MM')" if postgres else "substr(s.month, 1, 7)"
    json = "jsonb_build" if postgres else "json"
    build_object, build_array = f"{json}_object", f"{json}_array"
    data = (
        f"{build_object}('month', {month}, 'amount', {build_array}(s.before_text, {_sql_amount_text('s.cents')}),"
        f" 'import', %s)"
    )
    columns = "created_at, actor_id, actor_name, unit_id, action, target_type, target_id, target_repr, data, source"
    cursor.execute(
        f"INSERT INTO {AuditEntry._meta.db_table} ({columns})"
        f" SELECT %s, %s, %s, p.responsible_unit_id, %s, 'projects.project', CAST(p.id AS varchar(40)),"
        f" substr(p.code || ' ' || p.name, 1, 255), {data}, %s"
        f" FROM {stage} s JOIN {Project._meta.db_table} p ON p.id = s.project_id",
        [
            now,
            getattr(actor, "pk", None),
            getattr(actor, "username", "") or "系统",
            spec.action,
            None if log is None else log.pk,
            Source.IMPORT,
        ],
    )


def _sql_amount(cents: str) -> str:
    """The amount column's value from whole cents: exact numeric on PostgreSQL; on SQLite the decimal column
    holds the nearest double either way, as it does for amounts written through the ORM."""
    return f"CAST({cents} AS numeric(16, 2)) / 100" if connection.vendor == "postgresql" else f"{cents} / 100.0"


def _sql_amount_text(cents: str) -> str:
    """An amount as the audit log writes it, from whole cents: '1000.25', '5.00'."""
    if connection.vendor == "postgresql":
        return f"CAST(CAST({cents} AS numeric(16, 2)) / 100 AS numeric(16, 2))::text"
    return f"printf('%%d.%%02d', {cents} / 100, {cents} %% 100)"
