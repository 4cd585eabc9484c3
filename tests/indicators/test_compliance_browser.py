"""The compliance page in a real browser, at desktop and phone sizes: a city's counties with
a shortfall highlighted, drill-down to the county, and its trend chart drawn (no console or
CSP errors)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_rectification_flow import log_in

from .conftest import enter

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
def test_city_to_county_with_shortfall_and_trend(
    browser, live_server, staff, topic, output_dir, console, size
):
    figures = [("2023", "0.18", "0.12", "0.40"), ("2024", "0.25", "0.15", "0.51")]
    for period, city, xiping, runan in figures:
        enter(staff, topic, "411700", "land-per-capita", city, period=period)
        enter(staff, topic, "411721", "land-per-capita", xiping, period=period)
        enter(staff, topic, "411727", "land-per-capita", runan, period=period)
    page = log_in(browser, live_server.url, staff.username, console)
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/indicators/elderly-care/411700/?period=2024")

    children = page.get_by_test_id("child-table")
    xiping = children.locator("tr[data-region='411721'] td")
    expect(xiping).to_have_class("num table-danger shortfall")
    expect(children.locator("tr[data-region='411727'] td")).to_have_class("num complies")
    expect(page.locator("#indicator-trend canvas")).to_have_count(1)
    page.screenshot(path=output_dir / f"city-{size}.png", full_page=True)

    children.get_by_role("link", name="西平县").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("西平县")
    expect(page.get_by_role("navigation", name="地区层级")).to_contain_text("驻马店市")
    own = page.get_by_test_id("own-table").locator("tr[data-indicator='land-per-capita']")
    expect(own).to_have_class("table-danger shortfall")
    expect(own).to_contain_text("未达标")
    canvas = page.locator("#indicator-trend canvas")
    expect(canvas).to_have_count(1)
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    assert box["x"] + box["width"] <= width + 1  # fits the screen
    page.screenshot(path=output_dir / f"county-{size}.png", full_page=True)
