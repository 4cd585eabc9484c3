"""The .docx follows GB/T 9704-2012: page, margins, grid, fonts, page numbers."""

import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from oversight.documents import layout

CONTENT = {
    "masthead": "简报",
    "issue_number": "第59期",
    "series": "联动监督专辑",
    "issuer": "驻马店市人大常委会办公室",
    "date": "2024年11月27日",
    "title": "驻马店：打好联动监督组合拳",
    "lead": "导语一段。",
    "parts": [
        {"heading": "一、主要做法", "text": "（一）加强组织领导。成立领导小组。\n正文一段。"},
        {"heading": "二、主要成效", "text": "办结率79.3%。"},
    ],
    "closing": "（供稿）",
    "distribution": "报：省人大常委会\n送：市委\n发：各县区人大常委会",
}


@pytest.fixture(scope="module")
def document():
    return docx.Document(io.BytesIO(layout.build(CONTENT)))


def east_asian(r_pr):
    return r_pr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_a4_with_the_standard_margins_and_type_area(document):
    section = document.sections[0]

    def mm(length):  # stored in twips: exact to a hundredth of a millimetre
        return round(length / Mm(1), 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37, 28)
    assert (mm(section.bottom_margin), mm(section.right_margin)) == (35, 26)
    type_width = section.page_width - section.left_margin - section.right_margin
    type_height = section.page_height - section.top_margin - section.bottom_margin
    assert (mm(type_width), mm(type_height)) == (156, 225)


def test_22_lines_of_28_characters(document):
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    normal = document.styles["Normal"]
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    spacing = normal.element.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert spacing.get(qn("w:lineRule")) == "exact"
    # 28 characters in 156 mm: 15.79 pt each, so the 16 pt type is squeezed by 0.25 pt.
    squeeze = normal.element.find(f"{qn('w:rPr')}/{qn('w:spacing')}")
    assert squeeze.get(qn("w:val")) == "-5"
    assert 28 * (16 - 0.25) <= Mm(156).pt < 28 * 16


def test_body_title_and_heading_fonts(document):
    styles = document.styles
    assert styles["Normal"].font.size == Pt(16)
    assert east_asian(styles["Normal"].element.rPr) == "仿宋_GB2312"
    assert styles["Title"].font.size == Pt(22)
    assert east_asian(styles["Title"].element.rPr) == "方正小标宋简体"
    assert styles["Title"].font.bold
    assert east_asian(styles["Heading 1"].element.rPr) == "黑体"
    assert styles["Heading 1"].font.size == Pt(16)
    fonts = styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert not [name for name in fonts.attrib if name.lower().endswith("theme")]


def test_paragraphs_use_their_styles(document):
    by_text = {p.text: p for p in document.paragraphs}
    assert by_text["驻马店：打好联动监督组合拳"].style.name == "Title"
    assert by_text["一、主要做法"].style.name == "Heading 1"
    level_2 = by_text["（一）加强组织领导。成立领导小组。"]
    assert east_asian(level_2.runs[0]._element.rPr) == "楷体_GB2312"
    assert level_2.runs[0].text == "（一）加强组织领导。"
    assert level_2.runs[1]._element.rPr is None or east_asian(level_2.runs[1]._element.rPr) in (
        None,
        "仿宋_GB2312",
    )
    assert "报：省人大常委会" in by_text and "发：各县区人大常委会" in by_text


def test_fallback_fonts_are_declared(document):
    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("fontTable")
    )
    root = etree.fromstring(part.blob)
    alt = {
        font.get(qn("w:name")): font.find(qn("w:altName")).get(qn("w:val"))
        for font in root.findall(qn("w:font"))
        if font.find(qn("w:altName")) is not None
    }
    assert alt == {"仿宋_GB2312": "仿宋", "方正小标宋简体": "宋体", "楷体_GB2312": "楷体"}


def footer_xml(footer):
    return etree.tostring(footer._element, encoding="unicode")


def test_page_numbers_odd_right_even_left_between_em_dashes(document):
    assert document.settings.odd_and_even_pages_header_footer
    settings = etree.tostring(document.settings.element, encoding="unicode")
    assert "evenAndOddHeaders" in settings
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for paragraph, footer in ((odd, section.footer), (even, section.even_page_footer)):
        assert paragraph.text == "— 1 —"  # the PAGE field's placeholder between em dashes
        assert "PAGE" in footer_xml(footer) and "fldChar" in footer_xml(footer)
        assert {run.font.size for run in paragraph.runs} == {Pt(14)}
    assert not section.even_page_footer.is_linked_to_previous


def test_lines_starting_with_a_bar_make_a_table():
    content = {
        "masthead": "整改通报",
        "title": "通报",
        "parts": [
            {
                "heading": "二、各承办单位办结情况",
                "text": "\n".join(
                    [
                        "排列如下。",
                        "| 序号 | 承办单位 | 办结率 |",
                        "| 1 | 民政局 | 100.0% |",
                        "| 2 | 财政局 | 66.7% |",
                        "其后一段。",
                    ]
                ),
            }
        ],
    }
    document = docx.Document(io.BytesIO(layout.build(content)))
    (table,) = document.tables
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "承办单位", "办结率"]
    assert [cell.text for cell in table.rows[2].cells] == ["2", "财政局", "66.7%"]
    assert table.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[2].paragraphs[0].runs[0].font.size == Pt(14)
    texts = [p.text for p in document.paragraphs]
    assert "排列如下。" in texts and "其后一段。" in texts
    assert not any(text.startswith("|") for text in texts)
