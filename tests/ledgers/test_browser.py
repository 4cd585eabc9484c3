"""A liaison downloads its ledger, fills in two rows, uploads it, previews and confirms."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from oversight.problems.models import ProgressReport, RectificationType, Status
from tests.conftest import PASSWORD

from .conftest import edit

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "ledgers"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


def log_in(browser, base_url, username, console, size):
    width, height = size
    page = console.attach(
        browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
    )
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page


def shoot(page, output_dir, name):
    page.screenshot(path=output_dir / f"{name}.png", full_page=True)
    if SCREENSHOTS.parent.is_dir():
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_download_fill_in_upload_preview_confirm(
    browser, live_server, campaign, liaison_a, make_problem, output_dir, console, tmp_path, viewport
):
    first = make_problem(Status.IN_PROGRESS, title="养老机构消防设施不达标")
    second = make_problem(Status.ASSIGNED, title="社区养老服务中心闲置")
    make_problem(Status.IN_PROGRESS, title="农村幸福院运营经费不足")
    page = log_in(browser, live_server.url, liaison_a.username, console, VIEWPORTS[viewport])
    page.goto(f"{live_server.url}/workspace/")
    page.get_by_test_id("ledger-links").get_by_role("link", name=campaign.name).click()
    expect(page.get_by_test_id("ledger-download")).to_contain_text("共 3 个问题")
    shoot(page, output_dir, f"{viewport}-ledger")

    with page.expect_download() as waiting:
        page.get_by_test_id("ledger-download-link").click()
    downloaded = tmp_path / "ledger.xlsx"
    waiting.value.save_as(downloaded)
    book = load_workbook(downloaded)
    edit(book, first, 最新进展="已更换全部灭火器和烟感报警器")
    edit(book, second, 最新进展="已引入专业机构运营", 整改类型="持续整改")
    filled = tmp_path / "台账（已填写）.xlsx"
    book.save(filled)

    page.get_by_label("填好的台账（.xlsx）").set_input_files(filled)
    page.get_by_role("button", name="上传并预览").click()
    preview = page.get_by_test_id("ledger-preview")
    expect(preview.locator("tbody tr")).to_have_count(2)
    expect(preview).to_contain_text("已引入专业机构运营")
    assert ProgressReport.objects.filter(problem=second).count() == 0
    shoot(page, output_dir, f"{viewport}-preview")

    page.get_by_role("button", name="确认报送").click()
    expect(page.get_by_role("alert").filter(has_text="已报送 2 条整改进展")).to_be_visible()
    shoot(page, output_dir, f"{viewport}-confirmed")
    second.refresh_from_db()
    assert second.status == Status.IN_PROGRESS
    assert second.rectification_type == RectificationType.ONGOING
    assert first.progress_reports.last().text == "已更换全部灭火器和烟感报警器"
