"""The demo's meetings, inquiry and opinions reproduce the bulletins' figures."""

import pytest

from oversight.demo.loader import DATA_DIR, load_campaign
from oversight.meetings import demo
from oversight.meetings.models import (
    InquirySession,
    ItemStatus,
    Meeting,
    Opinion,
    OpinionItem,
    Question,
)
from oversight.organisations.services import load_reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    """The two campaigns through the demo loader, then this app's demo, twice."""
    load_reference_data()
    for path in sorted(DATA_DIR.glob("*.toml")):
        load_campaign(path)
    demo.load_demo()
    demo.load_demo()


def test_hebi_twelve_meetings_of_seven_kinds(loaded):
    meetings = Meeting.objects.filter(campaign__slug="hebi-2024")
    assert meetings.count() == 12
    assert set(meetings.values_list("kind__name", flat=True)) == {
        "党组会议",
        "主任会议",
        "常委会会议",
        "动员部署会",
        "汇报会",
        "专题询问会",
        "满意度测评会",
    }
    evaluation = meetings.get(kind__code="satisfaction")
    assert str(evaluation.held_on) == "2024-10-24" and not evaluation.date_is_illustrative
    assert evaluation.organisations.count() == 12
    assert all(m.held_on.year == 2024 for m in meetings)
    assert meetings.filter(date_is_illustrative=True).count() == 11


def test_hebi_special_inquiry_with_six_heads(loaded):
    session = InquirySession.objects.get(campaign__slug="hebi-2024")
    assert session.meeting.kind.code == "special-inquiry"
    assert session.respondents.count() == 6
    assert session.respondents.values("organisation").distinct().count() == 6
    questions = Question.objects.filter(session=session)
    assert questions.count() >= 6
    assert not questions.filter(problem__isnull=False).exists()
    assert all(q.answer for q in questions)


def test_hebi_opinion_items_are_followed(loaded):
    opinion = Opinion.objects.get(campaign__slug="hebi-2024")
    items = OpinionItem.objects.filter(opinion=opinion)
    assert items.count() == 8
    statuses = list(items.values_list("status", flat=True))
    assert statuses.count(ItemStatus.CLOSED) == 5
    assert statuses.count(ItemStatus.ANSWERED) == 1
    assert statuses.count(ItemStatus.OPEN) == 2
    assert items.overdue().count() == 1
    returned = items.get(events__kind="returned")
    assert returned.status == ItemStatus.CLOSED and returned.responses.count() == 2


def test_zhumadian_six_rectification_meetings(loaded):
    meetings = Meeting.objects.filter(campaign__slug="zhumadian-2024")
    assert meetings.count() == 6
    assert set(meetings.values_list("kind__name", flat=True)) == {"整改推进会"}
    assert all("副市长" in m.chair for m in meetings)
    assert meetings.filter(problems__isnull=False).distinct().count() == 6
