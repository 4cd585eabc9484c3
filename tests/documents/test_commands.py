"""The script contract: ``oversight bulletin|notice CAMPAIGN --out FILE.docx``."""

from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oversight.documents import layout, pdf
from oversight.documents.models import Document

from .conftest import docx_text


@pytest.mark.parametrize("command", ["bulletin", "notice"])
def test_the_command_writes_a_docx_and_stores_nothing(command, campaign, make_problem, tmp_path):
    make_problem(status="completed")
    make_problem(status="in_progress")
    out = tmp_path / f"{command}.docx"
    call_command(command, campaign.slug, "--out", str(out), stdout=StringIO())
    text = docx_text(out.read_bytes())
    assert "办结率50.0%" in text
    assert not Document.objects.exists()


@pytest.mark.parametrize("command", ["bulletin", "notice"])
def test_an_unknown_campaign_is_refused(command, campaign, tmp_path):
    with pytest.raises(CommandError, match="没有标识为 'nowhere-2024' 的联动监督"):
        call_command(command, "nowhere-2024", "--out", str(tmp_path / "x.docx"))


def test_conversions_at_once_do_not_collide():
    """Each conversion has its own LibreOffice profile: two at once both succeed."""
    content = {"masthead": "简报", "title": "并发转换", "parts": [{"heading": "", "text": "正文"}]}
    data = layout.build(content)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(pdf.docx_to_pdf, [data, data]))
    assert all(result.startswith(b"%PDF") for result in results)
