"""Hostile uploads: a file whose sheet reaches far (no dimension, one cell at XFD150000, a dimension that lies, a
row a million down, cells without addresses) is refused from its XML before python-calamine builds anything, in
under 2 s and 200 MB (the budget in README, Benchmarks); whatever python-calamine does in its child process,
the worker carries on."""

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.sheets.files import run_import, xlsx
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects.models import MonthlyFunds
from zhaoshang.sheets.isolated import ChildFailed, run_isolated, stream_isolated
from zhaoshang.sheets.reader import SheetRefused, read_sheet
from zhaoshang.sheets.services import kinds_for
from zhaoshang.sheets.templates_xlsx import template_bytes

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ROOT = Path(__file__).resolve().parents[2]


def workbook(sheet: str | bytes, *, target="worksheets/sheet1.xml", parts: dict | None = None, name="表") -> bytes:
    """A minimal .xlsx written by hand: one sheet, `sheet` its XML, reached through the relationship `target`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/worksheet" '
            f'Target="{target}"/></Relationships>',
        )
        archive.writestr(target[1:] if target.startswith("/") else "xl/" + target, sheet)
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def sheet_xml(cells: str, dimension: str | None = "A1:C2") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{declared}'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


HEADER = '<row r="1">' + text("A1", "项目编号") + text("B1", "月份") + text("C1", "到位资金") + "</row>"
ROW2 = '<row r="2">' + text("A2", "P1") + text("B2", "2026-01") + '<c r="C2"><v>5</v></c></row>'
FAR = text("XFD150000", "x")


def funds_workbook(rows: str = "", dimension: str | None = "A1:C2", **workbook_options) -> bytes:
    """workbook() of a sheet with the 到位资金 header (HEADER) in row 1 and then `rows`."""
    return workbook(sheet_xml(HEADER + rows, dimension), **workbook_options)


def hostile_files() -> dict[str, tuple[bytes, str]]:
    """Each hostile file and the words its refusal must contain."""
    implicit_columns = "<row>" + "".join(f"<c><v>{i}</v></c>" for i in range(300)) + "</row>"
    many_columns = '<row r="1">' + "".join(f'<c r="{letters}1"><v>1</v></c>' for letters in ("A", "ZZ")) + "</row>"
    return {
        # The file: no dimension, one cell at XFD150000 (calamine: 78 GB).
        "sparse": (funds_workbook(f'<row r="150000">{FAR}</row>', None), "缺少范围信息"),
        "sparse alone": (workbook(sheet_xml(f'<row r="150000">{FAR}</row>', None)), "缺少范围信息"),
        "dimension lying small": (funds_workbook(f'<row r="150000">{FAR}</row>'), "列数过多"),
        "huge dimension": (funds_workbook(dimension="A1:XFD1048576"), "行数过多"),
        "many columns": (workbook(sheet_xml(many_columns, "A1:ZZ1")), "列数过多"),
        "row a million down": (
            funds_workbook('<row r="1000000">' + text("A1000000", "x") + "</row>"),
            "第 1000000 行",
        ),
        "lower-case address": (funds_workbook('<row r="2"><c r="xfd2"><v>1</v></c></row>'), "列数过多"),
        "leading zeros": (funds_workbook('<row r="2"><c r="A000300000"><v>1</v></c></row>'), "行数过多"),
        # Inline strings without addresses: positions counted as python-calamine counts them.
        "implicit columns": (funds_workbook(implicit_columns), "列数过多"),
        "implicit row": (
            funds_workbook('<row r="300000"><c t="inlineStr"><is><t>x</t></is></c></row>'),
            "行数过多",
        ),
        "address after another attribute": (
            funds_workbook('<row r="2"><c t="n" r="XFD150000"><v>1</v></c></row>'),
            "列数过多",
        ),
        "namespace prefix": (
            workbook(
                f'<x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1:C2"/><x:sheetData><x:row r="1">'
                '<x:c r="A1"><x:v>1</x:v></x:c><x:c r="XFD150000"><x:v>1</x:v></x:c></x:row></x:sheetData>'
                "</x:worksheet>"
            ),
            "列数过多",
        ),
        # Inside the caps on rows and columns, but python-calamine would still allocate 200 × 100,000 positions.
        "sparse inside the caps": (funds_workbook(text("GR100000", "x")), "表格范围过大"),
        # The first sheet is the one the relationships name, not sheet1.xml.
        "another first sheet": (
            workbook(
                sheet_xml(HEADER + f'<row r="150000">{FAR}</row>'),
                target="worksheets/data.xml",
                parts={"xl/worksheets/sheet1.xml": sheet_xml(HEADER)},
            ),
            "列数过多",
        ),
        "utf-16": (workbook(sheet_xml(HEADER + ROW2).encode("utf-16")), "编码"),
        # Attributes read as python-calamine reads them, pair by pair.
        "a second address": (
            funds_workbook('<row r="2"><c r="A2" r="XFD150000"><v>1</v></c></row>'),
            "无法识别的属性",
        ),
        "an address inside another value": (
            funds_workbook('<row r="2"><c t=\' r="A2"\' r="XFD150000"><v>1</v></c></row>'),
            "列数过多",
        ),
        "a > inside a value": (
            funds_workbook('<row r="2"><c s=">" r="XFD150000"><v>1</v></c></row>'),
            "列数过多",
        ),
        "an unclosed quote swallowing cells": (
            funds_workbook('<row r="2"><c t="n><v>1</v></c>' + FAR + '<c t="">x</c></row>'),
            "无法识别的标记",
        ),
        "a > in the sheet's name": (
            funds_workbook(f'<row r="2">{FAR}</row>', name="甲>乙"),
            "列数过多",
        ),
    }


def test_the_import_page_and_the_command_refuse_the_sparse_file_and_the_worker_carries_on(
    county, client_for, tmp_path, settings
):
    client = client_for(county.reporter)
    sparse = funds_workbook(f'<row r="150000">{FAR}</row>', None)
    page = client.post(reverse("import_page"), {"kind": "funds", "file": SimpleUploadedFile("s.xlsx", sparse)})
    assert "工作表缺少范围信息（dimension）" in page.content.decode()
    (tmp_path / "sparse.xlsx").write_bytes(sparse)
    with pytest.raises(CommandError, match="缺少范围信息"):
        run_import("funds", tmp_path / "sparse.xlsx")
    # A parse that dies of its memory limit in the middle of a request: the same process, and its database
    # connection, go on to preview and commit the next file.
    settings.IMPORT_PARSE_MB = 20
    settings.IMPORT_MAX_CELLS = 10_000_000
    big = funds_workbook(text("T200000", "x"), "A1:T200000")
    page = client.post(reverse("import_page"), {"kind": "funds", "file": SimpleUploadedFile("b.xlsx", big)})
    assert "文件无法在限定的 20 MB 内存内读取" in page.content.decode()
    good = xlsx(tmp_path, [(county.project.code, format_month(add_months(current_month(), -1)), 7)])
    upload = SimpleUploadedFile("g.xlsx", good.read_bytes())
    preview = client.post(reverse("import_page"), {"kind": "funds", "file": upload})
    assert "预检 1 行：新增 1" in preview.content.decode()
    client.post(reverse("import_page"), {"commit": "1", "token": preview.context["token"]})
    assert MonthlyFunds.objects.get(project=county.project).amount == 7


@pytest.mark.parametrize("name", list(hostile_files()))
def test_it_refuses_a_sheet_reaching_too_far_quickly_with_a_chinese_message(name):
    data, words = hostile_files()[name]
    start = time.perf_counter()
    with pytest.raises(SheetRefused) as refused:
        read_sheet(data)
    assert time.perf_counter() - start < 2
    assert words in str(refused.value), str(refused.value)


def test_it_refuses_the_sparse_attack_and_its_relatives_in_under_2_s_and_200_mb(tmp_path):
    """A fresh process reads every hostile file: its peak memory, and its children's, stay under 200 MB."""
    paths = []
    for index, (data, _) in enumerate(hostile_files().values()):
        paths.append(tmp_path / f"hostile{index}.xlsx")
        paths[-1].write_bytes(data)
    script = (
        "import json, resource, sys, threading, time\n"
        "import django\n"
        "django.setup()\n"
        "from zhaoshang.sheets.reader import SheetRefused, read_sheet\n"
        "slowest = 0\n"
        "for path in sys.argv[1:]:\n"
        "    data = open(path, 'rb').read()\n"
        "    start = time.perf_counter()\n"
        "    try:\n"
        "        read_sheet(data)\n"
        "        print(json.dumps({'accepted': path}))\n"
        "        sys.exit(1)\n"
        "    except SheetRefused:\n"
        "        slowest = max(slowest, time.perf_counter() - start)\n"
        "for thread in threading.enumerate():  # the threads collecting the children, so that all are counted\n"
        "    if thread is not threading.main_thread():\n"
        "        thread.join()\n"
        # Its own peak is VmHWM, which starts afresh at exec: ru_maxrss of RUSAGE_SELF keeps the peak of the
        # process it was forked from (the test run, hundreds of MB late in the suite). Its children (the parsing
        # processes) are forked from this small one, so their ru_maxrss is theirs.
        "status = open('/proc/self/status').read()\n"
        "own = int(next(l for l in status.splitlines() if l.startswith('VmHWM:')).split()[1]) // 1024\n"
        "children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
        "print(json.dumps({'slowest': slowest, 'peak_mb': max(own, children)}))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, paths)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["slowest"] < 2 and report["peak_mb"] < 200, report


def test_it_survives_python_calamine_aborting_on_the_sparse_file():
    """Without the checks, python-calamine aborts on the sparse file (a failed 78 GB allocation ends the
    process): in the child, that is a refusal the worker can report."""
    data = funds_workbook(f'<row r="150000">{FAR}</row>', None)

    def build_the_sheet():
        return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).height

    with pytest.raises(ChildFailed) as failed:
        run_isolated(build_the_sheet, memory_mb=200, seconds=10)
    assert failed.value.reason == "memory"


