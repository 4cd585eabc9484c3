"""On a phone, a member opens the QR code's link, signs in and votes; the staff page counts
the vote live; staff close the session and the result sheet shows the counts."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from oversight.evaluations.models import Ballot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def new_page(browser, console, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    return console.attach(context.new_page())


def sign_in(page, username):
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_member_votes_by_phone_and_staff_publish_the_result(
    browser, live_server, session, staff, member, departments, output_dir, console
):
    base = live_server.url
    # Staff project the session page with its QR code, before anyone has voted.
    desk = new_page(browser, console, DESKTOP)
    desk.goto(f"{base}/accounts/login/?next={reverse('evaluations:detail', args=[session.pk])}")
    sign_in(desk, staff.username)
    expect(desk.get_by_test_id("voted")).to_have_text("0")
    qr = desk.get_by_role("img", name="投票页面二维码")
    expect(qr).to_be_visible()
    assert desk.evaluate("img => img.naturalWidth", qr.element_handle()) > 0
    vote_url = desk.get_by_test_id("vote-url").inner_text()
    assert vote_url == f"{base}{reverse('evaluations:vote', args=[session.pk])}"
    desk.screenshot(path=output_dir / "session-open-desktop.png", full_page=True)

    # The member follows the QR code's link on a phone, signs in, and lands on the ballot.
    phone = new_page(browser, console, PHONE)
    phone.goto(vote_url)
    sign_in(phone, member.username)
    expect(phone).to_have_url(vote_url)
    form = phone.get_by_test_id("vote-form")
    expect(form.locator("fieldset")).to_have_count(3)
    phone.screenshot(path=output_dir / "vote-phone.png", full_page=True)
    answers = ["满意", "基本满意", "不满意"]
    for department, answer in zip(departments, answers, strict=True):
        group = form.locator("fieldset", has_text=department.name)
        group.get_by_text(answer, exact=True).click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("投票成功，感谢您的参与。")).to_be_visible()
    expect(phone.get_by_test_id("vote-state")).to_contain_text("您已完成投票")
    phone.screenshot(path=output_dir / "voted-phone.png", full_page=True)

    # The staff page counts the vote by itself (htmx polling), without showing any choice.
    expect(desk.get_by_test_id("voted")).to_have_text("1", timeout=12_000)
    expect(desk.get_by_test_id("ballots")).to_have_text("3")
    desk.goto(f"{base}{reverse('evaluations:result', args=[session.pk])}")
    expect(desk.get_by_test_id("result-hidden")).to_be_visible()
    expect(desk.get_by_test_id("result-row")).to_have_count(0)

    # Closing asks first, then publishes the sheet.
    desk.goto(f"{base}{reverse('evaluations:detail', args=[session.pk])}")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="结束测评并公布结果").click()
    expect(desk).to_have_url(re.compile(r"/result/$"))
    rows = desk.get_by_test_id("result-row")
    expect(rows).to_have_count(3)
    expected = {
        departments[0].name: ["1", "1", "0", "0", "100.0%", "满意"],
        departments[1].name: ["1", "0", "1", "0", "100.0%", "满意"],
        departments[2].name: ["1", "0", "0", "1", "0.0%", "不满意"],
    }
    for name, cells in expected.items():
        row = rows.filter(has_text=name)
        expect(row.locator("td")).to_have_text(cells)
    expect(desk.get_by_test_id("rule")).to_contain_text("满意 + 基本满意")
    # The chart is drawn by the static script from the server's figures.
    expect(desk.locator("#evaluation-chart canvas")).to_have_count(1)
    desk.screenshot(path=output_dir / "result-desktop.png", full_page=True)

    phone.goto(f"{base}{reverse('evaluations:result', args=[session.pk])}")
    expect(phone.get_by_test_id("result-row")).to_have_count(3)
    expect(phone.locator("#evaluation-chart canvas")).to_have_count(1)
    phone.screenshot(path=output_dir / "result-phone.png", full_page=True)

    assert Ballot.objects.filter(session=session).count() == 3
    assert (output_dir / "result-desktop.png").stat().st_size > 10_000
