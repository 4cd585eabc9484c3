"""A member of the public reports a problem on a phone, without signing in, and follows it
by the tracking code; no CSP violation on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.submissions.models import TRACKING_ALPHABET, Submission
from tests.submissions.conftest import solve

pytestmark = pytest.mark.browser


def test_public_report_on_a_phone(browser, live_server, open_campaign, output_dir, console):
    page = console.attach(
        browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    )
    page.goto(f"{live_server.url}/report/")
    page.get_by_role("link", name=open_campaign.name).click()
    form = page.get_by_test_id("public-report-form")
    form.get_by_label("反映的问题").fill("小区附近的助餐点停了三个月，老人吃饭没着落。")
    form.get_by_label("涉及地区").select_option(label="汝南县")
    form.get_by_label("联系电话（可不填）").fill("13812345678")
    _token, answer = solve(page.content())
    form.get_by_label("验证问题", exact=False).fill(answer)
    # The honeypot is out of sight.
    expect(page.locator("#id_website")).not_to_be_in_viewport()
    page.screenshot(path=output_dir / "public-form.png", full_page=True)
    form.get_by_role("button", name="提交").click()

    code = page.get_by_test_id("tracking-code")
    expect(code).to_be_visible()
    shown = code.inner_text().replace("-", "")
    assert len(shown) == 12 and set(shown) <= set(TRACKING_ALPHABET)
    assert Submission.objects.get().tracking_code == shown
    page.screenshot(path=output_dir / "public-received.png", full_page=True)

    page.get_by_role("link", name="查看办理情况").click()
    expect(page.get_by_test_id("stage")).to_have_text("已收到，待归并")
    assert "13812345678" not in page.content()
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=output_dir / "public-track.png", full_page=True)


def test_staff_open_reporting_and_reply_deputy_follows(
    browser, live_server, campaign, staff, deputy, output_dir, console
):
    from oversight.submissions import actions
    from oversight.submissions.models import Kind
    from tests.browser.test_rectification_flow import log_in

    suggestion = actions.file_suggestion(
        actor=deputy,
        campaign=campaign,
        kind=Kind.SUGGESTION,
        title="关于促进医养结合快速发展的建议",
        text="支持养老机构内设医务室、护理站。",
        region=campaign.region,
    )
    page = log_in(browser, live_server.url, staff.username, console)
    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/submissions/")
    page.get_by_role("button", name="开放群众反映").click()
    expect(page.get_by_test_id("reporting-state")).to_have_text("已开放群众反映")
    public = actions.file_public_report(campaign=campaign, text="助餐点停运", phone="13812345678")
    page.reload()
    page.screenshot(path=output_dir / "staff-list-1280.png", full_page=True)
    page.get_by_role("link", name="助餐点停运").click()
    page.get_by_test_id("reply-form").get_by_label("公开答复").fill("已交市民政局办理。")
    page.get_by_role("button", name="发布公开答复").click()
    expect(page.get_by_test_id("public-reply")).to_contain_text("已交市民政局办理。")
    page.screenshot(path=output_dir / "staff-detail-1280.png", full_page=True)
    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/livelihood/")
    expect(page.get_by_test_id("suggestion-table")).to_contain_text(suggestion.title)
    page.screenshot(path=output_dir / "livelihood-1280.png", full_page=True)

    anonymous = console.attach(browser.new_page(viewport={"width": 390, "height": 844}))
    anonymous.goto(f"{live_server.url}/track/{public.tracking_code}/")
    expect(anonymous.get_by_test_id("public-reply")).to_contain_text("已交市民政局办理。")

    phone = console.attach(browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN"))
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("用户名").fill(deputy.username)
    phone.get_by_label("密码").fill("a-long-test-password")
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_test_id("my-suggestions")).to_contain_text(suggestion.title)
    phone.screenshot(path=output_dir / "deputy-mine-390.png", full_page=True)
    phone.get_by_role("link", name=suggestion.title).click()
    expect(phone.get_by_test_id("stage")).to_have_text("已收到，待归并")
    phone.screenshot(path=output_dir / "deputy-detail-390.png", full_page=True)
