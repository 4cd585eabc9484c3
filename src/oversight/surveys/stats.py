"""A questionnaire's figures, computed from the answers by a few grouped queries.

Percentages are of the respondents who answered the question (those who skipped an
optional question are not counted in it); in a multiple-choice question each respondent
may count in several options, so its percentages may add up to more than 100%.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, QuerySet

from oversight.regions.models import Region

from .models import Answer, Question, QuestionKind, Questionnaire, Response, ResponseChannel


def percent(count: int, total: int) -> str:
    """23 of 29 → ``79.3%``: one decimal, rounded half up, as every rate on the pages."""
    if not total:
        return "—"
    share = (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{share}%"


@dataclass(frozen=True)
class OptionCount:
    text: str
    count: int
    percent: str


@dataclass
class QuestionResult:
    question: Question
    respondents: int
    options: list[OptionCount] = field(default_factory=list)
    mean: str = ""

    @property
    def kind(self) -> str:
        return self.question.kind


@dataclass
class Results:
    online: int
    offline: int
    questions: list[QuestionResult]

    @property
    def responses(self) -> int:
        return self.online + self.offline


def filtered_responses(
    questionnaire: Questionnaire, *, region: Region | None = None, channel: str | None = None
) -> QuerySet[Response]:
    """The responses the results count: of one channel, and in ``region`` or below it."""
    responses = Response.objects.filter(questionnaire=questionnaire)
    if channel:
        responses = responses.filter(channel=channel)
    if region is not None:
        responses = responses.filter(region.subtree_q("region"))
    return responses


# Cached results are dropped after this long; the last response in their key keeps them exact.
RESULTS_TTL = 15 * 60


def results(
    questionnaire: Questionnaire, *, region: Region | None = None, channel: str | None = None
) -> Results:
    """The figures, computed once per new response: responses are only ever added (never
    edited or removed), so the latest one's id tells whether anything changed, and reading
    the figures again does not go over every answer."""
    last = (
        Response.objects.filter(questionnaire=questionnaire)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    key = f"survey-results:{questionnaire.pk}:{last}:{region.pk if region else ''}:{channel or ''}"
    found: Results | None = cache.get(key)
    if found is None:
        found = _computed(questionnaire, region=region, channel=channel)
        cache.set(key, found, RESULTS_TTL)
    return found


def _computed(
    questionnaire: Questionnaire, *, region: Region | None = None, channel: str | None = None
) -> Results:
    responses = filtered_responses(questionnaire, region=region, channel=channel)
    by_channel = dict(responses.values_list("channel").annotate(n=Count("id")).order_by())
    if region is None and channel is None:
        # All the questionnaire's answers: no need to join them to the responses.
        answers = Answer.objects.filter(question__questionnaire=questionnaire)
    else:
        answers = Answer.objects.filter(response__in=responses.values("pk"))
    respondents = dict(
        answers.values_list("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    )
    by_option = dict(
        answers.filter(option__isnull=False)
        .values_list("option_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_value: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, value, count in (
        answers.filter(value__isnull=False)
        .values_list("question_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_value[question_id][value] = count
    by_region: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for question_id, code, name, count in (
        answers.filter(region__isnull=False)
        .values_list("question_id", "region__code", "region__name")
        .annotate(n=Count("id"))
        .order_by("region__code")
    ):
        by_region[question_id].append((code, name, count))

    questions: list[QuestionResult] = []
    for question in questionnaire.questions.prefetch_related("options"):
        total = respondents.get(question.pk, 0)
        result = QuestionResult(question=question, respondents=total)
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = [(o.text, by_option.get(o.pk, 0)) for o in question.options.all()]
        elif question.kind == QuestionKind.RATING:
            scores = by_value[question.pk]
            counts = [(str(point), scores.get(point, 0)) for point in question.scale]
            if total:
                mean = Decimal(sum(p * n for p, n in scores.items())) / Decimal(total)
                result.mean = str(mean.quantize(Decimal("0.01"), ROUND_HALF_UP))
        elif question.kind == QuestionKind.REGION:
            counts = [(name, count) for _code, name, count in by_region[question.pk]]
        else:
            counts = []
        result.options = [OptionCount(text, n, percent(n, total)) for text, n in counts]
        questions.append(result)
    return Results(
        online=by_channel.get(ResponseChannel.ONLINE, 0),
        offline=by_channel.get(ResponseChannel.OFFLINE, 0),
        questions=questions,
    )
