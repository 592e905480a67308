"""Files users download and open in Excel, WPS or Word: the one xlsx writer, the cell escaping it shares with the
importer, and the download response. Rows in, one xlsx out: text is escaped so it never becomes a formula; numbers
and dates stay numbers and dates. Knows no business: each app's exports.py builds its pages' rows, and a page
answers `?format=xlsx` with `export_response(...)`."""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import xlsxwriter
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starting with one of these is taken as a formula (or DDE) by Excel and WPS (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """`'` before a text a spreadsheet would take for a formula; also before one already starting with quotes
    and then a formula's first character, so that unescaped() gives back exactly the text written."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def unescaped(value: str) -> str:
    """safe_text() undone, so that an export re-imports unchanged: a `'` before a formula's first character is
    the export's (typed in Excel or WPS, `'=x` leaves the text `=x` in the cell, without the quote)."""
    return value[1:] if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS) else value


# Excel refuses these in a sheet's name: each becomes its full-width form, which it accepts.
_SHEET_NAME_SWAPS = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？", "[": "【", "]": "】"})
SHEET_NAME_MAX = 31  # UTF-16 code units, as Excel counts


def sheet_name(text: str, taken: set[str]) -> str:
    """A name Excel accepts for a sheet titled `text` (a campaign's or a group's name, say), not one of `taken`
    (compared ignoring case, as Excel does); the name is added to `taken`."""
    base = _fit(text.translate(_SHEET_NAME_SWAPS).strip().strip("'"), SHEET_NAME_MAX).strip("'") or "Sheet"
    name, number = base, 1
    while name.lower() in taken:
        number += 1
        suffix = f"({number})"
        name = _fit(base, SHEET_NAME_MAX - len(suffix)).rstrip("'") + suffix
    taken.add(name.lower())
    return name


def _fit(text: str, units: int) -> str:
    while len(text.encode("utf-16-le")) > units * 2:
        text = text[:-1]
    return text


def number_format(value) -> str | None:
    """The number format that shows a number as the product's pages do: a whole number (a rank, a count, a year)
    as it is, never `1.00`; a Decimal with its own decimal places, with thousands separators (an amount rounded to
    the cent `#,##0.00`, a percentage or gap rounded to one decimal `#,##0.0`, a count kept as Decimal `#,##0`).
    Callers round before writing (core.money.round_half_up), so the cell holds the figure shown, not 4.0795.
    A Decimal of more places (not rounded for showing) is shown with two."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    if isinstance(value, int):
        return "0"
    places = -value.as_tuple().exponent if value.is_finite() else 0
    return "#,##0" if places <= 0 else "#,##0.0" if places == 1 else "#,##0.00"


class Styles:
    """The cell formats of one workbook, each made once per distinct look (xlsxwriter has every format made by
    its workbook): `styles(value, border=1, …)` is the format for that value, its number format included."""

    def __init__(self, book):
        self.book, self.made = book, {}

    def __call__(self, value=None, **properties):
        shown = number_format(value)
        if shown:
            properties["num_format"] = shown
        if not properties:
            return None
        key = tuple(sorted(properties.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format(properties)
        return self.made[key]


def write_cell(sheet, row: int, col: int, value, cell_format=None):
    """Numbers as numbers, text escaped and written as a string (never through xlsxwriter's formula guess).
    The escape (safe_text) is for text only: a negative number stays a number, never the text `'-91.7`."""
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, (int, float, Decimal)):
        sheet.write_number(row, col, float(value), cell_format)
    else:
        sheet.write_string(row, col, safe_text(str(value)), cell_format)


def write_value(sheet, row: int, col: int, value, styles: Styles, **properties):
    """write_cell with the format for this value (its number format, plus `properties` such as a border)."""
    write_cell(sheet, row, col, value, styles(value, **properties))


def write_xlsx(headers: list[str], rows, *, sheet_name: str = "Sheet1") -> bytes:
    return write_book([(sheet_name, headers, rows)])


def write_book(sheets: list[tuple[str, list[str], object]]) -> bytes:
    """[(sheet name, headers, rows)] → xlsx bytes (for the small files that are built whole: a bulletin's annex,
    a template). A list export streams instead: xlsx_response()."""
    with xlsx_file(sheets) as handle:
        return handle.read()


def xlsx_file(sheets: list[tuple[str, list[str], object]]):
    """The workbook written to a temporary file (deleted when closed), positioned at its start."""
    handle = tempfile.TemporaryFile()
    try:
        write_book_to(handle, sheets)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def write_book_to(handle, sheets: list[tuple[str, list[str], object]]) -> int:
    """[(sheet name, headers, rows)] written as xlsx into `handle` (a file open for writing, or a path), row by
    row: xlsxwriter's constant_memory mode keeps one row in memory, whatever the length; answers the number of
    rows written. Each number gets the format of its kind (number_format): whole numbers as they are, Decimals
    with their own decimal places; text is escaped (safe_text); a date is written as its YYYY-MM-DD text."""
    book = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = book.add_format({"bold": True, "bg_color": "#D9E2F3"})
    styles = Styles(book)
    whole = styles(0)
    by_places: dict[int, object] = {}  # a Decimal's format by its exponent: one lookup per cell, not a sort
    taken: set[str] = set()
    written = 0
    for name, headers, rows in sheets:
        sheet = book.add_worksheet(sheet_name(name, taken))  # names come from users' text (a campaign's)
        write_string, write_number = sheet.write_string, sheet.write_number
        for col, title in enumerate(headers):
            write_string(0, col, title, bold)
        r = 0
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                kind = type(value)
                # The common kinds first, each as write_cell writes it; anything else goes through write_value.
                if kind is str:
                    write_string(r, c, safe_text(value))
                elif value is None:
                    continue  # a blank cell without a format is no cell at all
                elif kind is int:
                    write_number(r, c, value, whole)
                elif kind is Decimal and value.is_finite():
                    exponent = value.as_tuple().exponent
                    if exponent not in by_places:
                        by_places[exponent] = styles(value)
                    write_number(r, c, float(value), by_places[exponent])
                elif isinstance(value, date):
                    # As the template's text form, YYYY-MM-DD: it re-imports exactly, in Excel and WPS alike.
                    write_string(r, c, value.isoformat())
                else:
                    write_value(sheet, r, c, value, styles)
        written += r
    book.close()
    return written


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file download with a Chinese file name that every browser keeps."""
    return attachment(HttpResponse(content, content_type=content_type), filename)


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def attachment(response, filename: str):
    # Every character encoded, `/` too: a campaign's name is no path.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    return response


def xlsx_response(sheets: list[tuple[str, list[str], object]], filename: str) -> FileResponse:
    """The workbook streamed from a temporary file (closed, so deleted, when the response is): the rows are
    written as they come and the file is sent in blocks, so neither the rows nor the file are held in memory."""
    return attachment(FileResponse(xlsx_file(sheets), content_type=XLSX), filename)


def export_response(headers, rows, *, title: str) -> FileResponse:
    """One table as `title`.xlsx, its one sheet named after the title, streamed."""
    return xlsx_response([(title[:31], headers, rows)], f"{title}.xlsx")


@dataclass
class Export:
    """A list's download: its file name, its sheets [(name, headers, rows)] (rows a generator over values_list(),
    run only when the file is written), and `size`, which counts its longest sheet's rows in one query."""

    filename: str
    sheets: list[tuple[str, list[str], object]]
    size: Callable[[], int]


def export_or_defer(request, export: Export, *, kind: str):
    """The export streamed now, or, past EXPORT_BACKGROUND_ROWS rows, the page that offers to make it in the
    background (the downloads app, `kind` one of its kinds, with this request's filters) and notify the user."""
    if export.size() > settings.EXPORT_BACKGROUND_ROWS:
        # The filters as the page had them, `format` too: a builder reads them exactly as its page's view does.
        return redirect(f"{reverse('download_new', args=[kind])}?{request.GET.urlencode()}")
    return xlsx_response(export.sheets, export.filename)
