"""Free-text answers become raw reports of the public channel in one staff action, linked
from the answer, never twice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oversight.problems.models import Channel, RawReport
from oversight.surveys import actions
from oversight.surveys.models import Answer
from tests.surveys.conftest import valid_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(questionnaire, questions):
    for county, text in [
        ("411727", "汝南县助餐点太少"),
        ("411702", "驿城区养老院收费高"),
        ("411727", "希望多组织活动"),
    ]:
        answers = valid_answers(questionnaire, county=county)
        answers[questions["text"].pk] = text
        actions.submit_response(actor=None, questionnaire=questionnaire, answers=answers)
    return list(Answer.objects.filter(question=questions["text"]).order_by("pk"))


def test_staff_turn_chosen_answers_into_raw_reports(client, staff, questionnaire, texts):
    client.force_login(staff)
    url = reverse("surveys:texts", args=[questionnaire.pk])
    page = client.get(url)
    assert all(answer.text in page.text for answer in texts)
    done = client.post(url, {"answers": [texts[0].pk, texts[1].pk]}, follow=True)
    assert "已转为 2 条原始问题。" in done.text
    reports = list(RawReport.objects.order_by("pk"))
    assert [r.text for r in reports] == ["汝南县助餐点太少", "驿城区养老院收费高"]
    assert {r.channel for r in reports} == {Channel.PUBLIC}
    assert [r.region.code for r in reports] == ["411727", "411702"]
    assert all(r.campaign == questionnaire.campaign and r.created_by == staff for r in reports)
    assert "养老服务问卷" in reports[0].reporter
    texts[0].refresh_from_db()
    assert texts[0].raw_report == reports[0]
    assert done.text.count('data-testid="converted"') == 2

    # Choosing a converted answer again converts only the new one.
    again = client.post(url, {"answers": [texts[0].pk, texts[2].pk]}, follow=True)
    assert "已转为 1 条原始问题。另有 1 条此前已转过，未重复转换。" in again.text
    assert RawReport.objects.count() == 3
    assert RawReport.objects.filter(text="汝南县助餐点太少").count() == 1


def test_nothing_chosen_is_refused(client, staff, questionnaire, texts):
    client.force_login(staff)
    page = client.post(reverse("surveys:texts", args=[questionnaire.pk]), {}, follow=True)
    assert "请至少选择一条文字回答。" in page.text
    assert not RawReport.objects.exists()


def test_answers_of_another_questionnaire_or_question_are_not_converted(
    staff, questionnaire, campaign, texts, questions
):
    other = actions.create_questionnaire(actor=staff, campaign=campaign, title="另一份")
    not_text = Answer.objects.filter(question=questions["rating"]).first()
    converted = actions.convert_to_raw_reports(
        actor=staff, questionnaire=other, answer_ids=[texts[0].pk]
    )
    assert converted == []
    converted = actions.convert_to_raw_reports(
        actor=staff, questionnaire=questionnaire, answer_ids=[not_text.pk]
    )
    assert converted == [] and not RawReport.objects.exists()


def test_only_the_organising_staff_convert(member, questionnaire, texts):
    with pytest.raises(Exception, match="只有组织本次联动监督的人大工作人员"):
        actions.convert_to_raw_reports(
            actor=member, questionnaire=questionnaire, answer_ids=[texts[0].pk]
        )
    assert not RawReport.objects.exists()
