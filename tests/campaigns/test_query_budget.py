"""List pages run a fixed number of queries, whatever the number of problems."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.problems.models import Assignment, Kind, Problem, ProblemEvent, Status
from tests.conftest import org

BUDGET = 20


def bulk_problems(campaign, count):
    """Many assigned problems, inserted in bulk: the budget is about reading, not writing."""
    departments = [org("411700", code) for code in ("minzheng", "weijian", "caizheng")]
    start = Problem.objects.filter(campaign=campaign).count()
    problems = Problem.objects.bulk_create(
        Problem(
            campaign=campaign,
            number=start + i + 1,
            title=f"问题{i}",
            kind=Kind.COMMON,
            region=campaign.region,
            status=Status.IN_PROGRESS if i % 3 else Status.COMPLETED,
            completed_at=None if i % 3 else timezone.now(),
        )
        for i in range(count)
    )
    today = timezone.localdate()
    Assignment.objects.bulk_create(
        Assignment(
            problem=problem,
            assignee=departments[i % 3],
            deadline=today + datetime.timedelta(days=(i % 5) * 10 - 20),
        )
        for i, problem in enumerate(problems)
    )
    ProblemEvent.objects.bulk_create(
        ProblemEvent(problem=problem, kind="created", to_status=Status.PENDING)
        for problem in problems
    )


@pytest.mark.parametrize("count", [10, 500])
@pytest.mark.parametrize(
    ("user_fixture", "url_name"),
    [
        ("staff", "campaigns:dashboard"),
        ("staff", "problems:list"),
        ("liaison_a", "problems:workspace"),
    ],
)
def test_pages_query_budget(
    request, client, campaign, django_assert_max_num_queries, count, user_fixture, url_name
):
    bulk_problems(campaign, count)
    client.force_login(request.getfixturevalue(user_fixture))
    args = [] if url_name == "problems:workspace" else [campaign.slug]
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    if url_name == "problems:list":
        assert f"共 {count} 项" in response.content.decode()


def test_filtered_list_query_budget(client, staff, campaign, django_assert_max_num_queries):
    bulk_problems(campaign, 500)
    client.force_login(staff)
    url = reverse("problems:list", args=[campaign.slug])
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url, {"status": "in_progress", "channel": "inspection", "q": "问题"})
    assert response.status_code == 200
