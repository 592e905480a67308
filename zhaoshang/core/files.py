"""Files users download and open in Excel, WPS or Word: the one xlsx writer, the cell escaping it shares with the
importer, and the download response. Rows in, one xlsx out: text is escaped so it never becomes a formula; numbers
and dates stay numbers and dates. Knows no business: each app's exports.py builds its pages' rows, and a page
answers `?format=xlsx` with `export_response(...)`."""

import tempfile
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse

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


def write_cell(sheet, row: int, col: int, value, cell_format=None):
    """Numbers as numbers, text escaped and written as a string (never through xlsxwriter's formula guess)."""
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, (int, float, Decimal)):
        sheet.write_number(row, col, float(value), cell_format)
    else:
        sheet.write_string(row, col, safe_text(str(value)), cell_format)


def write_xlsx(headers: list[str], rows, *, sheet_name: str = "Sheet1") -> bytes:
    return write_book([(sheet_name, headers, rows)])


def write_book(sheets: list[tuple[str, list[str], object]], *, money: bool = True) -> bytes:
    """[(sheet name, headers, rows)] → xlsx bytes, written row by row (xlsxwriter's constant_memory mode, so a
    long list costs little memory). With `money`, Decimal cells get the amounts' #,##0.00 format (a sheet of days
    or counts passes money=False)."""
    with tempfile.TemporaryFile() as handle:
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
        amount = book.add_format({"num_format": "#,##0.00"}) if money else None
        taken: set[str] = set()
        for name, headers, rows in sheets:
            sheet = book.add_worksheet(sheet_name(name, taken))  # names come from users' text (a campaign's)
            for col, title in enumerate(headers):
                sheet.write_string(0, col, title, bold)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    if isinstance(value, date):
                        # As the template's text form, YYYY-MM-DD: it re-imports exactly, in Excel and WPS alike.
                        sheet.write_string(r, c, value.isoformat())
                    else:
                        write_cell(sheet, r, c, value, amount if isinstance(value, Decimal) else None)
        book.close()
        handle.seek(0)
        return handle.read()


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file download with a Chinese file name that every browser keeps."""
    response = HttpResponse(content, content_type=content_type)
    # Every character encoded, `/` too: a campaign's name is no path.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    return response


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def export_response(headers, rows, *, title: str) -> HttpResponse:
    """One table as `title`.xlsx, its one sheet named after the title."""
    return download(write_xlsx(headers, rows, sheet_name=title[:31]), f"{title}.xlsx", XLSX)
