"""A liaison reports progress and claims completion; staff accept; the dashboard moves."""

import re

import pytest
from playwright.sync_api import expect

from oversight.problems.models import Status
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(browser, base_url, username, console):
    page = console.attach(browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN"))
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page


def open_form(page, testid):
    """Action forms sit in collapsible sections; open the one we need and wait until the
    animation has finished, so typing and clicking land on a settled form."""
    page.wait_for_load_state()
    section = page.locator(f"#{testid}-section")
    if "show" not in (section.get_attribute("class") or "").split():
        page.locator(f"[data-bs-target='#{testid}-section']").click()
    expect(section).to_have_class(re.compile(r"\bcollapse\b.*\bshow\b"))
    return page.get_by_test_id(testid)


def test_liaison_claims_staff_accepts_rate_changes(
    browser, live_server, campaign, staff, liaison_a, make_problem, output_dir, console
):
    make_problem(Status.COMPLETED, title="已办结的问题")
    problem = make_problem(Status.ASSIGNED, title="社区养老服务中心闲置")

    # Staff see one of two problems done.
    staff_page = log_in(browser, live_server.url, staff.username, console)
    staff_page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
    expect(staff_page.get_by_test_id("completion-rate")).to_have_text("50.0%")

    # The liaison reports progress, then claims completion.
    page = log_in(browser, live_server.url, liaison_a.username, console)
    page.get_by_role("link", name="社区养老服务中心闲置").click()
    progress = open_form(page, "progress-form")
    progress.get_by_label("整改进展").fill("已完成设施排查，制定运营方案")
    progress.get_by_role("button", name="报送进展").click()
    expect(page.get_by_test_id("status")).to_have_text("整改中")
    claim = open_form(page, "claim-form")
    claim.get_by_label("整改完成情况").fill("中心已交由专业机构运营，每日开放")
    claim.get_by_label("整改类型").select_option(label="立行立改")
    claim.get_by_role("button", name="申请办结").click()
    expect(page.get_by_test_id("status")).to_have_text("申请办结")
    page.screenshot(path=output_dir / "liaison-claimed.png", full_page=True)

    # Staff accept; the timeline shows the whole history and the rate moves.
    staff_page.goto(f"{live_server.url}/problems/{problem.pk}/")
    review = open_form(staff_page, "review-form")
    review.get_by_label("确认办结").check()
    review.get_by_role("button", name="提交审核意见").click()
    expect(staff_page.get_by_test_id("status")).to_have_text("已办结")
    timeline = staff_page.get_by_test_id("timeline").inner_text()
    for step in ("交办", "报送整改进展", "申请办结", "确认办结"):
        assert step in timeline
    staff_page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
    expect(staff_page.get_by_test_id("completion-rate")).to_have_text("100.0%")
    # The chart is drawn in the browser from the server's figures (vendored ECharts).
    expect(staff_page.locator("#completion-chart canvas")).to_have_count(1)
    staff_page.screenshot(path=output_dir / "dashboard-after.png", full_page=True)

    problem.refresh_from_db()
    assert problem.status == Status.COMPLETED
    assert (output_dir / "dashboard-after.png").stat().st_size > 10_000


def test_the_console_watch_catches_a_csp_violation(browser, live_server, staff, campaign):
    """The watch the other browser tests rely on does see a refused inline script."""
    from tests.browser.conftest import ConsoleWatch

    watch = ConsoleWatch()
    page = log_in(browser, live_server.url, staff.username, watch)
    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert any("script-src" in violation for violation in watch.csp_violations)
