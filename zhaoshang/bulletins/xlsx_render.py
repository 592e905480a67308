"""The bulletin's annex as a workbook: the same tables as the docx, numbers as numbers, text never a formula."""

from io import BytesIO

import xlsxwriter

from zhaoshang.bulletins.tables import bulletin_tables
from zhaoshang.core.files import sheet_name, write_cell

LIGHT_COLOURS = {"green": "#C6EFCE", "yellow": "#FFEB9C", "red": "#FFC7CE"}


def render_xlsx(*, title: str, snapshot: dict) -> bytes:
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True})
    number = workbook.add_format({"num_format": "#,##0.00", "border": 1})
    plain = workbook.add_format({"border": 1})
    lights = {k: workbook.add_format({"bg_color": v, "border": 1}) for k, v in LIGHT_COLOURS.items()}
    used: set[str] = set()
    for spec in bulletin_tables(snapshot):
        # A group's own name titles its table: Excel's rules for sheet names apply (core.files.sheet_name).
        sheet = workbook.add_worksheet(sheet_name(spec.title.replace("（按实际到位内资完成率）", ""), used))
        sheet.write_string(0, 0, f"{title}　{spec.title}")
        for col, header in enumerate(spec.headers):
            sheet.write_string(1, col, header, bold)
            sheet.set_column(col, col, 14 if col not in (1,) else 28)
        for r, row in enumerate(spec.rows, start=2):
            for c, value in enumerate(row.raw):
                style = lights.get(row.light) if c == spec.light_column else number if c in spec.numeric else plain
                write_cell(sheet, r, c, value if c != spec.light_column else row.values[c], style)
        if not spec.rows:
            sheet.write_string(2, 0, spec.empty)
        sheet.freeze_panes(2, 0)
    workbook.close()
    return buffer.getvalue()
