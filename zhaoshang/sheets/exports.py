"""Exports: rows in, one xlsx out. Text is escaped so it never becomes a formula; numbers and dates stay
numbers and dates. xlsxwriter's constant_memory mode writes row by row, so a long list costs little memory."""

import tempfile
from datetime import date
from decimal import Decimal

import xlsxwriter

from zhaoshang.core.xlsx import sheet_name, write_cell

# The 项目台账 template's headers (DESIGN.md), so an export of the ledger is a filled-in template.
LEDGER_HEADERS = [
    "项目编号",
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "资金类型",
    "责任单位",
    "招商小分队",
    "包保领导",
    "产业链",
    "项目阶段",
    "签约日期",
    "协议资金",
    "计划总投资(万元)",
    "开工日期",
    "投产日期",
    "重点项目级别",
]


def ledger_rows(projects):
    for p in projects.iterator(chunk_size=2000):
        yield [
            p.code,
            p.name,
            p.investor,
            p.credit_code,
            p.funding_type,
            p.responsible_unit.name,
            p.team.name if p.team_id else "",
            p.leader_in_charge,
            p.industry_chain,
            p.stage,
            p.signed_on,
            p.contract_amount,
            p.planned_total,
            p.started_on,
            p.production_on,
            p.key_level,
        ]


def write_xlsx(headers: list[str], rows, *, sheet_name: str = "Sheet1") -> bytes:
    return write_book([(sheet_name, headers, rows)])


def write_book(sheets: list[tuple[str, list[str], object]], *, money: bool = True) -> bytes:
    """[(sheet name, headers, rows)] → xlsx bytes, written row by row (constant memory). With `money`, Decimal
    cells get the amounts' #,##0.00 format (a sheet of days or counts passes money=False)."""
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
