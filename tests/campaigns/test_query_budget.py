"""List pages run a fixed number of queries, whatever the number of problems."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.campaigns.models import Campaign
from oversight.problems.models import (
    Assignment,
    Channel,
    Kind,
    Problem,
    ProblemEvent,
    RawReport,
    Status,
)
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
    # Each problem was merged from raw reports, and as many more wait in intake.
    RawReport.objects.bulk_create(
        RawReport(campaign=campaign, channel=Channel.INSPECTION, text=f"反映{i}", problem=problem)
        for i, problem in enumerate(problems)
    )
    RawReport.objects.bulk_create(
        RawReport(campaign=campaign, channel=Channel.PUBLIC, text=f"待归并{i}")
        for i in range(count)
    )
    # Written in bulk, past the actions: tell the figures' caches, as generate-province does.
    Campaign.figures_changed([campaign.pk])


PAGES = {
    # name: (user fixture, url name, takes the campaign's slug, query)
    "dashboard": ("staff", "campaigns:dashboard", True, {}),
    "campaign list": ("staff", "campaigns:list", False, {}),
    "problem list": ("staff", "problems:list", True, {}),
    "problem list, filtered": ("staff", "problems:list", True, {"status": "in_progress"}),
    "problem list, search": ("staff", "problems:list", True, {"q": "问题1"}),
    "problem list, deep page": ("staff", "problems:list", True, {"page": "9"}),
    "problem list, every filter": (
        "staff",
        "problems:list",
        True,
        {"status": "in_progress", "channel": "inspection", "q": "问题", "overdue": "on"},
    ),
    "workspace": ("liaison_a", "problems:workspace", False, {}),
    "intake": ("staff", "problems:intake", True, {}),
    "intake picker": ("staff", "problems:lookup", True, {"target_search": "问题"}),
    "audit log": ("staff", "audit:list", False, {}),
    "merging proposals": ("staff", "merging:proposals", True, {}),
    "ledger": ("staff", "ledgers:ledger", True, {}),
    "ledger download": ("staff", "ledgers:download", True, {}),
    "liaison's ledger download": ("liaison_a", "ledgers:download", True, {}),
    "documents": ("staff", "documents:list", True, {}),
    "figures": ("staff", "figures:list", True, {}),
    "submissions": ("staff", "submissions:list", True, {}),
    "livelihood projects": ("staff", "submissions:livelihood", True, {}),
    "follow-ups": ("staff", "followups:list", True, {}),
    "meetings": ("staff", "meetings:list", True, {}),
    "opinion items": ("staff", "meetings:items", True, {}),
    "evaluations": ("staff", "evaluations:list", True, {}),
    "questionnaires": ("staff", "surveys:list", True, {}),
}


def count_queries(client, url, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_as_many_queries_at_500_problems_as_at_10(request, client, campaign, page):
    user_fixture, url_name, per_campaign, query = PAGES[page]
    client.force_login(request.getfixturevalue(user_fixture))
    url = reverse(url_name, args=[campaign.slug] if per_campaign else [])
    bulk_problems(campaign, 10)
    small = count_queries(client, url, query)
    bulk_problems(campaign, 490)
    assert count_queries(client, url, query) == small <= BUDGET


def test_the_list_counts_every_problem(client, staff, campaign):
    bulk_problems(campaign, 500)
    client.force_login(staff)
    response = client.get(reverse("problems:list", args=[campaign.slug]))
    assert "共 500 项" in response.content.decode()
