"""``oversight surveys CAMPAIGN --json``: the script contract's exact keys."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.surveys import actions
from oversight.surveys.models import ResponseChannel
from tests.surveys.conftest import valid_answers

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("surveys", *args, stdout=out)
    return out.getvalue()


def test_the_json_has_the_contract_keys_and_counts(campaign, questionnaire, questions, staff):
    actions.submit_response(
        actor=None, questionnaire=questionnaire, answers=valid_answers(questionnaire)
    )
    offline = valid_answers(questionnaire, county="411702")
    offline[questions["text"].pk] = "纸质意见"
    actions.submit_response(
        actor=staff, questionnaire=questionnaire, answers=offline, channel=ResponseChannel.OFFLINE
    )

    data = json.loads(run(campaign.slug, "--json"))
    assert list(data) == ["questionnaires"]
    (survey,) = data["questionnaires"]
    assert list(survey) == ["title", "responses", "questions"]
    assert survey["title"] == "养老服务问卷"
    assert survey["responses"] == {"online": 1, "offline": 1}
    by_kind = {q["kind"]: q for q in survey["questions"]}
    assert [q["kind"] for q in survey["questions"]] == [
        "multiple",
        "region",
        "single",
        "rating",
        "text",
    ]
    for question in survey["questions"]:
        assert list(question) == ["text", "kind", "options"]
        assert all(list(option) == ["text", "count"] for option in question["options"])
    assert by_kind["multiple"]["options"][:3] == [
        {"text": "助餐点少", "count": 2},
        {"text": "上门服务少", "count": 2},
        {"text": "日间照料中心不开门", "count": 0},
    ]
    assert by_kind["rating"]["options"] == [
        {"text": str(p), "count": 2 if p == 4 else 0} for p in range(1, 6)
    ]
    assert by_kind["region"]["options"] == [
        {"text": "驿城区", "count": 1},
        {"text": "汝南县", "count": 1},
    ]
    assert by_kind["text"]["options"] == []
    assert by_kind["single"]["options"][0] == {"text": "老年人", "count": 2}


def test_a_campaign_without_questionnaires_prints_an_empty_list(campaign):
    assert json.loads(run(campaign.slug, "--json")) == {"questionnaires": []}


def test_an_unknown_campaign_is_an_error_in_chinese(campaign):
    with pytest.raises(CommandError, match="没有标识为 'nowhere' 的联动监督"):
        run("nowhere", "--json")


def test_the_text_output_reads(campaign, questionnaire):
    text = run(campaign.slug)
    assert "养老服务问卷（已发布）：线上 0 份，线下 0 份" in text
