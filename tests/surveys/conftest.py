"""A questionnaire of the Zhumadian test campaign with one question of each kind.

- `draft`: built by `staff`, not yet published
- `questionnaire`: the same, published
- `questions`: its questions by kind: multiple (6 options, at most 3), region, single,
  rating (1–5), text (optional)
- `fill`: POST data for the public page from readable answers
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from oversight.accounts.models import User
from oversight.campaigns.models import Campaign
from oversight.regions.models import Region
from oversight.surveys import actions
from oversight.surveys.models import Question, QuestionKind, Questionnaire
from tests.browser.conftest import browser, console, output_dir  # noqa: F401  (for test_browser)

ISSUES = ["助餐点少", "上门服务少", "日间照料中心不开门", "敬老院设施旧", "收费不透明", "护理员少"]
IDENTITIES = ["老年人", "家属", "其他"]


@pytest.fixture
def draft(campaign: Campaign, staff: User) -> Questionnaire:
    questionnaire = actions.create_questionnaire(
        actor=staff, campaign=campaign, title="养老服务问卷", description="请如实填写。"
    )
    build: list[dict[str, Any]] = [
        {
            "kind": QuestionKind.MULTIPLE,
            "text": "最突出的问题",
            "options": ISSUES,
            "max_choices": 3,
        },
        {"kind": QuestionKind.REGION, "text": "所在县区"},
        {"kind": QuestionKind.SINGLE, "text": "您的身份", "options": IDENTITIES},
        {"kind": QuestionKind.RATING, "text": "总体满意程度"},
        {"kind": QuestionKind.TEXT, "text": "意见建议", "required": False},
    ]
    for arguments in build:
        actions.add_question(actor=staff, questionnaire=questionnaire, **arguments)
    return questionnaire


@pytest.fixture
def questionnaire(draft: Questionnaire, staff: User) -> Questionnaire:
    return actions.publish(actor=staff, questionnaire=draft)


@pytest.fixture
def questions(draft: Questionnaire) -> dict[str, Question]:
    return {question.kind: question for question in draft.questions.all()}


def region(code: str) -> Region:
    return Region.objects.get(code=code)


Fill = Callable[..., dict[str, Any]]


@pytest.fixture
def fill(questions: dict[str, Question]) -> Fill:
    """POST data: issues and identity by text, the region by code, the rating, the text."""

    def build(
        issues: tuple[str, ...] = ("助餐点少", "护理员少"),
        county: str | None = "411727",
        identity: str | None = "老年人",
        rating: int | None = 4,
        text: str = "",
        **extra: Any,
    ) -> dict[str, Any]:
        multiple, single = questions["multiple"], questions["single"]
        data: dict[str, Any] = {
            multiple.field_name: [o.pk for o in multiple.options.filter(text__in=issues)],
            questions["region"].field_name: region(county).pk if county else "",
            single.field_name: single.options.get(text=identity).pk if identity else "",
            questions["rating"].field_name: rating or "",
            questions["text"].field_name: text,
            "website": "",
        }
        data.update(extra)
        return data

    return build


def valid_answers(questionnaire: Questionnaire, county: str = "411727") -> dict[int, Any]:
    """Answers the actions take: first two issues, the county, the first identity, 4 points."""
    answers: dict[int, Any] = {}
    for question in questionnaire.questions.all():
        options = list(question.options.values_list("pk", flat=True))
        answers[question.pk] = {
            QuestionKind.MULTIPLE: options[:2],
            QuestionKind.REGION: region(county).pk,
            QuestionKind.SINGLE: options[:1] and options[0],
            QuestionKind.RATING: 4,
            QuestionKind.TEXT: "",
        }[question.kind]
    return answers
