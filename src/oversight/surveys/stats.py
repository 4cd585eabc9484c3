"""A questionnaire's figures, computed from the answers by a few grouped queries.

Percentages are of the respondents who answered the question (those who skipped an
optional question are not counted in it); in a multiple-choice question each respondent
may count in several options, so its percentages may add up to more than 100%.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

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


# Tallies stay exact as responses are added (see ``results``), so they may live long: the
# lifetime only frees the cache of questionnaires nobody opens any more.
TALLIES_TTL = 24 * 60 * 60
# Longer than a response's transaction takes, and how often the responses may be counted
# (see ``results``).
SETTLE_SECONDS = 60


@dataclass
class _Tallies:
    """The counts behind the figures, of the responses with ids up to ``last``: small,
    picklable, and added to as responses arrive instead of counted again."""

    last: int
    # How many of the questionnaire's responses (of any channel and region) with ids up
    # to ``last`` these tallies went over: what counting them in the database must give.
    seen: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)
    respondents: Counter[int] = field(default_factory=Counter)
    by_option: Counter[int] = field(default_factory=Counter)
    by_value: Counter[tuple[int, int]] = field(default_factory=Counter)
    by_region: Counter[tuple[int, int]] = field(default_factory=Counter)
    # When responses were last counted into them, and when the count was last checked.
    counted_at: float = 0.0
    checked_at: float = 0.0

    def add(self, newer: _Tallies) -> None:
        """Add the tallies of the responses after ``last``. Each response is on one side
        only, so even the respondents per question (distinct responses) add up."""
        self.last = newer.last
        self.seen += newer.seen
        self.by_channel.update(newer.by_channel)
        self.respondents.update(newer.respondents)
        self.by_option.update(newer.by_option)
        self.by_value.update(newer.by_value)
        self.by_region.update(newer.by_region)


def _tally(
    questionnaire: Questionnaire,
    *,
    region: Region | None,
    channel: str | None,
    above: int = 0,
    upto: int | None = None,
) -> _Tallies:
    """The tallies of the responses with ``above`` < id <= ``upto`` (no ``upto``: all)."""
    ids, answer_ids = Q(pk__gt=above), Q(response_id__gt=above)
    if upto is not None:
        ids &= Q(pk__lte=upto)
        answer_ids &= Q(response_id__lte=upto)
    # Counted first: a response committed while the rest runs may then be in the counts
    # below but not in ``seen``, and the next check counts again rather than miss it.
    everyone = dict(
        Response.objects.filter(ids, questionnaire=questionnaire)
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_channel = everyone
    if region is not None:
        by_channel = dict(
            filtered_responses(questionnaire, region=region)
            .filter(ids)
            .values_list("channel")
            .annotate(n=Count("id"))
            .order_by()
        )
    if channel:
        by_channel = {channel: by_channel.get(channel, 0)}
    tallies = _Tallies(last=upto or 0, seen=sum(everyone.values()))
    tallies.by_channel.update(by_channel)
    if region is None and channel is None:
        # All the questionnaire's answers: no need to join them to the responses.
        answers = Answer.objects.filter(answer_ids, question__questionnaire=questionnaire)
    else:
        responses = filtered_responses(questionnaire, region=region, channel=channel)
        answers = Answer.objects.filter(answer_ids, response__in=responses.values("pk"))
    tallies.respondents.update(
        dict(
            answers.values_list("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )
    )
    tallies.by_option.update(
        dict(
            answers.filter(option__isnull=False)
            .values_list("option_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    for question_id, value, count in (
        answers.filter(value__isnull=False)
        .values_list("question_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        tallies.by_value[question_id, value] = count
    for question_id, region_id, count in (
        answers.filter(region__isnull=False)
        .values_list("question_id", "region_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        tallies.by_region[question_id, region_id] = count
    return tallies


def _missed(questionnaire: Questionnaire, tallies: _Tallies) -> bool:
    """Whether the database holds responses up to ``tallies.last`` that the tallies did
    not go over: one statement, so one snapshot, read from the (questionnaire, id) index."""
    responses = Response.objects.filter(questionnaire=questionnaire, pk__lte=tallies.last)
    return responses.count() != tallies.seen


def results(
    questionnaire: Questionnaire, *, region: Region | None = None, channel: str | None = None
) -> Results:
    """The figures, from tallies that a new response only adds to.

    Responses and answers are only ever added (never edited or removed), so tallies of
    the responses up to some id stay exact, and the responses after it are all that is new:
    only their answers are counted. Except a response whose transaction took its id before
    the one last counted but committed after: "after it" misses that one. Counting the
    questionnaire's responses gives it away, but that count grows with them (7 ms at
    100,000), so it runs at most once a minute per tallies, until one has run a minute
    after they were last extended, when every transaction begun before has ended; a miss
    means counting everything again. Until then the figures may lack such a response.
    """
    key = f"survey-tallies:1:{questionnaire.pk}:{region.pk if region else ''}:{channel or ''}"
    tallies: _Tallies | None = cache.get(key)
    # Read after the tallies: another request may have extended them meanwhile, never past
    # the latest response as read now.
    last = (
        Response.objects.filter(questionnaire=questionnaire)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if last is None:
        return _built(questionnaire, _Tallies(last=0))
    now, changed = time.time(), True
    if tallies is not None and tallies.last > last:
        tallies = None  # Counted in another database (restored, or emptied since).
    if tallies is None:
        tallies = _tally(questionnaire, region=region, channel=channel, upto=last)
        tallies.counted_at = tallies.checked_at = now
    elif tallies.last < last:
        tallies.add(
            _tally(questionnaire, region=region, channel=channel, above=tallies.last, upto=last)
        )
        tallies.counted_at = now
    else:
        changed = False
    # A late commit can only hide behind responses counted less than SETTLE_SECONDS ago, so
    # the check is owed until one has run that long after the last extension.
    unsettled = tallies.checked_at < tallies.counted_at + SETTLE_SECONDS
    if unsettled and now - tallies.checked_at >= SETTLE_SECONDS:
        if _missed(questionnaire, tallies):
            tallies = _tally(questionnaire, region=region, channel=channel, upto=last)
            tallies.counted_at = now
        tallies.checked_at, changed = now, True
    if changed:
        cache.set(key, tallies, TALLIES_TTL)
    return _built(questionnaire, tallies)


def counted_from_scratch(
    questionnaire: Questionnaire, *, region: Region | None = None, channel: str | None = None
) -> Results:
    """The figures counted from scratch, without the cache."""
    return _built(questionnaire, _tally(questionnaire, region=region, channel=channel))


def _built(questionnaire: Questionnaire, tallies: _Tallies) -> Results:
    by_value: dict[int, dict[int, int]] = defaultdict(dict)
    for (question_id, value), count in tallies.by_value.items():
        by_value[question_id][value] = count
    # Names read now, not kept in the tallies, which outlive a renaming.
    names = {
        pk: (code, name)
        for pk, code, name in Region.objects.filter(
            pk__in={region_id for _question_id, region_id in tallies.by_region}
        ).values_list("pk", "code", "name")
    }
    by_region: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for (question_id, region_id), count in tallies.by_region.items():
        by_region[question_id].append((*names[region_id], count))

    questions: list[QuestionResult] = []
    for question in questionnaire.questions.prefetch_related("options"):
        total = tallies.respondents.get(question.pk, 0)
        result = QuestionResult(question=question, respondents=total)
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = [(o.text, tallies.by_option.get(o.pk, 0)) for o in question.options.all()]
        elif question.kind == QuestionKind.RATING:
            scores = by_value[question.pk]
            counts = [(str(point), scores.get(point, 0)) for point in question.scale]
            if total:
                mean = Decimal(sum(p * n for p, n in scores.items())) / Decimal(total)
                result.mean = str(mean.quantize(Decimal("0.01"), ROUND_HALF_UP))
        elif question.kind == QuestionKind.REGION:
            counts = [(name, count) for _code, name, count in sorted(by_region[question.pk])]
        else:
            counts = []
        result.options = [OptionCount(text, n, percent(n, total)) for text, n in counts]
        questions.append(result)
    return Results(
        online=tallies.by_channel.get(ResponseChannel.ONLINE, 0),
        offline=tallies.by_channel.get(ResponseChannel.OFFLINE, 0),
        questions=questions,
    )
