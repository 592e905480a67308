"""Reading back what an xlsx holds, cell by cell: the stored value, whether it is a number or text, and the number
format Excel shows it with (python-calamine gives values only). Straight from the file's XML, no library of ours."""

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
BUILT_IN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00"}


@dataclass
class Cell:
    value: object  # float for a number, str for text
    is_number: bool
    number_format: str


def _text(element) -> str:
    """A string item's text, with the file's _xHHHH_ escapes (a carriage return is _x000D_) decoded."""
    text = "".join(t.text or "" for t in element.iter(f"{{{NS['m']}}}t"))
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group()
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def read_cells(content: bytes) -> dict[str, dict[tuple[int, int], Cell]]:
    """{sheet name: {(row, column) counted from 1: Cell}}."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    shared = []
    if "xl/sharedStrings.xml" in archive.namelist():
        for item in ElementTree.fromstring(archive.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append(_text(item))
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    custom = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{{{NS['m']}}}numFmt")}
    formats = [
        {**BUILT_IN_FORMATS, **custom}.get(int(xf.get("numFmtId", 0)), "General")
        for xf in styles.find("m:cellXfs", NS).findall("m:xf", NS)
    ]
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", NS)}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    result = {}
    for sheet in book.find("m:sheets", NS).findall("m:sheet", NS):
        target = targets[sheet.get(f"{{{NS['r']}}}id")].lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        cells = {}
        for c in ElementTree.fromstring(archive.read(path)).iter(f"{{{NS['m']}}}c"):
            ref, kind = c.get("r"), c.get("t")
            raw = c.find("m:v", NS)
            inline = c.find("m:is", NS)
            if kind == "s":
                value, number = shared[int(raw.text)], False
            elif kind == "inlineStr":
                value, number = _text(inline), False
            elif raw is None:
                continue
            elif kind in ("str", "b", "e"):
                value, number = raw.text, False
            else:
                value, number = float(raw.text), True
            row = int(re.search(r"\d+", ref).group())
            cells[(row, _column(ref))] = Cell(value, number, formats[int(c.get("s", 0))])
        result[sheet.get("name")] = cells
    return result


def rows(cells: dict[tuple[int, int], Cell]) -> list[list[Cell | None]]:
    """The cells as rows (row 1 first), None where a row has no cell."""
    if not cells:
        return []
    height, width = max(r for r, _ in cells), max(c for _, c in cells)
    return [[cells.get((r, c)) for c in range(1, width + 1)] for r in range(1, height + 1)]


def content(response) -> bytes:
    """The body of an answer, a streamed one (a list export) or not; a stream is read once and kept."""
    if not response.streaming:
        return response.content
    if not hasattr(response, "streamed_body"):
        response.streamed_body = b"".join(response.streaming_content)
    return response.streamed_body
