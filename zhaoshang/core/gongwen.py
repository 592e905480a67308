"""The 公文-style Word document every paper of the product is (the bulletin, the meeting minutes): A4 portrait,
GB/T 9704 margins (天头 37mm, 订口 28mm: a 156 × 225mm 版心), 仿宋 三号 body, page numbers "— N —" in 4号宋体
on the outside of the page, then its tables on landscape pages. A table is described once (TableSpec) and drawn
here, and by the xlsx writers as numbers. The full 公文 with 版头 and 版记, and the 简报, are core.redhead."""

import re
from copy import deepcopy
from dataclasses import dataclass, field
from io import BytesIO
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree


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
    # A list shown in part (its worst N): how many it holds in all, and the words for the rest, with {rest} for
    # their number ("另有{rest}个项目，详见附表"). None: the rows are the whole list.
    total: int | None = None
    more: str = "另有{rest}项，详见附表"

    @property
    def rest(self) -> int:
        """How many of the list are not among its rows."""
        return max(0, self.total - len(self.rows)) if self.total is not None else 0

    @property
    def rest_words(self) -> str:
        return self.more.format(rest=self.rest)


# The fonts GB/T 9704 names. Word and WPS on an office's machine have them; where one is missing, the font table
# names the nearest one every Chinese Windows has (declare_fonts), and the PDF converter maps them to Noto CJK.
BODY_FONT, TITLE_FONT, TABLE_FONT = "仿宋", "宋体", "宋体"
SMALL_TITLE_FONT, HEADING_FONT, KAI_FONT = "方正小标宋简体", "黑体", "楷体"
FONT_FALLBACKS = {"方正小标宋简体": "宋体", "仿宋": "仿宋_GB2312", "楷体": "楷体_GB2312", "黑体": "SimHei"}
PORTRAIT_TEXT_MM = 210 - 28 - 26
TABLE_TEXT_MM = 297 - 25 - 25
LIGHT_FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}


def set_font(run_or_style, name: str, size: float, bold: bool = False):
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


def _page_field(paragraph):
    """'— N —': the PAGE field between two 一字线 (GB/T 9704 7.5), in 4号半角宋体."""
    set_font(paragraph.add_run("— "), TABLE_FONT, 14)
    field = paragraph.add_run()
    set_font(field, TABLE_FONT, 14)
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
    set_font(paragraph.add_run(" —"), TABLE_FONT, 14)


def _page_number_footer(section):
    """Odd pages' number on the right, even pages' on the left, one character in from the edge of the 版心
    (the outside of a page printed on both sides), 7mm below it."""
    section.footer_distance = Mm(22)
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_field(even)


def declare_fonts(document):
    """Name each 公文 font's stand-in in the font table (w:altName), for a machine without it."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if name == "黑体" else "roman"}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FONT_FALLBACKS.items()
    )
    part._blob = part.blob.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")


def start_document() -> Document:
    """An A4 portrait document with GB/T 9704's 版心, body style and page numbers."""
    document = Document()
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    set_font(document.styles["Normal"], BODY_FONT, 16)
    _page_number_footer(section)
    declare_fonts(document)
    return document


def _shading(fill: str):
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    return shading


def _shade(cell, fill: str):
    cell._tc.get_or_add_tcPr().append(_shading(fill))


def _row_props(row, *, header: bool):
    """Every row stays whole on one page (w:cantSplit); the header row repeats on each page (w:tblHeader)."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _cell_style(document, size: float, *, numeric: bool) -> str:
    """A paragraph style for the cells of a table (宋体 at `size`, numbers right-aligned), made once per document:
    a cell names it instead of carrying its own font and alignment."""
    name = f"表格{'数字' if numeric else '文字'}{size:g}"
    if name not in [style.name for style in document.styles]:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        set_font(style, TABLE_FONT, size)
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.first_line_indent = Pt(0)
        if numeric:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return name


MARK = "\ue000"  # a private-use character: where a cell's text goes in the template row's XML
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
_DECLARATION = re.compile(r' xmlns:\w+="[^"]*"')
ROWS_PER_PARSE = 500


def _template_row(table, document, spec: TableSpec, widths: list):
    """One styled body row, each cell's text a MARK: every row of the table is a copy of its XML with the texts
    put in, so a table of thousands of rows costs a string join per row, not python-docx's styling of each cell."""
    row = table.add_row()
    _row_props(row, header=False)
    text_style = document.styles[_cell_style(document, spec.font_size, numeric=False)]
    number_style = document.styles[_cell_style(document, spec.font_size, numeric=True)]
    for index, (cell, width) in enumerate(zip(row.cells, widths, strict=True)):
        cell.width = width
        numeric = index in spec.numeric
        cell.paragraphs[0].style = number_style if numeric else text_style
        if numeric:  # a number is never broken over two lines; a name column is the one that wraps
            cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
        text = OxmlElement("w:t")
        text.set(qn("xml:space"), "preserve")
        text.text = MARK
        run = OxmlElement("w:r")
        run.append(text)
        cell.paragraphs[0]._p.append(run)
    template = row._tr
    table._tbl.remove(template)
    return template


