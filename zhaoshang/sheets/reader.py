"""Reading an uploaded .xlsx safely. The archive is checked first (size, an .xlsx and nothing else, no zip
bomb); then, in a child process with a memory and a time limit (sheets.isolated), the first sheet's extent is
read from its XML and checked against the caps (sheets.extent) before python-calamine builds it, and its rows
come back to the worker. Every refusal is a SheetRefused with a Chinese message."""

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from itertools import chain

from django.conf import settings
from python_calamine import CalamineWorkbook

from zhaoshang.sheets.extent import Caps, sheet_refusal
from zhaoshang.sheets.isolated import ChildFailed, stream_isolated

# Parts of the other formats python-calamine tries when a workbook does not open as .xlsx.
_OTHER_FORMATS = {"xl/workbook.bin", "content.xml"}
ROWS_PER_MESSAGE = 2000  # rows the child sends at a time: the worker unpickles them while it reads the next


class SheetRefused(Exception):
    pass


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (Excel row number, cell values)
    sha256: str


def _check_container(data: bytes) -> None:
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise SheetRefused(
            f"文件过大：{len(data) / 1024 / 1024:.1f} MB，上限 {settings.IMPORT_MAX_BYTES // 1024 // 1024} MB"
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SheetRefused("这是旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetRefused("文件不是 .xlsx 格式（内容不是 Excel 工作簿）")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise SheetRefused("文件不是 .xlsx 格式（缺少工作簿内容）")
        # python-calamine finds parts by name case-insensitively, reading `\\` as `/`: two parts that it would
        # take for one could show the checks one sheet and python-calamine another.
        folded = {name.replace("\\", "/").lower() for name in archive.namelist()}
        if len(folded) < len(archive.namelist()):
            raise SheetRefused("文件结构异常（含有重名的部件），请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
        if folded & _OTHER_FORMATS:
            raise SheetRefused("文件不是 .xlsx 格式（含有其他表格格式的内容）")
        total = 0
        for member in archive.infolist():
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > settings.IMPORT_MAX_RATIO or total > settings.IMPORT_MAX_UNCOMPRESSED:
                raise SheetRefused("文件解压后体积异常（疑似压缩炸弹），已拒绝")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(data: bytes) -> Sheet:
    _check_container(data)
    caps = Caps(rows=settings.IMPORT_MAX_ROWS, columns=settings.IMPORT_MAX_COLUMNS, cells=settings.IMPORT_MAX_CELLS)
    memory, seconds = settings.IMPORT_PARSE_MB, settings.IMPORT_PARSE_SECONDS
    try:
        headers, *chunks = stream_isolated(_read_rows, data, caps, memory_mb=memory, seconds=seconds)
    except ChildFailed as failure:
        limit = f"{seconds} 秒" if failure.reason == "time" else f"{memory} MB 内存"
        raise SheetRefused(f"文件无法在限定的 {limit}内读取，已拒绝；请删除多余的内容或拆分后再导入") from None
    rows = chunks[0] if len(chunks) == 1 else list(chain.from_iterable(chunks))
    return Sheet(headers=headers, rows=rows, sha256=hashlib.sha256(data).hexdigest())


def _read_rows(data: bytes, caps: Caps):
    """Runs in the child process: yields the header, then the non-empty rows of the first sheet in chunks,
    each sent to the worker while the next is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            refusal = sheet_refusal(archive, caps)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:  # a damaged or exotic part
        raise SheetRefused(f"文件已损坏或格式不受支持，无法读取：{exc}") from None
    if refusal:
        raise SheetRefused(refusal)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine's own errors, and a panic in its Rust code (a BaseException)
        raise SheetRefused(f"无法读取工作簿：{exc}") from None
    rows = []
    headers: list[str] | None = None
    max_rows, count = caps.rows, 0
    for index, values in enumerate(sheet.iter_rows(), start=1):
        if headers is None:
            headers = [_text(v) for v in values]
            yield headers
            continue
        if values.count("") + values.count(None) == len(values):  # list.count runs in C: cheap on 100,000 rows
            continue
        count += 1
        if count > max_rows:
            raise SheetRefused(f"行数过多，上限 {max_rows} 行")
        rows.append((index, values))
        if len(rows) == ROWS_PER_MESSAGE:
            yield rows
            rows = []
    if headers is None:
        raise SheetRefused("工作表是空的")
    yield rows
