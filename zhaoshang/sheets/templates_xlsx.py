"""Blank templates to fill in Excel or WPS: the exact headers, a comment per column with its unit, drop-down
lists for the enumerations, and for the monthly sheets the unit's projects already listed for the month."""

from datetime import date
from io import BytesIO

import xlsxwriter

from zhaoshang.core.periods import format_month
from zhaoshang.core.xlsx import write_cell
from zhaoshang.sheets.monthly_import import FUNDS, INVESTMENT, MonthlyKind

COMMENTS = {
    "项目编号": "台账中的项目编号，必须已存在",
    "月份": "YYYY-MM，例如 2026-05；也可以填日期",
    "到位资金": "当月实际到位金额：内资项目填万元，外资项目填万美元；不能为负，最多两位小数",
    "本月完成投资(万元)": "重点项目当月完成投资，万元；不能为负，最多两位小数",
}


def monthly_template(spec: MonthlyKind, projects, month: date | None) -> bytes:
    buffer = BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(spec.amount_header.split("(")[0])
    header = book.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    hint = book.add_format({"font_color": "#6B7785", "italic": True})
    codes = [p.code for p in projects]
    options = book.add_worksheet("选项")
    for row, code in enumerate(codes):
        options.write_string(row, 0, code)
    options.hide()
    for col, title in enumerate(spec.headers):
        sheet.write_string(0, col, title, header)
        sheet.write_comment(0, col, COMMENTS.get(title, ""), {"x_scale": 2, "y_scale": 1.5})
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 18)
    sheet.set_column(4, 5, 30)
    sheet.write_string(0, 4, "项目名称（参考，不导入）", hint)
    sheet.write_string(0, 5, "资金类型与单位（参考，不导入）", hint)
    last = max(len(codes), 1000)
    if codes:
        sheet.data_validation(
            1,
            0,
            last,
            0,
            {
                "validate": "list",
                "source": f"=选项!$A$1:$A${len(codes)}",
                "error_message": "请选择台账中已有的项目编号",
            },
        )
    sheet.data_validation(
        1, 2, last, 2, {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": "金额不能为负数"}
    )
    for row, project in enumerate(projects, start=1):
        write_cell(sheet, row, 0, project.code)
        if month:
            write_cell(sheet, row, 1, format_month(month))
        write_cell(sheet, row, 4, project.name, hint)
        write_cell(sheet, row, 5, f"{project.funding_type}，{project.amount_unit}", hint)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


TEMPLATE_SPECS = {"funds": FUNDS, "investment": INVESTMENT}
