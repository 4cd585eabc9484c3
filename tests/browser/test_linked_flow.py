"""Three levels in a real browser: a county congress answers in writing, the city accepts,
and the province's roll-up of the city moves."""

import pytest
from playwright.sync_api import expect

from oversight.problems.models import Status
from tests.browser.test_rectification_flow import log_in, open_form
from tests.conftest import org
from tests.linking import *  # noqa: F403
from tests.linking import RUNAN

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def test_county_answers_in_writing_city_accepts_province_rollup_moves(
    browser,
    live_server,
    province,
    province_staff,
    campaign,
    staff,
    county_user,
    make_problem,
    output_dir,
    console,
):
    make_problem(Status.ASSIGNED, title="市直部门的问题")
    problem = make_problem(
        Status.ASSIGNED, assignee=org(RUNAN, "congress"), title="汝南县助餐点停运"
    )
    row = f"child-{campaign.slug}"

    # The province sees the city with nothing done yet.
    province_page = log_in(browser, live_server.url, province_staff.username, console)
    province_page.goto(f"{live_server.url}/campaigns/{province.slug}/")
    expect(province_page.get_by_test_id(row).get_by_test_id("child-completed")).to_have_text("0")
    expect(province_page.get_by_test_id(row).get_by_test_id("child-rate")).to_have_text("0.0%")

    # The county congress lands on its own campaign and answers in writing, with the report.
    page = log_in(browser, live_server.url, county_user.username, console)
    expect(page.get_by_role("heading", name="汝南县联动监督")).to_be_visible()
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    report = open_form(page, "claim-form")
    report.get_by_label("整改完成情况").fill("县政府已恢复全部助餐点运营，附书面报告")
    report.get_by_label("整改类型").select_option(label="立行立改")
    report.get_by_label("佐证材料").set_input_files(
        files=[{"name": "汝南县书面报告.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    report.get_by_role("button", name="提交书面报告").click()
    expect(page.get_by_test_id("status")).to_have_text("申请办结")
    expect(page.get_by_role("link", name="汝南县书面报告.pdf")).to_be_visible()

    # The city accepts.
    staff_page = log_in(browser, live_server.url, staff.username, console)
    staff_page.goto(f"{live_server.url}/problems/{problem.pk}/")
    review = open_form(staff_page, "review-form")
    review.get_by_label("确认办结").check()
    review.get_by_role("button", name="提交审核意见").click()
    expect(staff_page.get_by_test_id("status")).to_have_text("已办结")
    # The county's campaign row on the city's dashboard: what the city assigned, now done.
    staff_page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
    county_row = staff_page.locator("[data-testid^='child-zhumadian-test-']")
    expect(county_row.get_by_test_id("child-from-parent-completed")).to_have_text("1")

    # The province's roll-up of the city moves, table and chart.
    province_page.reload()
    expect(province_page.get_by_test_id(row).get_by_test_id("child-completed")).to_have_text("1")
    expect(province_page.get_by_test_id(row).get_by_test_id("child-rate")).to_have_text("50.0%")
    expect(province_page.locator("#children-chart canvas")).to_have_count(1)
    # Sorting is a plain link to the server: no script, no CSP exception.
    province_page.get_by_test_id("children-table").get_by_role("link", name="办结率").click()
    expect(province_page.locator("th[aria-sort]")).to_have_count(1)
    province_page.screenshot(path=output_dir / "province-rollup.png", full_page=True)
    assert (output_dir / "province-rollup.png").stat().st_size > 10_000
