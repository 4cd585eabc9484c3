"""The results, the free-text answers and the public page run as many queries at 300
responses as at 10 (issue 10: pages whose cost does not grow with the data)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.surveys import actions
from oversight.surveys.models import ResponseChannel
from tests.surveys.conftest import valid_answers

pytestmark = pytest.mark.django_db


def respond(questionnaire, staff, count):
    answers = valid_answers(questionnaire)
    text = next(q for q in questionnaire.questions.all() if q.kind == "text")
    for index in range(count):
        answers[text.pk] = f"第{index}条意见"
        actions.submit_response(
            actor=staff,
            questionnaire=questionnaire,
            answers=answers,
            channel=ResponseChannel.OFFLINE,
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", ["surveys:results", "surveys:texts", "surveys:detail"])
def test_pages_do_not_grow_with_the_responses(client, staff, questionnaire, page):
    client.force_login(staff)
    url = reverse(page, args=[questionnaire.pk])
    respond(questionnaire, staff, 10)
    small = queries(client, url)
    respond(questionnaire, staff, 290)
    assert queries(client, url) == small


def test_results_are_read_again_from_the_cache_until_a_new_response(client, staff, questionnaire):
    client.force_login(staff)
    url = reverse("surveys:results", args=[questionnaire.pk])
    respond(questionnaire, staff, 3)
    computed = queries(client, url)
    assert queries(client, url) < computed
    assert client.get(url).context["results"].offline == 3
    respond(questionnaire, staff, 1)
    assert client.get(url).context["results"].offline == 4
