"""A 公文 as GB/T 9704-2012 lays it out, and the 简报 form of the same content. Knows no business: the caller
says what the document holds (Gongwen), this module where each part goes.

公文 (render_gongwen): 版头 (发文机关标志 in red 小标宋, the 发文字号 centred two lines below it, a red line
4mm under it), the title in 2号小标宋 two lines below the line, 主送机关, the body in 3号仿宋 (一、 in 黑体, （一） in
楷体), 附件说明, 发文机关署名 and 成文日期 (the layout of a 公文 without a seal, 7.3.5.2), the 附件 on their own
(landscape) pages, and the 版记 (抄送, 印发机关 and 印发日期 between black lines) at the foot of the last page.
简报 (render_brief): its name in red, 第N期, the 编印单位 and date over a red line, then the same title and body."""

from dataclasses import dataclass, field
from datetime import date

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

from zhaoshang.core.gongwen import (
    BODY_FONT,
    HEADING_FONT,
    KAI_FONT,
    SMALL_TITLE_FONT,
    TableSpec,
    add_table,
    landscape_section,
    set_font,
    start_document,
    to_bytes,
)

RED = RGBColor(0xE6, 0x00, 0x12)
RED_HEX = "E60012"
CHAR = Pt(15.75)  # one character of the body: 28 to a 156mm line
LINE = Pt(28.95)  # one line of the body: 22 to a 225mm page
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TEXT_WIDTH_PT = 156 / 25.4 * 72


@dataclass
class Block:
    """One paragraph of the body. level 1 is a heading (一、…) in 黑体; `lead` starts a paragraph in 楷体
    (（一）乡镇组。) and the text follows in 仿宋."""

    text: str
    level: int = 0
    lead: str = ""


@dataclass
class Gongwen:
    mark: str  # 发文机关标志
    doc_number: str  # 发文字号; for a draft the words saying it has none yet
    title: str
    addressee: str  # 主送机关, without the colon
    body: list[Block]
    signature: str  # 发文机关署名
    date_text: str  # 成文日期, e.g. 2026年12月2日, or the words of a draft
    printer: str  # 印发机关
    copy_to: str = ""  # 抄送机关, without the final 。
    annex_title: str = ""
    annex: list[TableSpec] = field(default_factory=list)
    draft: bool = False
    brief_name: str = ""  # the 简报 form: its name and 第N期
    brief_issue: str = ""


def chinese_date(day: date) -> str:
    """成文日期 as GB/T 9704 7.3.5.4 writes it: the year in full, no leading zeros: 2026年12月2日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _width_in_chars(text: str) -> float:
    """How many body characters wide a line is: Arabic digits and Latin letters are half-width."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def _paragraph(document, text="", *, font=BODY_FONT, size=16, align=None, indent=0, line=LINE, color=None):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, line
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = CHAR * indent if indent else None
    fmt.widow_control = False
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
    if text:
        run = paragraph.add_run(text)
        set_font(run, font, size)
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def _blank(document, lines: int = 1):
    for _ in range(lines):
        _paragraph(document)


def _border(paragraph, side: str, *, color: str, eighths: int, space: int = 1):
    props = paragraph._p.get_or_add_pPr()
    borders = props.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        props.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _scaled_red_title(document, text: str, size: float):
    """A red line of 小标宋 as wide as the 版心 at most: a long name is narrowed (character scale), not shrunk,
    as the printed 版头 of a long office name is."""
    paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(size * 1.25))
    run = paragraph.add_run(text)
    set_font(run, SMALL_TITLE_FONT, size)
    run.font.color.rgb = RED
    natural = _width_in_chars(text) * size
    if natural > TEXT_WIDTH_PT:
        scale = OxmlElement("w:w")
        scale.set(qn("w:val"), str(max(33, int(TEXT_WIDTH_PT / natural * 100))))
        run._r.get_or_add_rPr().append(scale)
    return paragraph


def _title(document, title: str):
    for line in title.split("\n"):
        _paragraph(document, line, font=SMALL_TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))


