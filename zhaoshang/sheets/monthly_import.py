"""Importing the monthly sheets, 到位资金 (funds) and 完成投资 (investment): every row checked, then all rows
written in bulk in one transaction (100,000 rows in seconds), one audit entry per changed row, the totals
refreshed once for the keys touched."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.core import bulk
from zhaoshang.core.periods import current_month, format_month
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
    projects = _projects(actor, {code for _, code, _, _ in parsed})
    closed = closed_months_in({m for _, _, m, _ in parsed if m})
    seen: dict = {}
    records = []
    this_month = current_month()
    for row, code, month, amount in parsed:
        project = projects.get(code)
        if project is None:
            result.errors.append(CellError(row, "项目编号", f"项目“{code}”不存在或不在您的填报范围内"))
            continue
        if spec.key_only and not project.key_level:
            result.errors.append(CellError(row, "项目编号", f"{code} 不是重点项目，不填报完成投资"))
        if month is None or amount is None:
            continue
        if month > this_month:
            result.errors.append(CellError(row, "月份", "不能填报未来月份"))
        elif month in closed:
            result.errors.append(CellError(row, "月份", f"{month.year}年{month.month}月已关账"))
        key = (project.pk, month)
        if key in seen:
            result.errors.append(CellError(row, "项目编号", f"与第{seen[key]}行重复（同一项目同一月份）"))
            continue
        seen[key] = row
        records.append((project, month, amount))
    if result.errors:
        sort_errors(result.errors, spec.headers)
        return result
    existing = _existing(spec, records)
    new, changed = [], []
    for project, month, amount in records:
        old = existing.get((project.pk, month))
        if old is None:
            new.append((project, month, amount))
        elif old.amount != amount:
            changed.append((project, month, amount, old))
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(records) - len(new) - len(changed)
    if not dry_run:
        _write(spec, new, changed, actor=actor, result=result, log_start=log_start, log_finish=log_finish)
    return result


def _parse(spec, rows, errors, skipped) -> list[tuple[int, str, date | None, Decimal | None]]:
    parsed = []
    months: dict = {}  # a sheet holds a handful of distinct months: parse each once
    for row, values in rows:
        raw_code, raw_month, raw_amount = (values + [None, None, None])[:3]
        if raw_amount is None or raw_amount == "" or cells.is_blank(raw_amount):
            skipped.append(row)  # a pre-filled row the unit left blank: nothing to report for it
            continue
        code = raw_code.strip() if type(raw_code) is str else cells.text(raw_code)
        if not code:
            errors.append(CellError(row, "项目编号", "不能为空"))
            continue
        month = amount = None
        key = raw_month if isinstance(raw_month, (str, date)) else repr(raw_month)
        if key in months:
            month = months[key]
        else:
            try:
                month = months[key] = cells.month(raw_month)
            except ValueError as exc:
                errors.append(CellError(row, "月份", str(exc)))
        try:
            amount = cells.amount(raw_amount)
        except ValueError as exc:
            errors.append(CellError(row, spec.amount_header, str(exc)))
        parsed.append((row, code, month, amount))
    return parsed


def _audit(spec, audited, *, actor, log, now) -> None:
    """One audit entry per changed row, inserted in bulk. The JSON is the same document record() writes,
    {"month", "amount": [before, after], "import"}, formatted here directly: at 100,000 rows the JSONField's own
    preparation (json.dumps and its adapters, per row) was a third of the import's time. Every value in it is a
    month text, a Decimal's text or an id, none of which needs escaping."""
    name = getattr(actor, "username", "") or "系统"
    actor_id = getattr(actor, "pk", None)
    log_id = "null" if log is None else str(int(log.pk))
    months: dict = {}
    described: dict = {}  # per project: its unit, id and text, computed once
    rows = []
    for p, m, a, before in audited:
        month = months.get(m) or months.setdefault(m, format_month(m))
        about = described.get(p.pk) or described.setdefault(p.pk, (p.responsible_unit_id, str(p.pk), str(p)[:255]))
        old = "null" if before is None else f'"{before}"'
        data = f'{{"month": "{month}", "amount": [{old}, "{a}"], "import": {log_id}}}'
        rows.append(
            (now, actor_id, name, about[0], spec.action, "projects.project", about[1], about[2], data, Source.IMPORT)
        )
    columns = "created_at actor_id actor_name unit_id action target_type target_id target_repr data source"
    bulk.insert_rows(AuditEntry._meta.db_table, columns.split(), rows)


def _projects(actor, codes) -> dict:
    """The projects the actor may write, by code (a command without --user may write them all)."""
    projects = Project.objects.filter(code__in=codes).only("code", "name", "key_level", "responsible_unit_id")
    if actor is not None:
        projects = projects.filter(responsible_unit_id__in=editable_unit_ids(actor))
    return {p.code: p for p in projects}


def _existing(spec, records) -> dict:
    ids = {p.pk for p, _, _ in records}
    months = {m for _, m, _ in records}
    rows = spec.model.objects.filter(project_id__in=ids, month__in=months).values_list(
        "pk", "project_id", "month", "amount"
    )
    return {(project_id, month): _Existing(pk, amount) for pk, project_id, month, amount in rows}


@dataclass(frozen=True)
class _Existing:
    pk: int
    amount: Decimal


@transaction.atomic
def _write(spec, new, changed, *, actor, result, log_start, log_finish) -> None:
    """Insert, update and audit in bulk on plain tuples (core.bulk: COPY on PostgreSQL): at 100,000 rows the ORM's
    per-object work (instances, per-field preparation) was nine tenths of the import's time. The values are
    prepared the way the fields would prepare them (dates, decimals, the audit JSON)."""
    ensure_months_open({m for _, m, _ in new} | {m for _, m, _, _ in changed})  # still open at the write
    log = log_start() if log_start else None
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = spec.model._meta.db_table
    bulk.insert_rows(
        table,
        ["project_id", "month", "amount", "updated_at"],
        [(p.pk, ops.adapt_datefield_value(m), ops.adapt_decimalfield_value(a, 16, 2), now) for p, m, a in new],
    )
    bulk.update_rows(
        table,
        ["amount", "updated_at"],
        [(row.pk, ops.adapt_decimalfield_value(a, 16, 2), now) for _, _, a, row in changed],
        column_types=["numeric(16, 2)", "timestamp with time zone"],
    )
    if log_finish:
        log_finish(log, result)
    _audit(
        spec,
        [(p, m, a, None) for p, m, a in new] + [(p, m, a, row.amount) for p, m, a, row in changed],
        actor=actor,
        log=log,
        now=now,
    )
    keys = {(p.responsible_unit_id, m) for p, m, _ in new} | {(p.responsible_unit_id, m) for p, m, _, _ in changed}
    totals.refresh(totals.Keys(units=keys))
    result.log_id = log.pk if log else None
