"""The result arithmetic: counts, percentages of those who answered, the mean score, and
the filters by region (the region question's answer) and channel."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from oversight.surveys import actions
from oversight.surveys.models import ResponseChannel
from oversight.surveys.stats import percent, results
from tests.surveys.conftest import region

pytestmark = pytest.mark.django_db

RUNAN, YICHENG = "411727", "411702"


@pytest.fixture
def answered(questionnaire, questions, staff):
    """Four responses: two online from 汝南县, two offline from 驿城区."""
    multiple, single = questions["multiple"], questions["single"]

    def submit(channel, county, issues, identity, rating, text=""):
        actions.submit_response(
            actor=staff if channel == ResponseChannel.OFFLINE else None,
            questionnaire=questionnaire,
            channel=channel,
            answers={
                multiple.pk: [multiple.options.get(text=t).pk for t in issues],
                questions["region"].pk: region(county).pk,
                single.pk: single.options.get(text=identity).pk,
                questions["rating"].pk: rating,
                questions["text"].pk: text,
            },
        )

    submit("online", RUNAN, ["助餐点少", "护理员少"], "老年人", 4, "多建助餐点")
    submit("online", RUNAN, ["助餐点少"], "家属", 5)
    submit("offline", YICHENG, ["助餐点少", "上门服务少", "收费不透明"], "老年人", 2)
    submit("offline", YICHENG, ["上门服务少"], "其他", 4)
    return questionnaire


def table(result):
    return [(o.text, o.count, o.percent) for o in result.options]


def by_kind(figures):
    return {result.kind: result for result in figures.questions}


def test_counts_and_percentages_of_those_who_answered(answered):
    figures = results(answered)
    assert (figures.online, figures.offline, figures.responses) == (2, 2, 4)
    questions = by_kind(figures)
    assert questions["multiple"].respondents == 4
    assert table(questions["multiple"]) == [
        ("助餐点少", 3, "75.0%"),
        ("上门服务少", 2, "50.0%"),
        ("日间照料中心不开门", 0, "0.0%"),
        ("敬老院设施旧", 0, "0.0%"),
        ("收费不透明", 1, "25.0%"),
        ("护理员少", 1, "25.0%"),
    ]
    assert table(questions["single"]) == [
        ("老年人", 2, "50.0%"),
        ("家属", 1, "25.0%"),
        ("其他", 1, "25.0%"),
    ]
    assert table(questions["rating"]) == [
        ("1", 0, "0.0%"),
        ("2", 1, "25.0%"),
        ("3", 0, "0.0%"),
        ("4", 2, "50.0%"),
        ("5", 1, "25.0%"),
    ]
    assert questions["rating"].mean == "3.75"
    # Region: one row per answered region, in code order.
    assert table(questions["region"]) == [("驿城区", 2, "50.0%"), ("汝南县", 2, "50.0%")]
    # Text: only who answered; the optional question was answered once.
    assert questions["text"].respondents == 1 and questions["text"].options == []


def test_filters_by_channel_and_by_region(answered):
    offline = by_kind(results(answered, channel=ResponseChannel.OFFLINE))
    assert offline["multiple"].respondents == 2
    assert table(offline["multiple"])[:2] == [("助餐点少", 1, "50.0%"), ("上门服务少", 2, "100.0%")]

    runan = results(answered, region=region(RUNAN))
    assert (runan.online, runan.offline) == (2, 0)
    assert by_kind(runan)["rating"].mean == "4.50"
    assert table(by_kind(runan)["region"]) == [("汝南县", 2, "100.0%")]

    # The campaign's own region holds its counties: everything.
    assert results(answered, region=region("411700")).responses == 4
    both = results(answered, region=region(RUNAN), channel=ResponseChannel.OFFLINE)
    assert both.responses == 0
    assert by_kind(both)["multiple"].options[0].percent == "—"


def test_percent_rounds_to_one_decimal():
    assert percent(1, 3) == "33.3%"
    assert percent(2, 3) == "66.7%"
    assert percent(23, 29) == "79.3%"
    assert percent(0, 0) == "—"


def test_the_results_page_shows_the_figures_and_filters(client, staff, answered):
    client.force_login(staff)
    url = reverse("surveys:results", args=[answered.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "答卷 4 份：线上 2 份，线下 2 份。" in page.text
    assert "75.0%" in page.text
    data = re.search(
        r'<script id="survey-chart-data" type="application/json">(.*?)</script>', page.text
    )
    chart = json.loads(data.group(1))
    assert chart[0]["labels"][0] == "助餐点少" and chart[0]["counts"][0] == 3
    assert "<script>" not in page.text  # data only through json_script, code from files

    filtered = client.get(url, {"region": region(RUNAN).pk, "channel": "online"})
    assert "答卷 2 份：线上 2 份，线下 0 份。" in filtered.text
    # Nonsense filters are ignored, not an error.
    assert client.get(url, {"region": "x", "channel": "phone"}).status_code == 200
