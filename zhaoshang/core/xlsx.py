"""Writing spreadsheets users open in Excel or WPS: text never becomes a formula, numbers stay numbers."""

from decimal import Decimal

# A cell starting with one of these is taken as a formula (or DDE) by Excel and WPS (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


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
