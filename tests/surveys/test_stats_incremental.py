"""Results after a new response add that response's answers to the cached tallies instead
of counting every answer again (issue 10): the same figures as counting from scratch, for
a number of queries that does not grow with the responses already in."""

from __future__ import annotations

import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.surveys import actions, stats
from oversight.surveys.models import Answer, QuestionKind, Response, ResponseChannel
from oversight.surveys.stats import counted_from_scratch, results
from tests.surveys.conftest import region

pytestmark = pytest.mark.django_db

COUNTIES = ["411727", "411702", "411721"]
CITY = "411700"


def submit(questionnaire, staff, rng, channel=None):
    """One response of random answers, some optional ones left out, through the action."""
    answers = {}
    for question in questionnaire.questions.all():
        options = list(question.options.values_list("pk", flat=True))
        if question.kind == QuestionKind.MULTIPLE:
            answers[question.pk] = rng.sample(options, rng.randint(1, 3))
        elif question.kind == QuestionKind.SINGLE:
            answers[question.pk] = rng.choice(options)
        elif question.kind == QuestionKind.RATING:
            answers[question.pk] = rng.randint(1, 5)
        elif question.kind == QuestionKind.REGION:
            answers[question.pk] = region(rng.choice(COUNTIES)).pk
        else:
            answers[question.pk] = rng.choice(["", "多建助餐点"])
    channel = channel or rng.choice([ResponseChannel.ONLINE, ResponseChannel.OFFLINE])
    return actions.submit_response(
        actor=staff if channel == ResponseChannel.OFFLINE else None,
        questionnaire=questionnaire,
        answers=answers,
        channel=channel,
    )


def filters():
    return [
        {},
        {"region": region(COUNTIES[0])},
        {"region": region(CITY)},
        {"channel": ResponseChannel.OFFLINE},
        {"region": region(COUNTIES[1]), "channel": ResponseChannel.ONLINE},
    ]


def test_adding_one_response_at_a_time_gives_the_figures_counted_from_scratch(questionnaire, staff):
    rng = random.Random(10)
    for _ in range(12):
        submit(questionnaire, staff, rng)
        for chosen in filters():
            assert results(questionnaire, **chosen) == counted_from_scratch(questionnaire, **chosen)
    figures = results(questionnaire)
    assert figures.responses == 12
    rating = next(q for q in figures.questions if q.kind == QuestionKind.RATING)
    assert rating.respondents == 12 and rating.mean


def test_several_responses_between_two_reads(questionnaire, staff):
    rng = random.Random(11)
    for count in (1, 3, 5):
        for _ in range(count):
            submit(questionnaire, staff, rng)
        for chosen in filters():
            assert results(questionnaire, **chosen) == counted_from_scratch(questionnaire, **chosen)


def queries_of_results_after_one_more(questionnaire, staff, rng, **chosen):
    results(questionnaire, **chosen)
    submit(questionnaire, staff, rng)
    with CaptureQueriesContext(connection) as captured:
        figures = results(questionnaire, **chosen)
    assert figures == counted_from_scratch(questionnaire, **chosen)
    return [query["sql"] for query in captured]


@pytest.mark.parametrize("chosen", [{}, {"region": CITY}, {"channel": "offline"}])
def test_a_new_response_costs_the_same_queries_whatever_came_before(questionnaire, staff, chosen):
    if "region" in chosen:
        chosen = {"region": region(chosen["region"])}
    rng = random.Random(12)
    # Answers of both channels, and so regions to name, under every filter from the start.
    submit(questionnaire, staff, rng, ResponseChannel.ONLINE)
    submit(questionnaire, staff, rng, ResponseChannel.OFFLINE)
    few = queries_of_results_after_one_more(questionnaire, staff, rng, **chosen)
    for _ in range(60):
        submit(questionnaire, staff, rng)
    many = queries_of_results_after_one_more(questionnaire, staff, rng, **chosen)
    assert len(many) == len(few) <= 12
    # Only the new response's answers: every query on the answers is bounded by ids.
    last = Response.objects.order_by("-pk").first().pk
    on_answers = [sql for sql in many if 'FROM "surveys_answer"' in sql]
    assert len(on_answers) == 4
    assert all(f'"response_id" > {last - 1}' in sql for sql in on_answers), on_answers


