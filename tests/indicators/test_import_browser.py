"""A background import in a real browser: the job page polls its progress through htmx (no
inline script or style), reloads itself when the check ends, and the confirm writes."""

import pytest
from playwright.sync_api import expect

from oversight.indicators import jobs
from oversight.indicators.models import ImportJob, ImportStatus, IndicatorValue
from tests.browser.test_rectification_flow import log_in

from .test_import_jobs import value_rows, workbook

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_progress_then_preview_then_confirm(
    browser, live_server, staff, topic, output_dir, console, size
):
    content = workbook(value_rows(8)).read()
    # Made as the upload makes it, but with no worker yet: the job waits, half checked.
    job = ImportJob.objects.create(
        topic=topic,
        kind="values",
        created_by=staff,
        file_name="全市指标.xlsx",
        content=content,
        file_size=len(content),
        rows_total=8,
        rows_checked=4,
        created_at=jobs.timezone.now(),
    )
    page = log_in(browser, live_server.url, staff.username, console)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{live_server.url}/indicators/elderly-care/imports/{job.pk}/")
    progress = page.locator("progress.import-progress")
    expect(progress).to_have_attribute("value", "50")
    expect(page.get_by_test_id("rows-checked")).to_contain_text("已检查 4 行")
    page.screenshot(path=output_dir / "checking.png", full_page=True)

    jobs.check_import(job.pk)  # the worker finishes: the next poll reloads the page
    expect(page.get_by_test_id("job-status")).to_have_text("检查通过", timeout=10_000)
    expect(page.locator("[hx-trigger]")).to_have_count(0)
    page.screenshot(path=output_dir / "checked.png", full_page=True)

    page.get_by_test_id("job-confirm").click()
    expect(page.get_by_test_id("job-done")).to_contain_text("已导入 8 行")
    assert IndicatorValue.objects.count() == 8
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    page.screenshot(path=output_dir / "done.png", full_page=True)
    page.get_by_role("link", name="查看指标与达标").click()
    expect(page.get_by_test_id("child-table")).to_be_visible()
