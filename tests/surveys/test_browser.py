"""In a real browser: a citizen answers on a phone from the public link (no sign-in),
staff type in a paper form with the keyboard only, and the results draw their charts;
no CSP violation or script error anywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from oversight.surveys.models import Response, ResponseChannel
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def new_page(browser, console, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    return console.attach(context.new_page())


def test_a_citizen_answers_on_a_phone_and_staff_enter_a_paper_form(
    browser, live_server, questionnaire, questions, staff, output_dir, console
):
    base = live_server.url
    phone = new_page(browser, console, PHONE)
    phone.goto(base + reverse("surveys:answer", args=[questionnaire.token]))
    form = phone.get_by_test_id("answer-form")
    expect(form.get_by_test_id("question")).to_have_count(5)
    phone.screenshot(path=output_dir / "answer-phone.png", full_page=True)
    issues = form.get_by_test_id("question").nth(0)
    for issue in ["助餐点少", "上门服务少", "护理员少"]:
        issues.get_by_label(issue).check()
    # The limit of three: the other boxes are switched off, and the count is shown.
    expect(issues.get_by_label("收费不透明")).to_be_disabled()
    expect(issues.get_by_text("已选 3 / 3 项")).to_be_visible()
    form.get_by_label("所在县区").select_option(label="汝南县")
    form.get_by_label("家属").check()
    form.get_by_test_id("question").nth(3).get_by_text("4", exact=True).click()
    form.get_by_label("意见建议").fill("希望社区多建助餐点")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form.get_by_role("button", name="提交问卷").click()
    expect(phone.get_by_test_id("answer-state")).to_contain_text("提交成功")
    response = Response.objects.get()
    assert response.channel == ResponseChannel.ONLINE and response.region.code == "411727"
    assert response.answers.filter(question=questions["multiple"]).count() == 3
    # The same phone again: refused politely.
    phone.goto(base + reverse("surveys:answer", args=[questionnaire.token]))
    expect(phone.get_by_test_id("answer-state")).to_contain_text("您已经填写过本问卷")

    # Staff type a paper form in with the keyboard only.
    desk = new_page(browser, console, DESKTOP)
    desk.goto(f"{base}/accounts/login/?next={reverse('surveys:entry', args=[questionnaire.pk])}")
    desk.get_by_label("用户名").fill(staff.username)
    desk.get_by_label("密码").fill(PASSWORD)
    desk.get_by_role("button", name="登录").click()
    first = desk.locator(f"#id_{questions['multiple'].field_name}")
    expect(first).to_be_focused()
    desk.screenshot(path=output_dir / "entry-desktop.png", full_page=True)
    # 1 and 2; the region numbered 2 (驿城区, after the city itself); identity 1; 5 points.
    for typed in ["1 2", "2", "1", "5"]:
        desk.keyboard.type(typed)
        desk.keyboard.press("Tab")
    desk.keyboard.type("纸质问卷意见")
    desk.keyboard.press("Enter")
    expect(desk.get_by_test_id("entered")).to_contain_text("您已录入 1 份")
    expect(desk.locator(f"#id_{questions['multiple'].field_name}")).to_be_focused()
    expect(desk.locator(f"#id_{questions['multiple'].field_name}")).to_have_value("")
    paper = Response.objects.get(channel=ResponseChannel.OFFLINE)
    assert paper.entered_by == staff and paper.region.code == "411702"

    # The results draw one chart per question with options.
    desk.goto(base + reverse("surveys:results", args=[questionnaire.pk]))
    expect(desk.get_by_test_id("totals")).to_contain_text("答卷 2 份：线上 1 份，线下 1 份。")
    expect(desk.locator(".survey-chart canvas")).to_have_count(4)
    desk.screenshot(path=output_dir / "results-desktop.png", full_page=True)
    desk.goto(base + reverse("surveys:detail", args=[questionnaire.pk]))
    qr = desk.get_by_role("img", name="问卷二维码")
    expect(qr).to_be_visible()
    assert desk.evaluate("img => img.naturalWidth", qr.element_handle()) > 0
    desk.screenshot(path=output_dir / "builder-desktop.png", full_page=True)
    results_phone = new_page(browser, console, PHONE)
    results_phone.goto(
        f"{base}/accounts/login/?next={reverse('surveys:results', args=[questionnaire.pk])}"
    )
    results_phone.get_by_label("用户名").fill(staff.username)
    results_phone.get_by_label("密码").fill(PASSWORD)
    results_phone.get_by_role("button", name="登录").click()
    expect(results_phone.locator(".survey-chart canvas")).to_have_count(4)
    results_phone.screenshot(path=output_dir / "results-phone.png", full_page=True)
    # Staff turn the citizen's suggestion into a raw report from the texts page.
    desk.goto(base + reverse("surveys:texts", args=[questionnaire.pk]))
    row = desk.get_by_test_id("text-row").filter(has_text="希望社区多建助餐点")
    row.get_by_role("checkbox").check()
    desk.get_by_role("button", name="转为原始问题").click()
    expect(desk.get_by_text("已转为 1 条原始问题。")).to_be_visible()
    expect(row.get_by_test_id("converted")).to_be_visible()
    desk.screenshot(path=output_dir / "texts-desktop.png", full_page=True)
    desk.goto(base + reverse("surveys:list", args=[questionnaire.campaign.slug]))
    expect(desk.get_by_test_id("questionnaires")).to_contain_text("养老服务问卷")
    desk.screenshot(path=output_dir / "list-desktop.png", full_page=True)
