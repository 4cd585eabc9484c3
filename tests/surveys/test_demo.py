"""Hebi's demo questionnaire: 20 hot issues (pick up to 5), a region, a rating and a
free-text question, answered online and offline through the actions; a few suggestions
turned into raw reports; loading again changes nothing."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from oversight.problems.models import Channel
from oversight.surveys import demo as surveys_demo
from oversight.surveys.models import Answer, QuestionKind, Questionnaire, Response


@pytest.fixture
def demo(db):
    call_command("demo", "--no-serve", stdout=StringIO())


def figures():
    out = StringIO()
    call_command("surveys", "hebi-2024", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_hebi_questionnaire_is_built_answered_and_converted(demo):
    data = figures()
    (survey,) = data["questionnaires"]
    assert survey["responses"] == {"online": surveys_demo.ONLINE, "offline": surveys_demo.OFFLINE}
    kinds = [q["kind"] for q in survey["questions"]]
    assert kinds == ["multiple", "region", "single", "rating", "text"]
    issues = survey["questions"][0]["options"]
    assert [o["text"] for o in issues] == surveys_demo.HOT_ISSUES and len(issues) == 20
    assert {o["text"] for o in survey["questions"][1]["options"]} <= {
        "鹤山区",
        "山城区",
        "淇滨区",
        "浚县",
        "淇县",
    }
    assert [o["text"] for o in survey["questions"][3]["options"]] == ["1", "2", "3", "4", "5"]

    questionnaire = Questionnaire.objects.get(campaign__slug="hebi-2024")
    assert "示意" in questionnaire.description
    assert questionnaire.status == "closed"
    # Nobody picked more than five issues.
    most = (
        Answer.objects.filter(
            question__kind=QuestionKind.MULTIPLE, response__questionnaire=questionnaire
        )
        .values("response")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert 1 <= most["n"] <= 5
    offline = Response.objects.filter(questionnaire=questionnaire, channel="offline")
    assert set(offline.values_list("entered_by__username", flat=True)) == {"hebi-staff"}
    converted = Answer.objects.filter(
        response__questionnaire=questionnaire, raw_report__isnull=False
    )
    assert converted.count() == surveys_demo.CONVERTED
    assert {a.raw_report.channel for a in converted} == {Channel.PUBLIC}
    assert all(a.raw_report.text == a.text for a in converted)

    surveys_demo.load_demo()
    assert figures() == data
