"""How far the first worksheet of an uploaded .xlsx reaches, read from its XML before any library builds it.

python-calamine gives a sheet one cell for every position between its first and its last cell: a 1.7 KB file
with a value in A1 and one in XFD150000 asks it for 78 GB, and the failed allocation aborts the process. So
the sheet python-calamine will read (the first of xl/workbook.xml, through its relationships, as
python-calamine finds it) is streamed here first, a megabyte at a time, and refused when it declares no
<dimension>, or when its declared or its actual extent passes the caps on rows, columns or cells.

The common case is fast: the sheets Excel, WPS, LibreOffice, openpyxl and xlsxwriter write give every cell its
address (`<c r="B7"`) and declare a dimension that holds them all, so one regular expression finds the cells
outside the declared dimension (usually none) without Python looking at each cell. A sheet written any other
way (cells without an address, another attribute first, a namespace prefix) is walked tag by tag, counting
positions the way python-calamine does. Comments and the like are not skipped: a cell written inside one is
counted too, which can only make the scan stricter.
"""

import re
import zipfile
from dataclasses import dataclass

CHUNK = 1 << 20
MAX_PART = 8 << 20  # the workbook and its relationships are read whole: a few KB in any real workbook
MAX_TEXT_RUN = 4 << 20  # Excel keeps at most 32,767 characters in a cell; text this long is no worksheet
SMALLEST_CELL = len('<c r="A1"/>')  # every cell the fast scan accepts is written at least this long
RESAVE = "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入"

