"""The demo's documents: Zhumadian's issued bulletin with the bulletin's rates, and two
weekly notices for consecutive weeks, the second reporting the week's completions."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.documents import demo
from oversight.documents.models import Document, Kind

from .conftest import docx_text


@pytest.fixture
def loaded(db):
    call_command("demo", "--no-serve", stdout=StringIO())


def test_zhumadian_documents(loaded, tmp_path):
    documents = Document.objects.filter(campaign__slug="zhumadian-2024")
    bulletin = documents.get(kind=Kind.BULLETIN)
    assert bulletin.is_issued and bulletin.issued_by.username == "zmd-staff"
    text = docx_text(bulletin.docx)
    # The rates the stats command prints, as the seed bulletin reports them.
    out = StringIO()
    call_command("stats", "zhumadian-2024", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["by_level"]["city"]["completion_rate"] == 0.793
    assert "已办结23项，办结率79.3%" in text
    assert "已整改到位11项，持续整改3项，办结率78.6%" in text
    assert "立行立改的23项，持续整改的2项，涉及顶层设计的4项" in text
    assert "政府自查68项；人大检查调研92项；人大代表反映26项；群众反映与问卷17项" in text
    assert "满意率最低为" in text and "2024年第59期" in text
    assert "报：河南省人大常委会" in text

    first, second = documents.filter(kind=Kind.NOTICE).order_by("week_ending")
    assert (first.number, second.number) == (1, 2)
    assert (second.week_ending - first.week_ending).days == 7
    notice = docx_text(second.docx)
    assert "与第1期通报" in notice and "新办结34项" in notice
    assert "新办结0项" in docx_text(first.docx)

    # Loading again adds nothing.
    demo.load_demo()
    assert documents.count() == 3

    out_file = tmp_path / "bulletin.docx"
    call_command("bulletin", "zhumadian-2024", "--out", str(out_file), stdout=StringIO())
    assert "办结率79.3%" in docx_text(out_file.read_bytes())
    notice_file = tmp_path / "notice.docx"
    call_command("notice", "zhumadian-2024", "--out", str(notice_file), stdout=StringIO())
    assert "与第2期通报" in docx_text(notice_file.read_bytes())
