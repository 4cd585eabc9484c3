"""The .docx of a document, laid out after GB/T 9704-2012 (党政机关公文格式).

A4; top margin 37 mm, left 28 mm, type area 156 × 225 mm; body 3号 (16 pt) 仿宋_GB2312 at
22 lines of 28 characters; title 2号 (22 pt) 方正小标宋简体; level-1 headings 黑体, level-2
楷体; page numbers 4号 (14 pt) between em dashes, odd pages right, even pages left.

Fonts that a machine may lack carry an ``altName`` in the font table (仿宋_GB2312 → 仿宋,
方正小标宋简体 → 宋体, 楷体_GB2312 → 楷体), which Word and LibreOffice use when the first
name is missing; the title is also bold, as 宋体 stands in for 小标宋 only when bold.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

# Fonts as the standard names them, and what stands in for each where it is missing.
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", SUBHEADING_FONT: "楷体"}

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, LEFT, TYPE_WIDTH, TYPE_HEIGHT = Mm(37), Mm(28), Mm(156), Mm(225)
BOTTOM = Emu(PAGE_HEIGHT - TOP - TYPE_HEIGHT)  # 35 mm
RIGHT = Emu(PAGE_WIDTH - LEFT - TYPE_WIDTH)  # 26 mm
LINES, CHARS = 22, 28
BODY_SIZE, TITLE_SIZE, PAGE_NUMBER_SIZE, MASTHEAD_SIZE = Pt(16), Pt(22), Pt(14), Pt(42)
# 225 mm over 22 lines: 28.95 pt (579 twips) from one baseline to the next.
# (Word's own 22-line grid rounds down to 579 twips; 580 would push the 22nd line over.)
LINE_PITCH = Twips(int(TYPE_HEIGHT.twips / LINES))
# 156 mm over 28 characters: 15.79 pt a character, 0.21 pt narrower than the 16 pt type.
# Word's character grid (docGrid charSpace) would squeeze the type into it, but LibreOffice
# gives any character wider than its cell two cells (14 a line); so the grid is a line grid
# and the squeeze is the body's character spacing (w:spacing, in twentieths of a point).
CHAR_PITCH = TYPE_WIDTH.pt / CHARS
CHAR_SPACING = Twips(math.floor((CHAR_PITCH - BODY_SIZE.pt) * 20))  # −0.25 pt
RED = RGBColor(0xC0, 0x00, 0x00)
EM_DASH = "\u2014"

TABLE_MARK = "|"
TABLE_LINE = 22  # pt, exact: 4号 type in a table
FIGURE = re.compile(r"^(?!0\d)[\d.,%—\-]+$")  # counts and rates, not codes such as 007
CODE = re.compile(r"^(0\d+|\d{4}-\d{2}-\d{2})$")  # problem numbers and dates
LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")
LEVEL_2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def build(content: dict[str, Any]) -> bytes:
    document = new_docx()
    _page_setup(document)
    _styles(document)
    _font_table(document)
    _masthead(document, content)
    _title(document, content.get("title", ""))
    _text(document, content.get("lead", ""))
    for part in content.get("parts", []):
        if part.get("heading"):
            _heading(document, part["heading"])
        _text(document, part.get("text", ""))
    if content.get("closing"):
        _closing(document, content["closing"])
    _distribution(document, _lines(content.get("distribution", "")))
    _page_numbers(document)
    buffer = io.BytesIO()
    document.core_properties.title = content.get("title", "")
    document.core_properties.author = content.get("issuer", "")
    document.save(buffer)
    return buffer.getvalue()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- page, styles, fonts ----------------------------------------------------------------------


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    # The footer sits in the bottom margin: 4号 digits about 7 mm below the type area.
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))
    sect_pr.append(grid)
    document.settings.odd_and_even_pages_header_footer = True


def set_fonts(r_pr: Any, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts for every script, and no theme fonts, which would override them."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.lower().endswith("theme"):
            del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if r_pr is not None:
            set_fonts(r_pr, BODY_FONT)
            # The character grid's pitch is reckoned from the default size, not Normal's.
            for tag in ("w:sz", "w:szCs"):
                size = r_pr.find(qn(tag))
                if size is None:
                    size = OxmlElement(tag)
                    r_pr.append(size)
                size.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    normal = styles["Normal"]
    normal.font.size = BODY_SIZE
    set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    squeeze = OxmlElement("w:spacing")
    squeeze.set(qn("w:val"), str(CHAR_SPACING.twips))
    normal.element.get_or_add_rPr().append(squeeze)
    paragraph = normal.paragraph_format
    paragraph.line_spacing = Pt(LINE_PITCH.pt)  # exact: every line on the 22-line grid
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.widow_control = False
    p_pr = normal.element.get_or_add_pPr()
    spacing = p_pr.find(qn("w:spacing"))
    spacing.set(qn("w:lineRule"), "exact")
    # Chinese text breaks anywhere; no extra space between CJK and Latin in the grid.
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        p_pr.append(element)
    for name, east_asian, size in (
        ("Title", TITLE_FONT, TITLE_SIZE),
        ("Heading 1", HEADING_FONT, BODY_SIZE),
        ("Heading 2", SUBHEADING_FONT, BODY_SIZE),
    ):
        style = styles[name]
        style.font.size = size
        style.font.bold = name == "Title"
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(style.element.get_or_add_rPr(), east_asian)
        fmt = style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.keep_with_next = True
        _drop_border(style.element)
    styles["Heading 1"].paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Title"].paragraph_format.line_spacing = Pt(35)


def _drop_border(style_element: Any) -> None:
    """The default template's Title has a blue bottom rule; a bulletin's title has none."""
    p_pr = style_element.find(qn("w:pPr"))
    if p_pr is not None:
        for border in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(border)


def _font_table(document: DocxDocument) -> None:
    """Declare each Chinese font with its stand-in (``altName``) and character set."""
    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FONT_TABLE
    )
    root = etree.fromstring(part.blob)
    names = [BODY_FONT, TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, "仿宋", "宋体", "楷体"]
    for name in names:
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                root.remove(old)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if name in FALLBACKS:
            alt = etree.SubElement(font, qn("w:altName"))
            alt.set(qn("w:val"), FALLBACKS[name])
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if name == HEADING_FONT else "roman")
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- paragraphs ------------------------------------------------------------------------------


def _run(paragraph: Paragraph, text: str, east_asian: str | None = None, **options: Any) -> Any:
    run = paragraph.add_run(text)
    if east_asian is not None:
        set_fonts(run._element.get_or_add_rPr(), east_asian)
    if "size" in options:
        run.font.size = options["size"]
    if options.get("bold"):
        run.font.bold = True
    if "color" in options:
        run.font.color.rgb = options["color"]
    return run


def _masthead(document: DocxDocument, content: dict[str, Any]) -> None:
    """发文机关标志 in red, the issue number, the issuer and date, and the red rule."""
    masthead = document.add_paragraph()
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    masthead.paragraph_format.line_spacing = Pt(MASTHEAD_SIZE.pt * 1.3)
    masthead.paragraph_format.space_after = Pt(12)
    name = content.get("masthead", "")
    # A two-character name (简报) is spread out, as on the printed masthead.
    shown = "\u3000".join(name) if len(name) == 2 else name
    _run(masthead, shown, TITLE_FONT, size=MASTHEAD_SIZE, bold=True, color=RED)
    if content.get("issue_number"):
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(number, f"（{content['issue_number']}）")
    line = document.add_paragraph()
    line.paragraph_format.left_indent = line.paragraph_format.right_indent = Pt(BODY_SIZE.pt)
    _run(line, content.get("issuer", ""))
    _run(line, "\t" + content.get("date", ""))
    line.paragraph_format.tab_stops.add_tab_stop(
        TYPE_WIDTH - Pt(BODY_SIZE.pt * 2), WD_TAB_ALIGNMENT.RIGHT
    )
    _border(line, "bottom", RED, size=18, space=4)
    if content.get("series"):
        series = document.add_paragraph()
        series.alignment = WD_ALIGN_PARAGRAPH.CENTER
        series.paragraph_format.space_before = Pt(12)
        _run(series, content["series"], SUBHEADING_FONT)


def _border(paragraph: Paragraph, edge: str, color: RGBColor, size: int, space: int = 1) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # pBdr comes before spacing/ind/jc in the schema's order.
        anchor = next(
            (
                p_pr.find(qn(tag))
                for tag in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")
                if p_pr.find(qn(tag)) is not None
            ),
            None,
        )
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            p_pr.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))  # eighths of a point
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), str(color))
    borders.append(line)


def _title(document: DocxDocument, title: str) -> None:
    document.add_paragraph(style="Normal")  # 空一行 between the masthead and the title
    for line in _lines(title) or [""]:
        paragraph = document.add_paragraph(line, style="Title")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(style="Normal")


def _heading(document: DocxDocument, text: str) -> None:
    document.add_paragraph(text, style="Heading 1")


def _indent(paragraph: Paragraph) -> None:
    """首行缩进二字: in characters, so it stays two characters whatever the font."""
    paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:firstLineChars"), "200")


def _body(document: DocxDocument, line: str) -> None:
    if LEVEL_1.match(line):
        _heading(document, line)
        return
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _indent(paragraph)
    level_2 = LEVEL_2.match(line)
    if level_2:
        # The level-2 heading runs on into its paragraph: its first sentence in 楷体.
        end = line.find("。", level_2.end())
        head, rest = (line[: end + 1], line[end + 1 :]) if end != -1 else (line, "")
        _run(paragraph, head, SUBHEADING_FONT)
        if rest:
            _run(paragraph, rest)
        return
    _run(paragraph, line)


def _text(document: DocxDocument, text: str) -> None:
    """Paragraphs, one a line; consecutive lines starting with ``|`` make a table."""
    rows: list[list[str]] = []
    for line in [*_lines(text), ""]:  # the empty line ends a last table
        if line.startswith(TABLE_MARK):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        if rows:
            _table(document, rows)
            rows = []
        if line:
            _body(document, line)


def _table(document: DocxDocument, rows: list[list[str]]) -> None:
    """A ruled table in 4号 仿宋, the first row its header; figures right-aligned."""
    columns = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # Columns as wide as their longest text needs (within bounds), over the type width.
    weights = [
        min(max(max((len(row[c]) for row in rows if c < len(row)), default=1), 2) + 1, 24)
        for c in range(columns)
    ]
    widths = [Emu(int(TYPE_WIDTH * weight / sum(weights))) for weight in weights]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the table grid, which LibreOffice lays out by
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            cell = table.cell(row_index, column)
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            fmt = paragraph.paragraph_format
            fmt.line_spacing = Pt(TABLE_LINE)
            fmt.first_line_indent = Pt(0)
            # Off the page's 22-line grid, or each table line would take a body line.
            snap = OxmlElement("w:snapToGrid")
            snap.set(qn("w:val"), "0")
            paragraph._p.get_or_add_pPr().append(snap)
            if row_index == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(paragraph, value, HEADING_FONT, size=PAGE_NUMBER_SIZE)
            else:
                paragraph.alignment = (
                    WD_ALIGN_PARAGRAPH.RIGHT
                    if FIGURE.match(value)
                    else WD_ALIGN_PARAGRAPH.CENTER
                    if CODE.match(value)
                    else WD_ALIGN_PARAGRAPH.LEFT
                )
                _run(paragraph, value, size=PAGE_NUMBER_SIZE)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header again on each page the table spans
    header.append(repeat)
    document.add_paragraph()


def _closing(document: DocxDocument, text: str) -> None:
    for line in _lines(text):
        paragraph = document.add_paragraph()
        _indent(paragraph)
        _run(paragraph, line)


def _distribution(document: DocxDocument, lines: Sequence[str]) -> None:
    """版记: the 报/送/发 lines in 4号 仿宋 between rules, after the body."""
    if not lines:
        return
    document.add_paragraph()
    for index, line in enumerate(lines):
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.left_indent = Pt(PAGE_NUMBER_SIZE.pt * 3)
        fmt.first_line_indent = -Pt(PAGE_NUMBER_SIZE.pt * 2)
        fmt.right_indent = Pt(PAGE_NUMBER_SIZE.pt)
        fmt.keep_with_next = index < len(lines) - 1
        if index == 0:
            _border(paragraph, "top", RGBColor(0, 0, 0), size=8, space=6)
        if index == len(lines) - 1:
            _border(paragraph, "bottom", RGBColor(0, 0, 0), size=8, space=6)
        _run(paragraph, line, size=PAGE_NUMBER_SIZE)


# --- page numbers ------------------------------------------------------------------------------


def _field(paragraph: Paragraph, instruction: str) -> None:
    def char(kind: str) -> None:
        run = _run(paragraph, "", NUMBER_FONT, size=PAGE_NUMBER_SIZE)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._element.append(element)

    char("begin")
    run = _run(paragraph, "", NUMBER_FONT, size=PAGE_NUMBER_SIZE)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._element.append(instr)
    char("separate")
    _run(paragraph, "1", NUMBER_FONT, size=PAGE_NUMBER_SIZE)
    char("end")


def _page_number(paragraph: Paragraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """``— 7 —`` in 4号 digits, one character in from the type area's edge."""
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(PAGE_NUMBER_SIZE.pt)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_SIZE.pt)
    _run(paragraph, f"{EM_DASH} ", NUMBER_FONT, size=PAGE_NUMBER_SIZE)
    _field(paragraph, "PAGE")
    _run(paragraph, f" {EM_DASH}", NUMBER_FONT, size=PAGE_NUMBER_SIZE)


def _page_numbers(document: DocxDocument) -> None:
    section = document.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