def _row_pieces(template, fill: str | None, light_column: int | None) -> list[str]:
    """The template row's XML split at its cells' texts, with the lit cell shaded `fill`."""
    row = deepcopy(template)
    if fill is not None and light_column is not None:
        props = list(row.iterchildren(qn("w:tc")))[light_column].find(qn("w:tcPr"))
        no_wrap = props.find(qn("w:noWrap"))
        if no_wrap is None:
            props.append(_shading(fill))
        else:
            no_wrap.addprevious(_shading(fill))  # w:shd comes before w:noWrap in a cell's properties
    return _DECLARATION.sub("", etree.tostring(row, encoding="unicode")).split(MARK)


def _text(value) -> str:
    return xml_escape(_NOT_XML.sub("", str(value)))


def _body_rows(table, template, spec: TableSpec):
    """The rows of `spec` as copies of the template row's XML, parsed a few hundred at a time into the table."""
    pieces = {}
    chunk = []
    for number, row in enumerate(spec.rows, start=1):
        fill = LIGHT_FILL.get(row.light) if spec.light_column is not None else None
        parts = pieces.get(fill) or pieces.setdefault(fill, _row_pieces(template, fill, spec.light_column))
        texts = [_text(value) for value in row.values]
        chunk.append("".join(part + text for part, text in zip(parts, [*texts, ""], strict=True)))
        if len(chunk) == ROWS_PER_PARSE or number == len(spec.rows):
            table._tbl.extend(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(chunk)}</w:tbl>"))
            chunk = []


def add_table(document, spec: TableSpec, *, heading_font: str = "黑体"):
    heading = document.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    set_font(heading.add_run(spec.title), heading_font, 14)
    if not spec.rows:
        set_font(document.add_paragraph().add_run(spec.empty), BODY_FONT, 12)
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
    _row_props(table.rows[0], header=True)
    for cell, text, width in zip(table.rows[0].cells, spec.headers, widths, strict=True):
        cell.width = width
        cell.text = ""
        set_font(cell.paragraphs[0].add_run(text), TABLE_FONT, spec.font_size, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, "D9E2F3")
    _body_rows(table, _template_row(table, document, spec, widths), spec)
    if spec.rest:
        note = document.add_paragraph()
        set_font(note.add_run(spec.rest_words), BODY_FONT, 12)
    document.add_paragraph()


def landscape_section(document):
    """A new landscape page for tables, where a row of figures fits on one line."""
    annex = document.add_section(WD_SECTION.NEW_PAGE)
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.page_width, annex.page_height = Mm(297), Mm(210)
    annex.top_margin = annex.bottom_margin = annex.left_margin = annex.right_margin = Mm(25)
    annex.footer_distance = Mm(15)
    return annex


def to_bytes(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_document(
    *, title: str, byline: str, paragraphs: list[str], tables: list[TableSpec], draft: bool = False
) -> bytes:
    """A 公文-style document: the title, a byline, the body in 仿宋 三号, then the tables on landscape pages."""
    document = start_document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(heading.add_run(title), TITLE_FONT, 22, bold=True)
    byline_paragraph = document.add_paragraph()
    byline_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = byline_paragraph.add_run(byline)
    set_font(run, BODY_FONT, 14)
    if draft:
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)

    for paragraph_text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.line_spacing = Pt(28)
        set_font(paragraph.add_run(paragraph_text), BODY_FONT, 16)

    if tables:
        # The tables follow on landscape pages, where a row of figures fits on one line.
        landscape_section(document)
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(heading.add_run("附表"), "黑体", 16)
        for spec in tables:
            add_table(document, spec)
    return to_bytes(document)
