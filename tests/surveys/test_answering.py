"""The public page: anyone with the link answers a published questionnaire once; every
refusal says why in Chinese and stores nothing."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from oversight.surveys import actions
from oversight.surveys.actions import TEXT_ANSWER_MAX_LENGTH
from oversight.surveys.models import Answer, Response, ResponseChannel

pytestmark = pytest.mark.django_db


def url(questionnaire):
    return reverse("surveys:answer", args=[questionnaire.token])


def nothing_stored():
    return Response.objects.count() == 0 and Answer.objects.count() == 0


def test_anyone_answers_a_published_questionnaire_without_signing_in(
    client, questionnaire, questions, fill
):
    page = client.get(url(questionnaire))
    assert page.status_code == 200
    assert "养老服务问卷" in page.text
    assert "最突出的问题" in page.text and "汝南县" in page.text
    # Nothing about the campaign's inside: no navigation, no other questionnaires' links.
    assert "问题清单" not in page.text and "/campaigns/" not in page.text

    sent = client.post(url(questionnaire), fill(text="希望多建助餐点"))
    assert sent.status_code == 302
    assert sent["Location"].endswith("?done=1")
    response = Response.objects.get()
    assert response.channel == ResponseChannel.ONLINE
    assert response.entered_by is None
    assert response.region.code == "411727"
    answers = Answer.objects.filter(response=response)
    assert sorted(a.option.text for a in answers.filter(question=questions["multiple"])) == [
        "助餐点少",
        "护理员少",
    ]
    assert answers.get(question=questions["rating"]).value == 4
    assert answers.get(question=questions["text"]).text == "希望多建助餐点"
    thanks = client.get(sent["Location"])
    assert "提交成功，感谢您的参与" in thanks.text


def test_an_optional_question_may_be_left_empty(client, questionnaire, questions, fill):
    assert client.post(url(questionnaire), fill(text="")).status_code == 302
    assert not Answer.objects.filter(question=questions["text"]).exists()


def test_more_choices_than_allowed_are_refused(client, questionnaire, fill):
    page = client.post(
        url(questionnaire), fill(issues=("助餐点少", "上门服务少", "收费不透明", "护理员少"))
    )
    assert page.status_code == 400
    assert "此题最多选择 3 项，您选择了 4 项。" in page.text
    assert nothing_stored()


def test_a_missing_required_answer_is_refused(client, questionnaire, fill):
    page = client.post(url(questionnaire), fill(rating=None, identity=None))
    assert page.status_code == 400
    assert page.text.count("此题为必答题。") == 2
    assert nothing_stored()


def test_a_draft_is_not_found(client, draft, fill):
    assert client.get(url(draft)).status_code == 404
    assert client.post(url(draft), fill()).status_code == 404
    assert nothing_stored()


def test_a_closed_questionnaire_says_so_and_takes_nothing(client, questionnaire, staff, fill):
    actions.close(actor=staff, questionnaire=questionnaire)
    page = client.get(url(questionnaire))
    assert page.status_code == 200
    assert "本问卷已结束，不再接受填写" in page.text
    assert 'data-testid="answer-form"' not in page.text
    refused = client.post(url(questionnaire), fill())
    assert refused.status_code == 400
    assert "本问卷已结束，不再接受填写" in refused.text
    assert nothing_stored()


def test_a_filled_honeypot_is_refused(client, questionnaire, fill):
    page = client.post(url(questionnaire), fill(website="http://spam.example"))
    assert page.status_code == 400
    assert "提交未被接受" in page.text
    assert nothing_stored()


def test_a_second_answer_from_the_same_browser_is_refused(client, questionnaire, fill):
    assert client.post(url(questionnaire), fill()).status_code == 302
    again = client.get(url(questionnaire))
    assert "您已经填写过本问卷" in again.text
    refused = client.post(url(questionnaire), fill())
    assert refused.status_code == 400
    assert "您已经填写过本问卷，每人只需填写一次" in refused.text
    assert Response.objects.count() == 1


def test_a_forged_cookie_does_not_count_as_answered(client, questionnaire, fill):
    client.cookies[f"survey-{questionnaire.pk}"] = "1"
    assert "您已经填写过" not in client.get(url(questionnaire)).text


def test_staff_may_allow_more_answers_per_browser(client, questionnaire, staff, fill):
    actions.update_settings(actor=staff, questionnaire=questionnaire, allow_repeat=True)
    assert client.post(url(questionnaire), fill()).status_code == 302
    assert "再填一份" in client.get(url(questionnaire) + "?done=1").text
    assert client.post(url(questionnaire), fill()).status_code == 302
    assert Response.objects.count() == 2


def test_oversize_text_is_refused(client, questionnaire, fill):
    page = client.post(url(questionnaire), fill(text="长" * (TEXT_ANSWER_MAX_LENGTH + 1)))
    assert page.status_code == 400
    assert f"回答不能超过 {TEXT_ANSWER_MAX_LENGTH} 个字" in page.text
    assert nothing_stored()
    assert (
        client.post(url(questionnaire), fill(text="长" * TEXT_ANSWER_MAX_LENGTH)).status_code == 302
    )


def test_a_region_outside_the_campaign_is_refused(client, questionnaire, fill):
    # 淇滨区 is in Hebi, not in the Zhumadian campaign's region.
    page = client.post(url(questionnaire), fill(county="410611"))
    assert page.status_code == 400
    assert "所选地区不在本次调查的范围内" in page.text
    assert nothing_stored()


def test_an_option_of_another_question_is_refused(client, questionnaire, questions, fill):
    other = questions["single"].options.first().pk
    page = client.post(url(questionnaire), fill(**{questions["multiple"].field_name: [other]}))
    assert page.status_code == 400
    assert "回答无效" in page.text
    assert nothing_stored()


@override_settings(SURVEYS_SUBMIT_RATE="3/m")
def test_too_many_answers_from_one_address_are_refused(client, questionnaire, staff, fill):
    actions.update_settings(actor=staff, questionnaire=questionnaire, allow_repeat=True)
    for _ in range(3):
        assert client.post(url(questionnaire), fill()).status_code == 302
    refused = client.post(url(questionnaire), fill())
    assert refused.status_code == 429
    assert "频繁" in refused.text or "稍后" in refused.text
    assert Response.objects.count() == 3
    # Reading the page is not limited.
    assert client.get(url(questionnaire)).status_code == 200


def test_a_wrong_answer_keeps_the_others_filled_in(client, questionnaire, questions, fill):
    page = client.post(url(questionnaire), fill(rating=None, text="保留这段话"))
    assert page.status_code == 400
    assert "保留这段话" in page.text


@pytest.mark.parametrize(
    "value", ["²", "1e400", str(10**30), "\x00", "1" * 5000, "-1", "养", "0x10"]
)
def test_strange_values_are_refused_not_a_server_error(
    client, questionnaire, questions, fill, value
):
    data = fill()
    data[questions["single"].field_name] = value
    data[questions["multiple"].field_name] = [value]
    data[questions["region"].field_name] = value
    data[questions["rating"].field_name] = value
    page = client.post(url(questionnaire), data)
    assert page.status_code == 400
    assert nothing_stored()