def _body(document, blocks: list[Block]):
    for block in blocks:
        if block.level == 1:
            _paragraph(document, block.text, font=HEADING_FONT, indent=2)
            continue
        paragraph = _paragraph(document, indent=2)
        if block.lead:
            set_font(paragraph.add_run(block.lead), KAI_FONT, 16)
        set_font(paragraph.add_run(block.text), BODY_FONT, 16)


def _header(document, doc: Gongwen):
    """版头: 发文机关标志 35mm below the top of the 版心, the 发文字号 two lines under it, the red line 4mm under
    that."""
    mark = _scaled_red_title(document, doc.mark, 36)
    mark.paragraph_format.space_before = Mm(35) - Pt(36 * 1.25 - 36)
    _blank(document, 2)
    number = _paragraph(document, doc.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER)
    if doc.draft:
        number.runs[0].font.color.rgb = RED
    _border(number, "bottom", color=RED_HEX, eighths=12, space=11)


def _brief_header(document, doc: Gongwen):
    """简报 报头: its name in red, 第N期, then the 编印单位 on the left and the date on the right over a red line."""
    _scaled_red_title(document, doc.brief_name, 42).paragraph_format.space_before = Mm(10)
    _paragraph(document, doc.brief_issue, align=WD_ALIGN_PARAGRAPH.CENTER)
    _blank(document)
    line = _paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    set_font(line.add_run(f"{doc.signature}\t{doc.date_text}"), BODY_FONT, 16)
    _border(line, "bottom", color=RED_HEX, eighths=18, space=4)


def _signature(document, doc: Gongwen):
    """发文机关署名 two characters in from the right; the date on the next line starting two characters right of
    the 署名's first; a date longer than the 署名 ends two characters in, and the 署名 moves right with it."""
    name, when = _width_in_chars(doc.signature), _width_in_chars(doc.date_text)
    if when + 2 > name:
        date_at = CHARS_PER_LINE - 2 - when
        name_at = date_at - 2
    else:
        name_at = CHARS_PER_LINE - 2 - name
        date_at = name_at + 2
    for text, at in ((doc.signature, name_at), (doc.date_text, date_at)):
        paragraph = _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.LEFT)
        # Half-width digits make a width of half characters (2026年12月2日 is 6.5): Word takes whole EMUs only.
        paragraph.paragraph_format.left_indent = Emu(round(CHAR * max(0, at)))


def _annex(document, doc: Gongwen):
    """附件 on their own pages: 附件 in 3号黑体 at the top left, the annex title centred on the third line."""
    landscape_section(document)
    _paragraph(document, "附件", font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.LEFT)
    _blank(document)
    _title(document, doc.annex_title)
    _blank(document)
    for spec in doc.annex:
        add_table(document, spec)
        _paragraph(document, line=Pt(12))


def _edges(props, tag: str, edges: dict):
    borders = OxmlElement(tag)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        size = edges.get(side, 0)
        edge.set(qn("w:val"), "single" if size else "nil")
        if size:
            edge.set(qn("w:sz"), str(size))
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        borders.append(edge)
    props.append(borders)


def _record_text(cell, text: str, align, *, hanging: str = ""):
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(24)
    fmt.space_before, fmt.space_after = Pt(3), Pt(0)
    fmt.left_indent = fmt.right_indent = Pt(14)  # 左右各空一字
    if hanging:  # a second line starts under the first name, not under the label
        fmt.left_indent = Pt(14) * (1 + len(hanging))
        fmt.first_line_indent = -Pt(14) * len(hanging)
    paragraph.alignment = align
    set_font(paragraph.add_run(text), BODY_FONT, 14)


RECORD_LINE = Pt(24)
RECORD_CHARS = 29  # 4号 characters on a line of the 版记, one character in from each side