_PREFIX = rb"(?:[A-Za-z_][\w.\-]*:)?"  # an element's optional namespace prefix
_ATTRIBUTES = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"  # up to the tag's end: a quoted value may hold a `>`
_MARKUP = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_SHEET = re.compile(rb"<" + _PREFIX + rb"sheet(?=[\s/>])" + _ATTRIBUTES)
_RELATIONSHIP = re.compile(rb"<" + _PREFIX + rb"Relationship(?=[\s/>])" + _ATTRIBUTES)
_DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension(?=[\s/>])" + _ATTRIBUTES)
_SHEETDATA = re.compile(rb"<" + _PREFIX + rb"sheetData(?=[\s/>])" + _ATTRIBUTES)
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.\-]*:c(?=[\s/>])")
_ADDRESS = re.compile(rb"([A-Za-z]{1,7})(\d{1,12})")
_TAG = re.compile(rb"<(/?)" + _PREFIX + rb"(row|c)(?=[\s/>])" + _ATTRIBUTES)
_TAG_START = re.compile(rb"</?" + _PREFIX + rb"(?:row|c)(?=[\s/>])")
# One attribute as python-calamine reads them: a key up to `=`, then a quoted value.
_PAIR = re.compile(rb"\s*([^=]*?)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# The rest of a cell's start tag as Excel, WPS, LibreOffice, openpyxl and xlsxwriter write it: its other
# attributes (s, t, cm, vm, ph; none of them a second r) with plain double-quoted values.
_PLAIN_REST = rb'(?: [stcmvph]{1,2}="[^"<>]*")*/?>'


class Refusal(Exception):
    """The sheet cannot be read safely; the message says why, in Chinese."""


@dataclass(frozen=True)
class Caps:
    rows: int  # data rows; the header row comes on top
    columns: int
    cells: int  # rows × columns of the extent, and the cells and shared texts written


def sheet_refusal(archive: zipfile.ZipFile, caps: Caps) -> str | None:
    """Why the first sheet cannot be read safely, or None when it fits the caps."""
    try:
        _scan(archive, caps)
    except Refusal as refusal:
        return str(refusal)
    return None


def member(archive: zipfile.ZipFile, path: str) -> zipfile.ZipInfo | None:
    """The member python-calamine opens for `path`: names compared case-insensitively, `\\` read as `/`."""
    wanted = path.lower()
    for info in archive.infolist():
        if info.filename.replace("\\", "/").lower() == wanted:
            return info
    return None


def first_sheet(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """The first sheet of xl/workbook.xml as python-calamine resolves it; None when there is none (python-calamine
    then fails on the workbook itself)."""
    workbook = member(archive, "xl/workbook.xml")
    relationships = member(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or relationships is None:
        return None
    sheet = _SHEET.search(_part(archive, workbook))
    if sheet is None:
        return None
    ids = [value for key, value in _attributes(sheet.group(1)).items() if key in (b"r:id", b"relationships:id")]
    target = None
    for relationship in _RELATIONSHIP.finditer(_part(archive, relationships)):
        attributes = _attributes(relationship.group(1))
        if ids and attributes.get(b"Id") == ids[0]:
            target = attributes.get(b"Target")  # the last one wins, as in python-calamine
    if len(ids) != 1 or target is None:
        return None
    path = target.decode("utf-8", "replace")
    if path.startswith("/xl/"):
        path = path[1:]
    elif not path.startswith("xl/"):
        path = "xl/" + path
    return member(archive, path)


def _scan(archive: zipfile.ZipFile, caps: Caps) -> None:
    info = first_sheet(archive)
    if info is None:
        raise Refusal(f"工作簿结构异常（找不到第一个工作表），{RESAVE}")
    strings = member(archive, "xl/sharedStrings.xml")
    if strings is not None:
        _count_strings(archive, strings, caps)
    extent = _Extent(caps)
    with archive.open(info) as stream:
        body = _body(stream, info.filename, extent)
        if body is None:
            return  # no <sheetData>: python-calamine places nothing
        fast = _FastScan(extent, count_cells=info.file_size > caps.cells * SMALLEST_CELL)
        if all(fast.piece(piece) for piece in body):
            return
    # Some cell is written another way: walk the whole sheet again, tag by tag.
    extent = _Extent(caps)
    with archive.open(info) as stream:
        _slow_walk(_body(stream, info.filename, extent), extent)


def _body(stream, name: str, extent: "_Extent"):
    """The pieces of the sheet from <sheetData> on, after checking the dimension declared before it; None when
    the sheet has no <sheetData>."""
    pieces = _pieces(stream)
    head = []
    for piece in pieces:
        if not head:
            _check_encoding(piece, name)
        start = _SHEETDATA.search(piece)
        if start is not None:
            extent.declared(b"".join(head) + piece[: start.start()])
            return _chain(piece[start.start() :], pieces)
        head.append(piece)
        if sum(map(len, head)) > MAX_PART:
            raise Refusal(f"工作表结构异常（表格数据之前的部分过大），{RESAVE}")
    return None


def _chain(first: bytes, rest):
    yield first
    yield from rest


def _pieces(stream):
    """The part's bytes in pieces that each end just before a `<`, so that no tag is cut in two."""
    carry = b""
    while chunk := stream.read(CHUNK):
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut > 0:
            yield buffer[:cut]
            carry = buffer[cut:]
        else:
            carry = buffer
        if len(carry) > MAX_TEXT_RUN:
            raise Refusal(f"工作表含有超长的内容（超过 Excel 单元格的长度上限），{RESAVE}")
    if carry:
        yield carry


class _Extent:
    """The caps, the declared dimension, the largest row and column seen and the number of cells."""

    def __init__(self, caps: Caps):
        self.caps = caps
        self.last_row = caps.rows + 1  # the header row, then the data rows
        self.rows = self.columns = 1  # the declared dimension's last row and column, then the largest seen
        self.cells = 0

    def declared(self, head: bytes) -> None:
        dimensions = list(_DIMENSION.finditer(_MARKUP.sub(b"", head)))
        if not dimensions:
            raise Refusal(f"工作表缺少范围信息（dimension），无法安全读取；{RESAVE}")
        for dimension in dimensions:  # python-calamine keeps the last one; every one must fit
            ref = _attributes(dimension.group(1)).get(b"ref", b"")
            corners = [_ADDRESS.fullmatch(corner) for corner in ref.split(b":")]
            if not 1 <= len(corners) <= 2 or None in corners:
                shown = ref[:40].decode("ascii", "replace")
                raise Refusal(f"工作表的范围信息（dimension）无法识别：{shown}；{RESAVE}")
            for corner in corners:
                self.see(int(corner.group(2)), _column_number(corner.group(1)), f"范围信息 {ref.decode()}")

    def see(self, row: int, column: int, where) -> None:
        """`where` names the place for the message: a string, or a function called only when refusing."""
        area = max(self.rows, row) * max(self.columns, column)
        if row > self.last_row or column > self.caps.columns or area > self.caps.cells:
            self._refuse(row, column, where() if callable(where) else where)
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)

    def _refuse(self, row: int, column: int, where: str) -> None:
        if row > self.last_row:
            raise Refusal(f"行数过多：工作表延伸到第 {row} 行（{where}），上限 {self.caps.rows} 行（另加表头）")
        if column > self.caps.columns:
            raise Refusal(
                f"列数过多：工作表延伸到第 {column} 列（{where}），"
                f"上限 {self.caps.columns} 列（{_column_name(self.caps.columns)} 列）"
            )
        # python-calamine allocates every position of the extent, whether a cell is there or not.
        rows, columns = max(self.rows, row), max(self.columns, column)
        raise Refusal(
            f"表格范围过大：延伸到第 {rows} 行、第 {columns} 列（{where}），"
            f"共 {rows * columns} 个单元格位置，上限 {self.caps.cells} 个；请删除多余的行列或拆分后导入"
        )

    def count(self, cells: int) -> None:
        self.cells += cells
        if self.cells > self.caps.cells:
            raise Refusal(f"单元格过多：超过 {self.caps.cells} 个，请拆分成几个文件分别导入")


class _FastScan:
    """Cells inside the declared dimension, written as those writers write them (`<c r="B7" s="1" t="s">`), are
    passed over by the regular expression; every other cell tag is a hit: an address outside the dimension is
    checked against the caps, any other way of writing a cell sends the sheet to the slow walk."""

    def __init__(self, extent: _Extent, *, count_cells: bool):
        self.extent = extent
        self.count_cells = count_cells
        columns = _up_to_letters(_column_name(extent.columns))
        rows = _up_to_digits(extent.rows)
        self.hits = re.compile(
            rb'<c(?=[\s/>])(?! r="(?:%s)(?:%s)"%s)(?: r="([A-Za-z]{1,7})(\d{1,12})"%s)?'
            % (columns, rows, _PLAIN_REST, _PLAIN_REST)
        )

    def piece(self, body: bytes) -> bool:
        if self.count_cells:
            self.extent.count(body.count(b"<c"))
        if b":c" in body and _PREFIXED_CELL.search(body):
            return False
        hits = self.hits.findall(body)
        if not hits:
            return True
        letters = {letters for letters, _ in hits}
        if b"" in letters:
            return False
        row = max(map(int, (digits for _, digits in hits)))
        column = max(map(_column_number, letters))

        def where() -> str:
            for letters_, digits in hits:
                if int(digits) == row or _column_number(letters_) == column:
                    return f"单元格 {letters_.decode()}{digits.decode()}"
            return ""

        self.extent.see(row, column, where)
        return True


def _slow_walk(body, extent: _Extent) -> None:
    """Positions as python-calamine counts them: a cell without an address follows the previous cell of its row,
    a row without a number follows the previous row. Markup python-calamine skips (comments, CDATA) is refused
    here, since a tag inside it would move the count where python-calamine's does not go."""
    row, column, in_cell = 1, 1, False  # the next row's number and the next cell's column, 1-based
    for piece in body:
        if b"<!" in piece or b"<?" in piece:
            raise Refusal(f"工作表含有注释等特殊内容，无法安全读取；{RESAVE}")
        cells = 0
        tags = _TAG.findall(piece)
        if len(tags) != len(_TAG_START.findall(piece)):  # a tag cut short, or swallowed by an unclosed quote
            raise Refusal(f"工作表结构异常（无法识别的标记），{RESAVE}")
        for closing, name, raw in tags:
            empty = raw.rstrip().endswith(b"/")
            attributes = _attributes(raw)
            if in_cell and not (closing and name == b"c"):
                raise Refusal(f"工作表结构异常（单元格中嵌套了行或单元格），{RESAVE}")
            if closing:
                if name == b"row":
                    row, column = row + 1, 1
                else:
                    in_cell = False
                continue
            if name == b"row":
                number = attributes.get(b"r")
                if number is not None:
                    if not number.isdigit() or len(number) > 12:
                        raise Refusal(f"工作表的行号无法识别：{number[:20].decode('ascii', 'replace')}；{RESAVE}")
                    row = int(number)
                if empty:
                    row, column = row + 1, 1
                continue
            cells += 1
            address = attributes.get(b"r")
            cell_row = row
            if address is not None:
                found = _ADDRESS.fullmatch(address)
                if found is None:
                    shown = address[:20].decode("ascii", "replace")
                    raise Refusal(f"工作表的单元格地址无法识别：{shown}；{RESAVE}")
                cell_row, column = int(found.group(2)), _column_number(found.group(1))
            extent.see(cell_row, column, f"单元格 {_column_name(column)}{cell_row}")
            column += 1
            in_cell = not empty
        extent.count(cells)


def _count_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, caps: Caps) -> None:
    """python-calamine keeps every shared text in memory before it reads any sheet."""
    strings = 0
    with archive.open(info) as stream:
        for index, piece in enumerate(_pieces(stream)):
            if index == 0:
                _check_encoding(piece, info.filename)
            strings += piece.count(b"<si") + piece.count(b":si")
            if strings > caps.cells:
                raise Refusal(f"工作簿中的文字过多：超过 {caps.cells} 条，请拆分成几个文件分别导入")


def _part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A small part read whole, without its comments (python-calamine skips them)."""
    if info.file_size > MAX_PART:
        raise Refusal(f"工作簿结构异常（{info.filename} 过大），{RESAVE}")
    with archive.open(info) as part:
        text = part.read(MAX_PART + 1)
    _check_encoding(text, info.filename)
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise Refusal(f"工作簿含有不允许的 XML 声明（{info.filename}），{RESAVE}")
    return _MARKUP.sub(b"", text)


def _check_encoding(head: bytes, name: str) -> None:
    # These scans read bytes: a part in UTF-16 would hide its tags from them.
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4096]:
        raise Refusal(f"工作簿的编码不是 UTF-8（{name}），{RESAVE}")


def _attributes(raw: bytes) -> dict[bytes, bytes]:
    """A tag's attributes, raw (python-calamine does not unescape the ones read here), read pair by pair as
    python-calamine reads them. A name twice, or anything but pairs, is refused: which of two values
    python-calamine would take depends on the attributes around them."""
    raw = raw.rstrip()
    if raw.endswith(b"/"):  # an empty element's `/>`
        raw = raw[:-1]
    found: dict[bytes, bytes] = {}
    position = 0
    while position < len(raw):
        pair = _PAIR.match(raw, position)
        if pair is None or pair.group(1) in found:
            shown = raw[:60].decode("utf-8", "replace")
            raise Refusal(f"工作簿结构异常（无法识别的属性：{shown}），{RESAVE}")
        found[pair.group(1)] = pair.group(2) if pair.group(2) is not None else pair.group(3)
        position = pair.end()
    return found


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _column_name(number: int) -> str:
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _up_to_letters(name: str) -> bytes:
    """A pattern for the column letters from A up to `name`, either case."""
    options = [f"[A-Za-z]{{1,{len(name) - 1}}}"] if len(name) > 1 else []
    options.append("".join(f"[{c}{c.lower()}]" for c in name))
    for i, letter in enumerate(name):
        if letter != "A":
            before = chr(ord(letter) - 1)
            same = "".join(f"[{c}{c.lower()}]" for c in name[:i])
            options.append(same + f"[A-{before}a-{before.lower()}]" + "[A-Za-z]" * (len(name) - i - 1))
    return "|".join(options).encode()


def _up_to_digits(number: int) -> bytes:
    """A pattern for the row numbers from 1 up to `number`, written without leading zeros."""
    text = str(number)
    options = [rf"[1-9]\d{{0,{len(text) - 2}}}"] if len(text) > 1 else []
    options.append(text)
    for i, digit in enumerate(text):
        lowest = "1" if i == 0 else "0"
        if digit > lowest:
            options.append(text[:i] + f"[{lowest}-{int(digit) - 1}]" + r"\d" * (len(text) - i - 1))
    return "|".join(options).encode()
