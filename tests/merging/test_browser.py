"""Staff open the practice campaign's proposals on a desktop and a phone, move the threshold
and confirm a group; no CSP violation, no sideways scrolling on the phone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from oversight.accounts.models import Role
from oversight.merging import demo
from oversight.problems.models import Problem
from tests.conftest import PASSWORD, make_user, org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def open_as_staff(browser, console, viewport, url):
    page = console.attach(browser.new_context(viewport=viewport, locale="zh-CN").new_page())
    page.goto(url)
    page.get_by_label("用户名").fill("zmd-staff")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page


def test_staff_review_and_confirm_a_proposed_group(
    browser, live_server, reference, output_dir, console
):
    make_user("zmd-staff", org("411700", "congress"), Role.CONGRESS_STAFF)
    campaign = demo.load_practice_campaign()
    assert campaign is not None
    path = reverse("merging:proposals", args=[campaign.slug])
    login = f"{live_server.url}/accounts/login/?next={path}"
    desk = open_as_staff(browser, console, DESKTOP, login)
    expect(desk.get_by_role("heading", name="智能归并建议")).to_be_visible()
    desk.screenshot(path=output_dir / "proposals-desktop.png", full_page=False)

    slider = desk.get_by_label("相似度阈值")
    slider.fill("0.2")
    expect(desk.locator("output")).to_have_text("0.20")
    desk.get_by_role("button", name="按此阈值重新提出").click()
    expect(desk).to_have_url(f"{live_server.url}{path}?threshold=0.2")

    first = desk.locator("form.card[method=post]").first
    count = first.locator("input[name=reports]").count()
    # The card says why its reports were proposed together.
    expect(first.locator(".topics")).to_contain_text("共同涉及")
    first.screenshot(path=output_dir / "proposal-card-desktop.png")
    first.get_by_role("button", name="归并为新问题").click()
    expect(desk.locator(".alert-success")).to_contain_text("为新问题")
    problem = Problem.objects.get(campaign=campaign)
    assert problem.raw_reports.count() == count

    phone = open_as_staff(browser, console, PHONE, login)
    expect(phone.get_by_role("heading", name="智能归并建议")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=output_dir / "proposals-phone.png", full_page=False)
