"""List pages run the same number of queries for 5 rows as for 100."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.meetings.models import (
    ItemStatus,
    Meeting,
    Opinion,
    OpinionItem,
)
from tests.conftest import org

from .conftest import kind

pytestmark = pytest.mark.django_db


def bulk_meetings(campaign, user, start, count):
    meetings = Meeting.objects.bulk_create(
        Meeting(
            campaign=campaign,
            kind=kind(campaign, "chair"),
            title=f"会议{start + i}",
            held_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=start + i),
        )
        for i in range(count)
    )
    for meeting in meetings:
        meeting.attendees.add(user)
        meeting.organisations.add(org("411700", "minzheng"))


def bulk_items(opinion, start, count):
    departments = [org("411700", code) for code in ("minzheng", "weijian", "caizheng")]
    OpinionItem.objects.bulk_create(
        OpinionItem(
            opinion=opinion,
            number=start + i + 1,
            text=f"事项{start + i}",
            responsible=departments[i % 3],
            deadline=datetime.date(2024, 9, 30),
            status=ItemStatus.OPEN if i % 2 else ItemStatus.ANSWERED,
        )
        for i in range(count)
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_meeting_list_is_flat(client, member, campaign):
    client.force_login(member)
    url = reverse("meetings:list", args=[campaign.slug])
    bulk_meetings(campaign, member, 0, 5)
    few = count_queries(client, url)
    bulk_meetings(campaign, member, 5, 95)
    many = count_queries(client, url)
    assert few == many
    assert "会议99" in client.get(url, {"sort": "-date"}).content.decode()


def test_item_lists_are_flat(client, member, liaison_a, campaign):
    opinion = Opinion.objects.create(
        campaign=campaign, title="审议意见", adopted_on=datetime.date(2024, 7, 5)
    )
    client.force_login(member)
    urls = [
        reverse("meetings:items", args=[campaign.slug]),
        reverse("meetings:opinions", args=[campaign.slug]),
        reverse("meetings:opinion", args=[opinion.pk]),
    ]
    bulk_items(opinion, 0, 5)
    few = [count_queries(client, url) for url in urls]
    client.force_login(liaison_a)
    few_mine = count_queries(client, reverse("meetings:my_items"))
    bulk_items(opinion, 5, 95)
    many_mine = count_queries(client, reverse("meetings:my_items"))
    client.force_login(member)
    many = [count_queries(client, url) for url in urls]
    assert few == many
    assert few_mine == many_mine


def test_inquiry_page_with_the_staffs_buttons_is_flat(client, staff, campaign, make_problem):
    from oversight.meetings import actions

    problem = make_problem()
    session = actions.create_inquiry(
        actor=staff, campaign=campaign, title="专题询问", held_on=datetime.date(2024, 6, 27)
    )
    head = actions.add_respondent(
        actor=staff,
        session=session,
        name="张某",
        title="局长",
        organisation=org("411700", "minzheng"),
    )

    def ask(count):
        for i in range(count):
            actions.ask_question(
                actor=staff,
                session=session,
                organisation=head.organisation,
                asker_name="委员",
                subject=f"询问{i}",
                text="内容",
                answer="答复" if i % 2 else "",
                answered_by=head if i % 2 else None,
                problems=[problem],
            )

    client.force_login(staff)
    url = reverse("meetings:inquiry", args=[session.pk])
    ask(5)
    few = count_queries(client, url)
    ask(30)
    many = count_queries(client, url)
    assert few == many
    assert reverse("meetings:question_add", args=[session.pk]) in client.get(url).content.decode()
