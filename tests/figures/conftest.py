"""Bulletins as the pages receive them, and an extraction of the shared test campaign."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest

from oversight.accounts.models import User
from oversight.campaigns.models import Campaign
from oversight.figures import actions
from oversight.figures.models import Extraction
from tests.browser.conftest import browser, console, output_dir  # noqa: F401  (for test_browser)

PARAGRAPH = (
    "全市计划建老年助餐点 430 所，已建成 435 所。"
    "2024 年全市返还福利彩票公益金用于支持养老服务比例已达到 71.16%，"
    "市财政安排养老服务事业经费 111.5 万元。"
    "街道综合养老服务中心运营率由原来的７６％提升至９６％。"
)


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    out = BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def extraction(campaign: Campaign, staff: User) -> Extraction:
    return actions.extract_figures(
        actor=staff, campaign=campaign, text=PARAGRAPH, title="驻马店简报（测试）"
    )


def candidate_of(extraction: Extraction, value: str, unit: str):  # type: ignore[no-untyped-def]
    return extraction.candidates.get(value=value, unit=unit)
