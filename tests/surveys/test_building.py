"""Staff build a questionnaire through the pages: new, questions of each kind, order,
publish, close; what a draft allows and what a published one refuses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oversight.surveys import actions
from oversight.surveys.models import Question, QuestionKind, Questionnaire, Status

pytestmark = pytest.mark.django_db


def texts(questionnaire):
    return list(questionnaire.questions.order_by("position").values_list("text", flat=True))


def test_staff_build_publish_and_close_through_the_pages(client, staff, campaign):
    client.force_login(staff)
    list_url = reverse("surveys:list", args=[campaign.slug])
    assert "新建问卷" in client.get(list_url).text
    created = client.post(list_url, {"title": "助餐服务问卷", "description": "示意"})
    questionnaire = Questionnaire.objects.get()
    assert created["Location"] == reverse("surveys:detail", args=[questionnaire.pk])
    assert questionnaire.status == Status.DRAFT and questionnaire.created_by == staff

    add = reverse("surveys:add_question", args=[questionnaire.pk])
    client.post(
        add,
        {
            "kind": "multiple",
            "text": "问题",
            "required": "on",
            "options": "甲\n乙\n\n丙\n丁",
            "max_choices": "2",
        },
    )
    client.post(add, {"kind": "rating", "text": "满意程度", "required": "on", "scale_max": "10"})
    client.post(add, {"kind": "region", "text": "县区", "required": "on"})
    client.post(add, {"kind": "text", "text": "建议"})
    client.post(add, {"kind": "single", "text": "身份", "required": "on", "options": "老人\n家属"})
    assert texts(questionnaire) == ["问题", "满意程度", "县区", "建议", "身份"]
    multiple = Question.objects.get(text="问题")
    assert list(multiple.options.values_list("text", flat=True)) == ["甲", "乙", "丙", "丁"]
    assert multiple.max_choices == 2 and multiple.required
    assert Question.objects.get(text="满意程度").scale == range(1, 11)
    assert not Question.objects.get(text="建议").required

    # Order: the last question up twice, the first one down once.
    last = Question.objects.get(text="身份")
    move = reverse("surveys:move_question", args=[questionnaire.pk, last.pk])
    client.post(move, {"direction": "up"})
    client.post(move, {"direction": "up"})
    client.post(
        reverse("surveys:move_question", args=[questionnaire.pk, multiple.pk]),
        {"direction": "down"},
    )
    assert texts(questionnaire) == ["满意程度", "问题", "身份", "县区", "建议"]
    client.post(reverse("surveys:remove_question", args=[questionnaire.pk, multiple.pk]))
    assert texts(questionnaire) == ["满意程度", "身份", "县区", "建议"]
    assert list(
        questionnaire.questions.order_by("position").values_list("position", flat=True)
    ) == [1, 2, 3, 4]

    page = client.get(reverse("surveys:detail", args=[questionnaire.pk]))
    assert "汝南县" in page.text  # the region question lists the campaign's regions

    client.post(reverse("surveys:publish", args=[questionnaire.pk]))
    questionnaire.refresh_from_db()
    assert questionnaire.status == Status.PUBLISHED and questionnaire.published_at
    page = client.get(reverse("surveys:detail", args=[questionnaire.pk]))
    public = reverse("surveys:answer", args=[questionnaire.token])
    assert f"http://testserver{public}" in page.text
    assert reverse("surveys:qr", args=[questionnaire.pk, "png"]) in page.text

    client.post(reverse("surveys:close", args=[questionnaire.pk]))
    questionnaire.refresh_from_db()
    assert questionnaire.status == Status.CLOSED and questionnaire.closed_at


def test_a_published_questionnaire_cannot_be_edited(client, staff, questionnaire, questions):
    client.force_login(staff)
    before = texts(questionnaire)
    add = client.post(
        reverse("surveys:add_question", args=[questionnaire.pk]),
        {"kind": "text", "text": "新题"},
        follow=True,
    )
    assert "问卷已发布，不能再修改题目" in add.text
    moved = client.post(
        reverse("surveys:move_question", args=[questionnaire.pk, questions["text"].pk]),
        {"direction": "up"},
        follow=True,
    )
    assert "问卷已发布，不能再修改题目" in moved.text
    client.post(reverse("surveys:remove_question", args=[questionnaire.pk, questions["text"].pk]))
    assert texts(questionnaire) == before


def test_bad_questions_are_refused_with_reasons(client, staff, draft):
    client.force_login(staff)
    add = reverse("surveys:add_question", args=[draft.pk])
    cases = [
        ({"kind": "single", "text": "只有一个选项", "options": "甲"}, "选择题至少要有两个选项"),
        ({"kind": "multiple", "text": "重复", "options": "甲\n甲"}, "选项不能重复"),
        (
            {"kind": "multiple", "text": "上限", "options": "甲\n乙", "max_choices": "3"},
            "最多选几项须在 1 到选项数之间",
        ),
        ({"kind": "region", "text": "第二道地区题"}, "一份问卷只能有一道地区题"),
        ({"kind": "text", "text": "   "}, "请填写题目"),
    ]
    before = draft.questions.count()
    for data, message in cases:
        page = client.post(add, data)
        assert page.status_code == 400, data
        assert message in page.text, data
    assert draft.questions.count() == before


def test_an_empty_questionnaire_cannot_be_published(client, staff, campaign):
    questionnaire = actions.create_questionnaire(actor=staff, campaign=campaign, title="空问卷")
    client.force_login(staff)
    page = client.post(reverse("surveys:publish", args=[questionnaire.pk]), follow=True)
    assert "问卷还没有题目，不能发布" in page.text
    questionnaire.refresh_from_db()
    assert questionnaire.status == Status.DRAFT


def test_closing_twice_and_publishing_twice_are_refused(staff, questionnaire):
    with pytest.raises(Exception, match="只有草稿状态的问卷可以发布"):
        actions.publish(actor=staff, questionnaire=questionnaire)
    actions.close(actor=staff, questionnaire=questionnaire)
    with pytest.raises(Exception, match="只有已发布的问卷可以结束"):
        actions.close(actor=staff, questionnaire=questionnaire)


def test_qr_codes_download_as_png_and_svg(client, staff, questionnaire):
    client.force_login(staff)
    png = client.get(reverse("surveys:qr", args=[questionnaire.pk, "png"]) + "?download=1")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert png["Content-Disposition"].startswith("attachment")
    svg = client.get(reverse("surveys:qr", args=[questionnaire.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get(reverse("surveys:qr", args=[questionnaire.pk, "gif"])).status_code == 404


def test_a_draft_has_no_qr_code(client, staff, draft):
    client.force_login(staff)
    assert client.get(reverse("surveys:qr", args=[draft.pk, "png"])).status_code == 403


def test_the_nav_links_the_surveys_for_congress_users(client, staff, campaign):
    client.force_login(staff)
    page = client.get(reverse("campaigns:dashboard", args=[campaign.slug]))
    assert reverse("surveys:list", args=[campaign.slug]) in page.text


def test_the_setting_for_repeated_answers_is_saved(client, staff, questionnaire):
    client.force_login(staff)
    client.post(reverse("surveys:settings", args=[questionnaire.pk]), {"allow_repeat": "on"})
    questionnaire.refresh_from_db()
    assert questionnaire.allow_repeat
    client.post(reverse("surveys:settings", args=[questionnaire.pk]), {})
    questionnaire.refresh_from_db()
    assert not questionnaire.allow_repeat


def test_kinds_are_the_stable_codes():
    assert QuestionKind.values == ["single", "multiple", "rating", "text", "region"]
