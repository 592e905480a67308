"""Importing the monthly sheets, 到位资金 (funds) and 完成投资 (investment): every row checked in Python, then the
changed rows written, audited and totalled set-based (monthly_write) in one transaction, one audit entry each."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.closing.guard import ClosedIndex, ensure_project_months_open
from zhaoshang.core.money import MAX_AMOUNT
from zhaoshang.core.periods import current_month
from zhaoshang.projects.locks import lock_projects
from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment, Project
from zhaoshang.projects.rules import investment_refusal
from zhaoshang.sheets import cells
from zhaoshang.sheets.base import CellError, ImportResult, check_headers, sort_errors
from zhaoshang.sheets.monthly_write import Change, write_changes
from zhaoshang.sheets.plausibility import monthly_warnings


@dataclass(frozen=True)
class MonthlyKind:
    kind: str
    model: type
    headers: list
    amount_header: str
    action: str
    signed_only: bool  # 完成投资: any signed project's (projects.rules.investment_refusal), key or not


_MAX_WHOLE = int(MAX_AMOUNT)  # an integer cell above it goes through cells.amount, which words the refusal
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
    if dry_run:
        records = _check(spec, parsed, actor, result.errors)
        if not result.errors:
            _count(result, records, _changes(spec, records))
            result.warnings = monthly_warnings(spec.kind, parsed, amount_header=spec.amount_header)
    else:
        _check_and_write(spec, parsed, actor=actor, result=result, log_start=log_start, log_finish=log_finish)
    sort_errors(result.errors, spec.headers)
    return result


def _changes(spec, records) -> list[Change]:
    """The records that change what is stored: new rows and different amounts."""
    existing = _existing(spec, records)
    changes = []
    for project, month, cents in records:
        old = existing.get((project.id, month))
        if old is None:
            changes.append(Change(project.id, project.responsible_unit_id, month, cents, None, None))
        elif old[1] != cents:
            changes.append(Change(project.id, project.responsible_unit_id, month, cents, old[0], old[2]))
    return changes


def _count(result, records, changes) -> None:
    result.created = sum(1 for c in changes if c.row_id is None)
    result.updated = len(changes) - result.created
    result.unchanged = len(records) - len(changes)


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
        elif kind is int and 0 <= raw_amount <= _MAX_WHOLE:
            cents = raw_amount * 100
        elif raw_amount is None or raw_amount == "" or cells.is_blank(raw_amount):
            skipped.append(row)  # a pre-filled row the unit left blank: nothing to report for it
            continue
        code = raw_code.strip() if type(raw_code) is str else cells.text(raw_code)
        if code.startswith("'"):  # the template writes a code such as -001 as '-001 (core.files.safe_text)
            code = cells.text(code)
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
    closed = ClosedIndex({m for _, _, m, _ in parsed if m}, {p.responsible_unit.path for p in projects.values()})
    this_month = current_month()
    seen: dict = {}
    records = []
    for row, code, month, cents in parsed:
        project = projects.get(code)
        if project is None:
            errors.append(CellError(row, "项目编号", f"项目“{code}”不存在或不在您的填报范围内"))
            continue
        if spec.signed_only and (refusal := investment_refusal(project, "完成投资")):
            errors.append(CellError(row, "项目编号", refusal))
        if month is None or cents is None:
            continue
        if month > this_month:
            errors.append(CellError(row, "月份", "不能填报未来月份"))
        elif closed.closed(month, project.responsible_unit.path):
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
    projects = (
        Project.objects.filter(code__in=codes)
        .select_related("responsible_unit")
        .only("code", "stage", "signed_on", "responsible_unit_id", "responsible_unit__path")
    )
    if actor is not None:
        projects = projects.writable_by(actor)
    return {p.code: p for p in projects}


def _existing(spec, records) -> dict:
    """{(project id, month): (row id, cents, amount text)} of the rows already stored for the sheet's keys."""
    ids = {p.id for p, _, _ in records}
    months = {m for _, m, _ in records}
    rows = spec.model.objects.filter(project_id__in=ids, month__in=months).values_list(
        "pk", "project_id", "month", "amount"
    )
    return {(project_id, month): (pk, int(amount * 100), str(amount)) for pk, project_id, month, amount in rows}


@transaction.atomic
def _check_and_write(spec, parsed, *, actor, result, log_start, log_finish) -> None:
    # The sheet's projects are locked first and everything is read after that: their unit, signing and the
    # importer's scope (_check), and what is stored (_changes). A page save, an edit of a project or another
    # import of the same rows either finished before (and is seen here) or waits for this one: nothing is
    # inserted twice, every audit entry's "before" is the value it replaced, and the figures count in the unit
    # the project is in now.
    lock_projects(Project.objects.filter(code__in={code for _, code, _, _ in parsed}).values_list("pk", flat=True))
    records = _check(spec, parsed, actor, result.errors)
    if result.errors:
        return
    changes = _changes(spec, records)
    _count(result, records, changes)
    ensure_project_months_open(  # still open at the write, before the log
        [(c.project_id, c.month) for c in changes],
        Project.objects.filter(pk__in={c.project_id for c in changes}).unit_paths(),
    )
    log = log_start() if log_start else None
    if log_finish:
        log_finish(log, result)
    write_changes(
        spec.model, spec.action, changes, actor=actor, source=Source.IMPORT, import_id=log.pk if log else None
    )
    result.log_id = log.pk if log else None
