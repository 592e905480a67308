"""The 公文-style Word document every paper of the product is (the bulletin, the meeting minutes): A4 portrait,
公文 margins, 宋体 title, 仿宋 三号 body, page numbers "— N —", then its tables on landscape pages. A table is
described once (TableSpec) and drawn here, and by the xlsx writers as numbers."""

from dataclasses import dataclass, field
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor


@dataclass
class Row:
    values: list[str]  # as shown
    raw: list  # numbers as numbers, for the spreadsheet
    light: str | None = None


@dataclass
class TableSpec:
    title: str
    headers: list[str]
    numeric: set = field(default_factory=set)
    light_column: int | None = None
    rows: list[Row] = field(default_factory=list)
    empty: str = "无"
    wide: dict = field(default_factory=dict)  # column → width in mm for the columns that hold names
    font_size: float = 10.5


BODY_FONT, TITLE_FONT, TABLE_FONT = "仿宋", "宋体", "宋体"
PORTRAIT_TEXT_MM = 210 - 28 - 26
TABLE_TEXT_MM = 297 - 25 - 25
LIGHT_FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}


def _font(run_or_style, name: str, size: float, bold: bool = False):
    font = run_or_style.font
    font.name, font.size, font.bold = name, Pt(size), bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _page_number_footer(section):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run("— ")
    _font(run, TABLE_FONT, 12)
    field = paragraph.add_run()
    _font(field, TABLE_FONT, 12)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            field._r.append(char)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            field._r.append(instr)
        else:
            placeholder = OxmlElement("w:t")
            placeholder.text = text
            field._r.append(placeholder)
    tail = paragraph.add_run(" —")
    _font(tail, TABLE_FONT, 12)


def _shade(cell, fill: str):
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _table(document, spec: TableSpec):
    heading = document.add_paragraph()
    _font(heading.add_run(spec.title), "黑体", 14)
    if not spec.rows:
        _font(document.add_paragraph().add_run(spec.empty), BODY_FONT, 12)
        return
    table = document.add_table(rows=1, cols=len(spec.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    rest = len(spec.headers) - len(spec.wide)
    share = (PORTRAIT_TEXT_MM - sum(spec.wide.values())) / rest if rest else 0
    planned = [spec.wide.get(i, share) for i in range(len(spec.headers))]
    scale = TABLE_TEXT_MM / sum(planned)  # the widths are planned for portrait; the tables sit in landscape
    widths = [Mm(w * scale) for w in planned]
    # Word reads the cells' widths, LibreOffice and WPS the grid's: set both, with a fixed layout.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for cell, text, width in zip(table.rows[0].cells, spec.headers, widths, strict=True):
        cell.width = width
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), TABLE_FONT, spec.font_size, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, "D9E2F3")
    for row in spec.rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row.values, strict=True)):
            cell.width = widths[index]
            cell.text = ""
            _font(cell.paragraphs[0].add_run(value), TABLE_FONT, spec.font_size)
            if index in spec.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if row.light in LIGHT_FILL and spec.light_column is not None:
            _shade(cells[spec.light_column], LIGHT_FILL[row.light])
    document.add_paragraph()


def render_document(
    *, title: str, byline: str, paragraphs: list[str], tables: list[TableSpec], draft: bool = False
) -> bytes:
    """A 公文-style document: the title, a byline, the body in 仿宋 三号, then the tables on landscape pages."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _font(document.styles["Normal"], BODY_FONT, 16)
    _page_number_footer(section)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(title), TITLE_FONT, 22, bold=True)
    byline_paragraph = document.add_paragraph()
    byline_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = byline_paragraph.add_run(byline)
    _font(run, BODY_FONT, 14)
    if draft:
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)

    for paragraph_text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.line_spacing = Pt(28)
        _font(paragraph.add_run(paragraph_text), BODY_FONT, 16)

    if tables:
        # The tables follow on landscape pages, where a row of figures fits on one line.
        annex = document.add_section(WD_SECTION.NEW_PAGE)
        annex.orientation = WD_ORIENT.LANDSCAPE
        annex.page_width, annex.page_height = Mm(297), Mm(210)
        annex.top_margin = annex.bottom_margin = annex.left_margin = annex.right_margin = Mm(25)
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(heading.add_run("附表"), "黑体", 16)
        for spec in tables:
            _table(document, spec)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
