"""Real .xlsx files written by the tests, and the import command run on them."""

import io
import zipfile
from datetime import date, datetime
from io import StringIO

import xlsxwriter
from django.core.management import call_command

HEADERS = ["项目编号", "月份", "到位资金"]
# A number cell whose stored text `raw=` replaces: cells Excel itself never writes (NaN, inf, an error value).
PLACEHOLDER = 123456.5


def xlsx(tmp_path, rows, headers=HEADERS, name="funds.xlsx", raw: str | None = None):
    """A sheet of `headers` and `rows`: numbers as number cells, dates as date cells, the rest as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm"})
    for col, title in enumerate(headers):
        sheet.write_string(0, col, title)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, (date, datetime)):
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), date_format)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, value)
    book.close()
    data = buffer.getvalue()
    if raw is not None:
        data = replace_in_sheet(data, f"<v>{PLACEHOLDER}</v>".encode(), raw.encode())
    path = tmp_path / name
    path.write_bytes(data)
    return path


def replace_in_sheet(data: bytes, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in content
                content = content.replace(old, new)
            target.writestr(info.filename, content)
    return out.getvalue()


def run_import(kind, path, *args) -> tuple[str, str]:
    """`manage.py import_xlsx KIND FILE ARGS`: (stdout, stderr); CommandError when the file is refused."""
    out, err = StringIO(), StringIO()
    call_command("import_xlsx", kind, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