def test_reading_again_counts_nothing(questionnaire, staff):
    rng = random.Random(13)
    for _ in range(3):
        submit(questionnaire, staff, rng)
    results(questionnaire)
    with CaptureQueriesContext(connection) as captured:
        results(questionnaire)
    assert not [query for query in captured if 'FROM "surveys_answer"' in query["sql"]]


def commit_late(saved):
    """Store again a response taken out earlier, with its id: as if its transaction, begun
    before the latest one, committed only after the figures were counted."""
    response, answers = saved
    Response.objects.create(**response)
    Answer.objects.bulk_create(Answer(**answer) for answer in answers)


def take_out(response):
    saved = (
        Response.objects.filter(pk=response.pk).values().get(),
        list(Answer.objects.filter(response=response).values()),
    )
    response.delete()
    return saved


def test_a_response_committed_late_is_counted_once_it_has_had_time_to_commit(
    questionnaire, staff, monkeypatch
):
    rng = random.Random(14)
    submit(questionnaire, staff, rng)
    late = submit(questionnaire, staff, rng)
    submit(questionnaire, staff, rng)
    saved = take_out(late)
    assert results(questionnaire).responses == 2
    commit_late(saved)
    # Within the settling time the tallies are taken as they are, and not counted again...
    with CaptureQueriesContext(connection) as captured:
        assert results(questionnaire).responses == 2
    assert not [query for query in captured if "COUNT(" in query["sql"]]
    # ...after it, the first read after new responses checks their number and recounts.
    submit(questionnaire, staff, rng)
    assert results(questionnaire).responses == 3
    monkeypatch.setattr(stats, "time", FakeTime(stats.time.time() + stats.SETTLE_SECONDS))
    assert results(questionnaire) == counted_from_scratch(questionnaire)
    assert results(questionnaire).responses == 4
    # Checked once a full settling time after the last count: no more checks.
    with CaptureQueriesContext(connection) as captured:
        results(questionnaire)
    assert not [query for query in captured if "COUNT(" in query["sql"]]


class FakeTime:
    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


def test_a_response_committed_late_is_counted_when_the_next_one_arrives(
    questionnaire, staff, monkeypatch
):
    monkeypatch.setattr(stats, "SETTLE_SECONDS", 0)  # Every new response checks.
    rng = random.Random(15)
    submit(questionnaire, staff, rng)
    late = submit(questionnaire, staff, rng)
    submit(questionnaire, staff, rng)
    saved = take_out(late)
    for chosen in filters():
        results(questionnaire, **chosen)
    commit_late(saved)
    submit(questionnaire, staff, rng)
    for chosen in filters():
        assert results(questionnaire, **chosen) == counted_from_scratch(questionnaire, **chosen)
    assert results(questionnaire).responses == 4


def test_tallies_of_a_later_response_than_the_database_holds_are_not_used(questionnaire, staff):
    rng = random.Random(16)
    submit(questionnaire, staff, rng)
    newest = submit(questionnaire, staff, rng)
    results(questionnaire)
    newest.delete()  # As after restoring an older copy of the database.
    assert results(questionnaire) == counted_from_scratch(questionnaire)
    assert results(questionnaire).responses == 1


def test_region_names_are_read_when_the_figures_are_built(questionnaire, staff):
    rng = random.Random(17)
    for _ in range(4):
        submit(questionnaire, staff, rng)
    results(questionnaire)
    county = Response.objects.filter(questionnaire=questionnaire).first().region
    county.name = "新名字"
    county.save(update_fields=["name"])
    place = next(q for q in results(questionnaire).questions if q.kind == QuestionKind.REGION)
    assert "新名字" in [option.text for option in place.options]


def test_no_responses_nothing_cached(questionnaire):
    figures = results(questionnaire)
    assert figures == counted_from_scratch(questionnaire)
    assert figures.responses == 0
    assert cache.get(f"survey-tallies:1:{questionnaire.pk}::") is None
