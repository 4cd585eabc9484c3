"""The reminder list: one's own reminders only, marked read one by one or all at once; the
navbar shows the unread count at the cost of one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.notifications import actions
from oversight.notifications.models import Kind, Notification

from .conftest import TODAY


@pytest.fixture
def reminded(overdue_problem, staff, liaison_a, liaison_b):
    return actions.remind(problem_id=overdue_problem.pk, kind=Kind.OVERDUE, day=TODAY)


def test_a_liaison_sees_only_their_own_notifications(client, reminded, liaison_a, liaison_b):
    client.force_login(liaison_a)
    page = client.get(reverse("notifications:list"))
    assert list(page.context["page"]) == [Notification.objects.get(recipient=liaison_a)]
    client.force_login(liaison_b)
    page = client.get(reverse("notifications:list"))
    assert list(page.context["page"]) == []
    assert "暂无提醒" in page.content.decode()


def test_marking_read(client, reminded, staff, liaison_a):
    mine = Notification.objects.get(recipient=liaison_a)
    theirs = Notification.objects.get(recipient=staff)
    client.force_login(liaison_a)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:read", args=[mine.pk])).status_code == 405
    assert client.post(reverse("notifications:read", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.is_read and not theirs.is_read
    client.force_login(staff)
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.is_read


def unread_badge(html):
    marker = 'data-testid="unread-count">'
    return html.split(marker)[1].split("<")[0] if marker in html else None


def test_the_navbar_counts_unread_with_one_flat_query(
    client, make_problem, staff, liaison_a, overdue_problem
):
    client.force_login(liaison_a)
    url = reverse("problems:workspace")
    assert unread_badge(client.get(url).content.decode()) is None

    def measure():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        counting = [q for q in queries if "notifications_notification" in q["sql"]]
        return unread_badge(html), len(queries), len(counting)

    actions.remind(problem_id=overdue_problem.pk, kind=Kind.OVERDUE, day=TODAY)
    one = measure()
    for index in range(1, 8):
        Notification.objects.create(
            recipient=liaison_a,
            problem=overdue_problem,
            kind=Kind.DUE_SOON,
            day=TODAY.replace(year=TODAY.year - index),
            text="此前的提醒",
        )
    many = measure()
    assert (one[0], many[0]) == ("1", "8")
    assert one[1] == many[1]
    assert one[2] == many[2] == 1


def test_anonymous_users_are_sent_to_login(client):
    for url in (reverse("notifications:list"), reverse("notifications:read_all")):
        assert client.get(url).status_code == 302