def test_it_refuses_a_file_that_needs_more_memory_than_the_limit(settings):
    settings.IMPORT_PARSE_MB = 20
    settings.IMPORT_MAX_CELLS = 10_000_000
    data = funds_workbook(text("T200000", "x"), "A1:T200000")  # 4,000,000 positions: 128 MB
    with pytest.raises(SheetRefused, match="文件无法在限定的 20 MB 内存内读取"):
        read_sheet(data)
    assert read_sheet(funds_workbook(ROW2)).rows == [(2, ["P1", "2026-01", 5.0])]


def test_the_child_is_stopped_at_its_time_limit():
    read_end, write_end = os.pipe()
    start = time.perf_counter()
    try:
        with pytest.raises(ChildFailed) as failed:
            run_isolated(os.read, read_end, 1, memory_mb=50, seconds=0.3)  # waits for bytes nobody writes
    finally:
        os.close(read_end)
        os.close(write_end)
    assert failed.value.reason == "time" and time.perf_counter() - start < 2


def test_the_child_out_of_python_memory_is_a_failure_not_a_crash():
    with pytest.raises(ChildFailed) as failed:
        run_isolated(bytearray, 4 << 30, memory_mb=100, seconds=10)
    assert failed.value.reason == "memory"


def test_the_childs_result_and_exceptions_come_back():
    assert run_isolated(sorted, [3, 1, 2], memory_mb=50, seconds=10) == [1, 2, 3]
    with pytest.raises(SheetRefused, match="不行"):
        run_isolated(_refuse, "不行", memory_mb=50, seconds=10)


