"""The assignee's desk: open work by deadline, the done apart."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.problems.models import Assignment, Status
from tests.conftest import org

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(make_problem):
    minzheng, weijian = org("411700", "minzheng"), org("411700", "weijian")
    problems = {
        "later": make_problem(Status.IN_PROGRESS, title="稍后到期的问题", assignee=minzheng),
        "late": make_problem(Status.IN_PROGRESS, title="已经逾期的问题", assignee=minzheng),
        "done": make_problem(Status.COMPLETED, title="已经办结的问题", assignee=minzheng),
        "other": make_problem(Status.IN_PROGRESS, title="卫健委的问题", assignee=weijian),
    }
    today = timezone.localdate()
    Assignment.objects.filter(problem=problems["late"]).update(
        deadline=today - datetime.timedelta(days=3)
    )
    return problems


def listed(client, **query):
    response = client.get(reverse("problems:workspace"), query)
    assert response.status_code == 200
    return [problem.title for problem in response.context["page"]]


def test_open_work_comes_by_deadline_with_the_overdue_first(client, liaison_a, desk):
    client.force_login(liaison_a)
    assert listed(client) == ["已经逾期的问题", "稍后到期的问题"]
    page = client.get(reverse("problems:workspace")).content.decode()
    assert "已逾期" in page and "卫健委的问题" not in page


def test_the_done_are_on_their_own_tab(client, liaison_a, desk):
    client.force_login(liaison_a)
    assert listed(client, tab="done") == ["已经办结的问题"]


def test_co_handled_problems_are_on_the_desk_too(client, liaison_a, desk):
    desk["other"].assignment.co_departments.add(liaison_a.organisation)
    client.force_login(liaison_a)
    assert "卫健委的问题" in listed(client)
