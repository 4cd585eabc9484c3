"""Staff generate a bulletin from live data, edit it in the page and issue it; a member
reads and downloads the issued version on a phone. No CSP violations on the way."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from oversight.documents.models import Document
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def new_page(browser, console, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    return console.attach(context.new_page())


def sign_in(page, username):
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_staff_issue_a_bulletin_and_a_member_downloads_it(
    browser, live_server, campaign, staff, member, make_problem, output_dir, console
):
    make_problem(status="completed")
    make_problem(status="in_progress", title="助餐点覆盖不足")
    listing = reverse("documents:list", args=[campaign.slug])
    desk = new_page(browser, console, DESKTOP)
    desk.goto(f"{live_server.url}/accounts/login/?next={listing}")
    sign_in(desk, staff.username)
    desk.get_by_role("button", name="依据实时数据生成简报").click()
    expect(desk.get_by_text("已依据实时数据生成简报草稿")).to_be_visible()
    desk.get_by_label("期号").fill("第59期")
    desk.locator("#id_title").fill("驻马店：打好联动监督组合拳")
    desk.screenshot(path=output_dir / "draft-desktop.png", full_page=True)
    desk.get_by_role("button", name="保存草稿").click()
    expect(desk.get_by_text("草稿已保存。")).to_be_visible()
    desk.get_by_role("button", name="印发").click()
    expect(desk.get_by_test_id("issued-text")).to_contain_text("办结率50.0%")
    desk.screenshot(path=output_dir / "issued-desktop.png", full_page=True)
    document = Document.objects.get()
    assert document.number == 1 and "第59期" in document.text

    phone = new_page(browser, console, PHONE)
    phone.goto(f"{live_server.url}/accounts/login/?next={listing}")
    sign_in(phone, member.username)
    expect(phone.get_by_test_id("issued")).to_contain_text("驻马店：打好联动监督组合拳")
    expect(phone.get_by_role("button", name="依据实时数据生成简报")).to_have_count(0)
    phone.screenshot(path=output_dir / "list-phone.png", full_page=True)
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Word").click()
    assert download.value.suggested_filename.endswith(".docx")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
