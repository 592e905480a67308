"""The file a refused import is handed back as: the user's own rows, untouched, with each row's errors written
beside them and the rows with errors shaded, so they can be mended in place and the file imported again.
The error column sits after an empty column, where the importer ignores it."""

from collections import defaultdict
from datetime import date, datetime, time
from io import BytesIO

import xlsxwriter

from zhaoshang.core.files import write_cell
from zhaoshang.sheets.base import CellError

ERROR_HEADER = "错误说明（改正后可直接重新导入，此列不导入）"


def error_file(sheet, errors: list[CellError]) -> bytes:
    by_row: dict[int, list[str]] = defaultdict(list)
    for error in errors:
        by_row[error.row].append(f"{error.column}: {error.message}")
    headers = list(sheet.headers)
    while headers and not headers[-1]:
        headers.pop()
    error_col = len(headers) + 1
    buffer = BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    out = book.add_worksheet("导入错误")
    bold = book.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    wrong = book.add_format({"bg_color": "#FDE2E1"})
    message = book.add_format({"font_color": "#B42318", "text_wrap": True})
    for col, title in enumerate(headers):
        out.write_string(0, col, title, bold)
    out.write_string(0, error_col, ERROR_HEADER, bold)
    out.set_column(0, max(len(headers) - 1, 0), 16)
    out.set_column(error_col, error_col, 60)
    if 1 in by_row:  # errors of the header row itself
        out.write_string(0, error_col, "；".join(by_row[1]), message)
    # Rows keep their Excel row numbers, so "第50行" in a message is row 50 of this file too.
    for number, values in sheet.rows:
        r = number - 1
        shade = wrong if number in by_row else None
        for col, value in enumerate(values[: len(headers)]):
            _write(out, r, col, value, shade)
        if number in by_row:
            out.write_string(r, error_col, "；".join(by_row[number]), message)
    out.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _write(sheet, row, col, value, cell_format):
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        value = value.isoformat()
    if value == "":
        value = None
    write_cell(sheet, row, col, value, cell_format)