def _refuse(message):
    raise SheetRefused(message)


def test_the_childs_items_stream_back_and_an_exception_after_them_is_raised():
    assert stream_isolated(_count, 5, memory_mb=50, seconds=10) == [0, 1, 2, 3, 4]
    with pytest.raises(SheetRefused, match="第 3 项之后"):
        stream_isolated(_count, 3, "第 3 项之后", memory_mb=50, seconds=10)


def _count(up_to, then_refuse=None):
    yield from range(up_to)
    if then_refuse:
        raise SheetRefused(then_refuse)


@pytest.mark.parametrize(
    "cells,dimension",
    [
        (HEADER + ROW2, "A1:C2"),
        # Cells without addresses (as the Open XML SDK writes them) are placed as python-calamine places them.
        (
            "<row>"
            + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in ("项目编号", "月份", "到位资金"))
            + '</row><row><c t="inlineStr"><is><t>P1</t></is></c><c t="inlineStr"><is><t>2026-01</t></is></c>'
            "<c><v>5</v></c></row>",
            "A1:C2",
        ),
        # A streaming writer that declares only A1 and writes the rest after it.
        (HEADER + ROW2, "A1"),
    ],
)
def test_it_reads_ordinary_sheets_written_other_ways(cells, dimension):
    sheet = read_sheet(workbook(sheet_xml(cells, dimension)))
    assert sheet.headers == ["项目编号", "月份", "到位资金"] and sheet.rows == [(2, ["P1", "2026-01", 5.0])]


