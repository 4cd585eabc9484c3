"""Staff type in paper questionnaires by option numbers; each keeps its channel and who
entered it; enter saves and opens the next empty form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.surveys import actions
from oversight.surveys.models import Answer, Response, ResponseChannel
from tests.surveys.conftest import valid_answers

pytestmark = pytest.mark.django_db


def entry_data(questions, issues="1 6", county="", identity="2", rating="5", text=""):
    return {
        questions["multiple"].field_name: issues,
        questions["region"].field_name: county,
        questions["single"].field_name: identity,
        questions["rating"].field_name: rating,
        questions["text"].field_name: text,
    }


def region_number(form_page_regions, code):
    return str([r.code for r in form_page_regions].index(code) + 1)


def test_staff_type_in_a_paper_form_by_option_numbers(client, staff, questionnaire, questions):
    client.force_login(staff)
    entry = reverse("surveys:entry", args=[questionnaire.pk])
    page = client.get(entry)
    assert page.status_code == 200
    # The cursor starts in the first box; the numbers of the options are shown next to it.
    first = questions["multiple"].field_name
    assert f'name="{first}"' in page.text and "autofocus" in page.text
    assert "<b>6</b> 护理员少" in page.text
    regions = list(actions.region_choices(questionnaire.campaign))
    county = region_number(regions, "411727")

    sent = client.post(entry, entry_data(questions, issues="1，6", county=county, text="纸质意见"))
    assert sent.status_code == 302 and sent["Location"] == entry
    response = Response.objects.get()
    assert response.channel == ResponseChannel.OFFLINE
    assert response.entered_by == staff
    assert response.region.code == "411727"
    chosen = Answer.objects.filter(response=response, question=questions["multiple"])
    assert sorted(a.option.text for a in chosen) == ["助餐点少", "护理员少"]
    assert Answer.objects.get(response=response, question=questions["single"]).option.text == "家属"
    assert Answer.objects.get(response=response, question=questions["rating"]).value == 5

    # The next empty form, with the count of this user's entries.
    after = client.get(entry)
    assert f"第 {response.pk} 份答卷已保存" in after.text
    assert 'data-testid="entered">您已录入 1 份' in after.text
    assert "纸质意见" not in after.text


def test_wrong_numbers_are_refused_next_to_the_box(client, staff, questionnaire, questions):
    client.force_login(staff)
    entry = reverse("surveys:entry", args=[questionnaire.pk])
    cases = [
        (entry_data(questions, issues="1 2 3 4", county="1"), "此题最多选择 3 项"),
        (entry_data(questions, issues="9", county="1"), "没有编号为“9”的选项"),
        (entry_data(questions, county="1", rating="7"), "请选择 1 到 5 分"),
        (entry_data(questions, county=""), "此题为必答题"),
    ]
    for data, message in cases:
        page = client.post(entry, data)
        assert page.status_code == 400, data
        assert message in page.text, data
    assert Response.objects.count() == 0


def test_papers_may_be_typed_in_after_closing_but_not_into_a_draft(staff, questionnaire, campaign):
    actions.close(actor=staff, questionnaire=questionnaire)
    response = actions.submit_response(
        actor=staff,
        questionnaire=questionnaire,
        answers=valid_answers(questionnaire),
        channel=ResponseChannel.OFFLINE,
    )
    assert response.channel == ResponseChannel.OFFLINE
    # Online answers stop at closing.
    with pytest.raises(ValidationError, match="本问卷目前不接受填写"):
        actions.submit_response(
            actor=None, questionnaire=questionnaire, answers=valid_answers(questionnaire)
        )
    draft = actions.create_questionnaire(actor=staff, campaign=campaign, title="草稿")
    actions.add_question(actor=staff, questionnaire=draft, kind="text", text="建议")
    with pytest.raises(ValidationError, match="问卷尚未发布，不能录入答卷"):
        actions.submit_response(
            actor=staff, questionnaire=draft, answers={}, channel=ResponseChannel.OFFLINE
        )


def test_only_the_organising_staff_enter_papers(
    client, member, outsider, county_user, questionnaire
):
    entry = reverse("surveys:entry", args=[questionnaire.pk])
    client.force_login(member)
    assert client.get(entry).status_code == 403
    client.force_login(outsider)
    assert client.get(entry).status_code == 404
    with pytest.raises(Exception, match="只有组织本次联动监督的人大工作人员"):
        actions.submit_response(
            actor=county_user, questionnaire=questionnaire, answers={}, channel="offline"
        )


@pytest.mark.parametrize("typed", ["²", "５", str(10**30), "1e3", "\x00", "-1"])
def test_strange_numbers_are_refused_or_read_not_a_server_error(
    client, staff, questionnaire, questions, typed
):
    client.force_login(staff)
    entry = reverse("surveys:entry", args=[questionnaire.pk])
    data = entry_data(questions, issues=typed, county=typed, identity=typed, rating=typed)
    page = client.post(entry, data)
    # Full-width ５ reads as 5: the fifth issue, the fifth region, but there are three identities.
    assert page.status_code == 400
    assert Response.objects.count() == 0


def test_strange_query_strings_do_not_break_the_pages(client, staff, questionnaire):
    client.force_login(staff)
    for name in ("results", "texts", "detail", "entry"):
        url = reverse(f"surveys:{name}", args=[questionnaire.pk])
        for query in [
            "region=%00",
            "channel=" + "养" * 5000,
            "page=" + str(10**30),
            "page=-1&pending=1",
        ]:
            assert client.get(f"{url}?{query}").status_code == 200, (name, query)
    texts = reverse("surveys:texts", args=[questionnaire.pk])
    assert (
        client.post(texts, {"answers": ["²", str(10**30), "abc"]}, follow=True).status_code == 200
    )
