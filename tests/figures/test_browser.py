"""The staff's review in a real browser: paste the Hebi bulletin, accept a figure, dismiss
another; no CSP violation on the way; screenshots on a desktop and a phone."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from oversight.figures.models import Decision, Extraction
from oversight.indicators.models import IndicatorValue
from tests.browser.test_rectification_flow import log_in

from .conftest import PARAGRAPH

pytestmark = pytest.mark.browser

SEED = Path(__file__).parent / "seeds" / "000_0d5cac026b1b12cf.txt"


def row(page, value):  # type: ignore[no-untyped-def]
    """The candidate whose value cell reads ``value``."""
    cell = page.get_by_test_id("candidate-value").get_by_text(value, exact=True)
    return page.get_by_test_id("candidate").filter(has=cell)


def test_staff_pastes_accepts_and_dismisses(
    browser, live_server, campaign, staff, output_dir, console
):
    page = log_in(browser, live_server.url, staff.username, console)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
    page.get_by_role("link", name="简报数据").click()
    form = page.get_by_test_id("extraction-form")
    form.get_by_label("标题").fill("第59期（测试）")
    form.get_by_label("粘贴简报正文").fill(PARAGRAPH + "\n" + SEED.read_text(encoding="utf-8"))
    form.get_by_role("button", name="提取数据").click()
    expect(page.get_by_text("已提取 46 项数据")).to_be_visible()
    page.screenshot(path=output_dir / "review-1280.png", full_page=False)

    rate = row(page, "71.16%")
    rate.get_by_label("指标").select_option("lottery-share")
    rate.get_by_label("地区").select_option(label="汝南县")
    rate.get_by_label("期间").fill("2024")
    rate.get_by_role("button", name="采用").click()
    expect(page.get_by_text("已采用为指标值")).to_be_visible()
    value = IndicatorValue.objects.get()
    assert (value.region.code, value.value) == ("411727", Decimal("71.16"))

    row(page, "111.5万元").get_by_role("button", name="排除").click()
    expect(row(page, "111.5万元").get_by_text("已排除")).to_be_visible()
    extraction = Extraction.objects.get()
    decisions = list(extraction.candidates.values_list("decision", flat=True))
    assert decisions.count(Decision.ACCEPTED) == decisions.count(Decision.DISMISSED) == 1

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/figures/{extraction.pk}/")
    page.screenshot(path=output_dir / "review-390.png", full_page=False)
    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/figures/")
    page.screenshot(path=output_dir / "list-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=output_dir / "list-1280.png", full_page=False)
