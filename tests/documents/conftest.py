import io

import docx
import pytest

from oversight.documents import actions


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(bytes(data)))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


@pytest.fixture
def bulletin(campaign, staff, make_problem):
    """A draft bulletin over three problems: two done by 民政局, one open."""
    make_problem(status="completed", title="养老机构预收费不规范")
    make_problem(status="completed", title="高龄津贴认证繁琐")
    make_problem(status="in_progress", title="助餐点覆盖不足")
    return actions.create_bulletin_draft(actor=staff, campaign=campaign)


from tests.browser.conftest import browser, console, output_dir  # noqa: E402, F401  (test_browser)
