"""Importing the record sheets (单位, 项目台账, 年度投资计划, 目标任务, 经济指标) row by row through the same services
the pages use, so an import checks exactly what a form checks and audits exactly what a form audits.

Every row is parsed first (types, enumerations, references, duplicates inside the file); then all rows are
applied in one transaction, each in its own savepoint so that one refused row does not hide the next one's
error. With any error, or on a dry run, the transaction is rolled back: nothing is written, and the dry run still
reports exactly what a commit would create, update or leave unchanged, having asked the database itself.
These sheets hold hundreds of rows, not the 100,000 of a monthly sheet, so a service call per row is cheap."""

from contextlib import nullcontext

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction

from zhaoshang.audit.services import import_context
from zhaoshang.core.errors import Refused
from zhaoshang.sheets import cells
from zhaoshang.sheets.base import CellError, ImportResult, check_headers, sort_errors

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class ImportNotAllowed(Refused):
    """The actor's role may not import this kind of sheet at all."""


class Row:
    """One spreadsheet row, read cell by cell; a bad cell records its error and reads as None."""

    def __init__(self, number: int, headers: list[str], values: list, errors: list[CellError]):
        self.number = number
        padded = list(values) + [None] * (len(headers) - len(values))
        self.values = dict(zip(headers, padded, strict=False))  # cells past the headers are ignored
        self._errors = errors
        self.ok = True

    def error(self, column: str, message: str) -> None:
        self._errors.append(CellError(self.number, column, message))
        self.ok = False

    def get(self, column: str, parse=cells.text, *, required: bool = False):
        raw = self.values.get(column)
        if cells.is_blank(raw):
            if required:
                self.error(column, "不能为空")
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            self.error(column, str(exc))
            return None

    def choice(self, column: str, options, *, required: bool = False):
        """One of `options` (a list of allowed texts, or a dict from text to the value it stands for)."""
        value = self.get(column, required=required)
        if value is None:
            return None
        if value not in options:
            shown = list(options)
            listed = "、".join(shown[:12]) + ("等" if len(shown) > 12 else "")
            self.error(column, f"“{value}”不是可选值（可选：{listed}）")
            return None
        return options[value] if isinstance(options, dict) else value


class RowImporter:
    """One kind of record sheet. A subclass names its headers, says who may import it, parses a Row into an
    item (None when the row has errors), names the item's key for duplicates inside the file, and applies the
    item through the services, answering CREATED, UPDATED or UNCHANGED."""

    kind = ""
    headers: list[str] = []
    # Columns a sheet may add after `headers`, in this order; a row reads only those its sheet has (Row.values).
    optional_headers: list[str] = []
    key_column = ""
    # The model field a service's ValidationError names → the column it came from.
    columns: dict[str, str] = {}
    # A pre-filled row whose figure columns are all blank was not filled in: it is skipped, not an error.
    figure_columns: tuple[str, ...] = ()

    def __init__(self, actor):
        self.actor = actor

    @staticmethod
    def refusal(actor) -> str | None:
        """Why this actor's role may not import this kind at all (None: it may). Needs no instance, so a page
        can ask it of every kind without loading what an import would."""
        return None

    def parse(self, row: Row):
        raise NotImplementedError

    def key(self, item):
        raise NotImplementedError

    def apply(self, item) -> str:
        raise NotImplementedError

    def cell_errors(self, number: int, exc: ValidationError) -> list[CellError]:
        if not hasattr(exc, "error_dict"):
            return [CellError(number, self.key_column, message) for message in exc.messages]
        errors = []
        for field, messages in exc.message_dict.items():
            column = self.columns.get(field, self.key_column) if field != NON_FIELD_ERRORS else self.key_column
            errors.extend(CellError(number, column, message) for message in messages)
        return errors


class _RollBack(Exception):
    pass


def import_rows(importer: RowImporter, sheet, *, dry_run: bool, log_start=None, log_finish=None) -> ImportResult:
    result = ImportResult(kind=importer.kind, rows=len(sheet.rows), dry_run=dry_run)
    refusal = importer.refusal(importer.actor)
    if refusal:
        raise ImportNotAllowed(refusal)
    result.errors = check_headers(sheet.headers, importer.headers, importer.optional_headers)
    if result.errors:
        return result
    skipped: list[int] = []
    present = [h for h in importer.optional_headers if h in sheet.headers]
    items = _parse_all(importer, sheet.rows, result.errors, skipped, importer.headers + present)
    result.skipped = len(skipped)
    # The rows that parsed are applied even when others did not, inside the transaction that will be rolled
    # back, so that one pass reports every error: the services' own checks as well as the cells'.
    try:
        with transaction.atomic():
            log = None if dry_run or log_start is None else log_start()
            with import_context(log.pk) if log else nullcontext():
                for number, item in items:
                    outcome = _apply_one(importer, number, item, result.errors)
                    if outcome:
                        setattr(result, outcome, getattr(result, outcome) + 1)
            if result.errors or dry_run:
                raise _RollBack
            if log_finish:
                log_finish(log, result)
            result.log_id = log.pk if log else None
    except _RollBack:
        result.log_id = None
    sort_errors(result.errors, importer.headers + importer.optional_headers)
    return result


def _parse_all(importer, rows, errors, skipped, headers) -> list:
    items, seen = [], {}
    for number, values in rows:
        row = Row(number, headers, values, errors)
        if importer.figure_columns and all(cells.is_blank(row.values.get(c)) for c in importer.figure_columns):
            skipped.append(number)
            continue
        item = importer.parse(row)
        key = _key(importer, item)
        if key is not None and key in seen:
            row.error(importer.key_column, f"与第{seen[key]}行重复")
        elif key is not None:
            seen[key] = number
        if row.ok and item is not None:
            items.append((number, item))
    return items


def _key(importer, item):
    """The row's key, or None when a cell it is made of did not parse."""
    try:
        key = importer.key(item)
    except (AttributeError, TypeError):
        return None
    parts = key if isinstance(key, tuple) else (key,)
    return None if any(part is None for part in parts) else key


def _apply_one(importer, number, item, errors) -> str | None:
    try:
        with transaction.atomic():  # a savepoint: a refused row leaves the transaction usable for the next
            return importer.apply(item)
    except ValidationError as exc:  # a closed month (MonthClosed) among them, on the key column
        errors.extend(importer.cell_errors(number, exc))
    except PermissionDenied as exc:
        errors.append(CellError(number, importer.key_column, str(exc)))
    return None