def _record_heights(lines: list[tuple[str, str]]) -> list:
    """Each row's height: its lines of 4号 text, 3pt above and below."""
    rows = []
    for left, right in lines:
        count = 1 if right else -(-int(_width_in_chars(left) * 2) // (RECORD_CHARS * 2))
        rows.append(Emu(RECORD_LINE * max(1, count) + Pt(6)))
    return rows


def _record(document, lines: list[tuple[str, str]]):
    """版记 at the foot of its page: an empty line as tall as what is left of the 版心 above it (LibreOffice
    draws neither a floating table nor a bottom-aligned page), then one row per element between black rules,
    thick (0.35mm) at the top and the bottom, thin (0.25mm) between, as wide as the 版心; the 印发机关 one
    character in from the left and the 印发日期 one in from the right. Rows have exact heights, so the last
    rule lands on the foot of the 版心."""
    heights = _record_heights(lines)
    spacer = Emu(Mm(225) - sum(heights) - Pt(4))
    _paragraph(document, line=spacer)  # also the section's first paragraph: a section must not open with a table
    table = document.add_table(rows=len(lines), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    props = table._tbl.tblPr
    _edges(props, "w:tblBorders", {"top": 8, "bottom": 8, "insideH": 6})
    # The 印发日期 column as wide as the date needs (figures drawn up to 0.6 of a character), the 印发机关 the rest.
    dated = max((_width_in_chars(right) + 0.1 * sum(ch.isdigit() for ch in right) for _, right in lines), default=0)
    right_width = Emu(int(Pt(14) * (dated + 1)) + Mm(12))
    halves = (Emu(Mm(156) - right_width), right_width)
    for column, width in zip(table.columns, halves, strict=True):
        column.width = width
    for row, (left, right), height in zip(table.rows, lines, heights, strict=True):
        row.height, row.height_rule = height, WD_ROW_HEIGHT_RULE.EXACTLY
        for cell, width in zip(row.cells, halves, strict=True):
            cell.width = width
        if right:
            _record_text(row.cells[0], left, WD_ALIGN_PARAGRAPH.LEFT)
            _record_text(row.cells[1], right, WD_ALIGN_PARAGRAPH.RIGHT)
            row.cells[1].paragraphs[0].paragraph_format.left_indent = Pt(0)  # only 右空一字
        else:
            merged = row.cells[0].merge(row.cells[1])
            label = left.partition("：")[0] + "："
            _record_text(merged, left, WD_ALIGN_PARAGRAPH.JUSTIFY, hanging=label)
    return table


def _record_page(document, lines):
    """The 版记 has a portrait page of its own, the last (after landscape 附件, a new section)."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(22)
    _record(document, lines)


def _record_lines(doc: Gongwen, *, brief: bool) -> list[tuple[str, str]]:
    lines = []
    if brief:
        lines.append((f"发：{doc.addressee}。", ""))
        if doc.copy_to:
            lines.append((f"送：{doc.copy_to}。", ""))
    elif doc.copy_to:
        lines.append((f"抄送：{doc.copy_to}。", ""))
    lines.append((doc.printer, f"{doc.date_text}印发"))
    return lines


def _finish(document, doc: Gongwen, *, brief: bool) -> bytes:
    if doc.annex:
        _annex(document, doc)
    _record_page(document, _record_lines(doc, brief=brief))
    return to_bytes(document)


def _annex_note(document, doc: Gongwen):
    """附件说明: 左空二字, a second line under the annex's name (GB/T 9704 7.3.4)."""
    if doc.annex_title:
        _blank(document)
        paragraph = _paragraph(document, f"附件：{doc.annex_title}")
        paragraph.paragraph_format.left_indent = CHAR * 5
        paragraph.paragraph_format.first_line_indent = -CHAR * 3


def render_gongwen(doc: Gongwen) -> bytes:
    document = start_document()
    _header(document, doc)
    _blank(document, 2)
    _title(document, doc.title)
    _blank(document)
    _paragraph(document, f"{doc.addressee}：", align=WD_ALIGN_PARAGRAPH.LEFT)
    _body(document, doc.body)
    _annex_note(document, doc)
    _blank(document, 2)
    _signature(document, doc)
    return _finish(document, doc, brief=False)


def render_brief(doc: Gongwen) -> bytes:
    document = start_document()
    _brief_header(document, doc)
    _blank(document)
    _title(document, doc.title)
    _blank(document)
    _body(document, doc.body)
    _annex_note(document, doc)
    return _finish(document, doc, brief=True)
