"""Writing spreadsheets users open in Excel or WPS: text never becomes a formula, numbers stay numbers."""

from decimal import Decimal

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
