"""The bulletin's annex as a workbook: the same tables as the docx, numbers as numbers (rounded as shown, in the
matching number format: core.files.number_format), text never a formula."""

from io import BytesIO

import xlsxwriter

from zhaoshang.bulletins.tables import bulletin_tables
from zhaoshang.core.files import Styles, sheet_name, write_value
from zhaoshang.core.gongwen import TableSpec

LIGHT_COLOURS = {"green": "#C6EFCE", "yellow": "#FFEB9C", "red": "#FFC7CE"}


def render_xlsx(*, title: str, snapshot: dict, columns: list[str] | None = None) -> bytes:
    """`columns`: the per-unit table's columns (bulletins/columns.py codes; its default set when None). The
    snapshot's lists are written whole: give it the full list (bulletins.output.with_full_lists)."""
    return tables_xlsx(title, bulletin_tables(snapshot, columns, whole=True), strip="（按实际到位内资完成率）")


def tables_xlsx(title: str, tables: list[TableSpec], strip: str = "") -> bytes:
    """A sheet per table (named by its title less `strip`), numbers as numbers, the lit column coloured."""
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True})
    styles = Styles(workbook)

    used: set[str] = set()
    for spec in tables:
        # A group's own name titles its table: Excel's rules for sheet names apply (core.files.sheet_name).
        sheet = workbook.add_worksheet(sheet_name(spec.title.replace(strip, "") if strip else spec.title, used))
        sheet.write_string(0, 0, f"{title}　{spec.title}")
        for col, header in enumerate(spec.headers):
            sheet.write_string(1, col, header, bold)
            sheet.set_column(col, col, 14 if col not in (1,) else 28)
        for r, row in enumerate(spec.rows, start=2):
            for c, value in enumerate(row.raw):
                # The raw value, never the shown text: a gap of -91.7 stays the number -91.7 (as text it was
                # escaped to '-91.7), whether or not its column is the lit one.
                fill = LIGHT_COLOURS.get(row.light) if c == spec.light_column else None
                write_value(sheet, r, c, value, styles, border=1, **({"bg_color": fill} if fill else {}))
        if not spec.rows:
            sheet.write_string(2, 0, spec.empty)
        sheet.freeze_panes(2, 0)
    workbook.close()
    return buffer.getvalue()