def test_it_reads_the_first_sheet_through_the_relationships():
    data = funds_workbook(ROW2, target="/xl/worksheets/data.xml")
    assert read_sheet(data).rows == [(2, ["P1", "2026-01", 5.0])]


def test_it_reads_an_xlsxwriter_file_up_to_the_caps(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    settings.IMPORT_MAX_COLUMNS = 3
    path = xlsx(tmp_path, [("P1", "2026-01", 1)] * 3)
    assert len(read_sheet(path.read_bytes()).rows) == 3
    with pytest.raises(SheetRefused, match="行数过多：工作表延伸到第 5 行"):
        read_sheet(xlsx(tmp_path, [("P1", "2026-01", 1)] * 4).read_bytes())
    with pytest.raises(SheetRefused, match="列数过多"):
        read_sheet(xlsx(tmp_path, [("P1", "2026-01", 1, "备注")]).read_bytes())


def test_an_empty_xlsxwriter_sheet_is_refused_as_empty():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    book.add_worksheet()
    book.close()
    with pytest.raises(SheetRefused, match="工作表是空的"):
        read_sheet(buffer.getvalue())


def test_every_template_of_the_product_still_reads(county):
    for kind in kinds_for(county.bureau):
        sheet = read_sheet(template_bytes(kind, actor=county.bureau, month=current_month()))
        assert sheet.headers[0], kind


def test_the_cell_and_text_counts_are_capped(settings):
    settings.IMPORT_MAX_CELLS = 50
    same_cell = '<row r="2">' + '<c r="A2"><v>1</v></c>' * 60 + "</row>"
    with pytest.raises(SheetRefused, match="单元格过多"):
        read_sheet(funds_workbook(same_cell))
    strings = "<sst>" + "<si><t>x</t></si>" * 60 + "</sst>"
    with pytest.raises(SheetRefused, match="文字过多"):
        read_sheet(funds_workbook(ROW2, parts={"xl/sharedStrings.xml": strings}))


def test_parts_python_calamine_would_confuse_are_refused():
    data = funds_workbook(ROW2, parts={"XL/worksheets/SHEET1.xml": sheet_xml(HEADER)})
    with pytest.raises(SheetRefused, match="重名"):
        read_sheet(data)
    with pytest.raises(SheetRefused, match="其他表格格式"):
        read_sheet(funds_workbook(ROW2, parts={"content.xml": "<x/>"}))
