"""A dashboard's figures are computed once per change, and never shown stale.

The summary is cached under the figures versions of the campaign and of those directly above
and below it, which every action on one of their problems moves in its own transaction.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.campaigns.models import Campaign
from oversight.problems import actions, stats
from oversight.problems.models import Status
from tests.conftest import org
from tests.linking import *  # noqa: F403
from tests.linking import deadline, report_in_writing

pytestmark = pytest.mark.django_db
ZHUMADIAN = "411700"


def dashboard_queries(client, campaign):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("campaigns:dashboard", args=[campaign.slug]))
    assert response.status_code == 200
    return len(queries), response


def version(campaign):
    return Campaign.objects.get(pk=campaign.pk).figures_version


def test_a_second_visit_reads_the_figures_from_the_cache(client, staff, campaign, make_problem):
    make_problem(Status.COMPLETED)
    make_problem(Status.IN_PROGRESS)
    client.force_login(staff)
    cold, first = dashboard_queries(client, campaign)
    warm, second = dashboard_queries(client, campaign)
    assert warm < cold
    assert first.context["figures"] == second.context["figures"]
    assert second.context["figures"].overall.problems == 2


def test_every_action_moves_the_version(staff, liaison_a, campaign, make_problem):
    before = version(campaign)
    problem = make_problem(Status.ASSIGNED)
    assigned = version(campaign)
    assert assigned > before
    actions.report_progress(actor=liaison_a, problem=problem, text="正在整改")
    assert version(campaign) > assigned


def test_the_dashboard_shows_a_change_made_after_it_was_cached(
    client, staff, campaign, make_problem
):
    client.force_login(staff)
    problem = make_problem(Status.COMPLETION_REQUESTED)
    _, response = dashboard_queries(client, campaign)
    assert response.context["figures"].overall.completed == 0
    actions.accept_completion(actor=staff, problem=problem)
    _, response = dashboard_queries(client, campaign)
    assert response.context["figures"].overall.completed == 1


def test_a_change_below_shows_in_the_roll_up_above(
    province, province_staff, staff, campaign, make_problem
):
    stale = stats.summary(Campaign.objects.get(pk=province.pk))
    assert [child.own.problems for child in stale.children] == [0]
    make_problem(Status.ASSIGNED)
    fresh = stats.summary(Campaign.objects.get(pk=province.pk))
    assert [child.own.problems for child in fresh.children] == [1]


def test_accepting_above_shows_in_the_linked_campaign_below(
    province, province_staff, staff, campaign
):
    """The city's 上级交办 figure follows the status of the province's problem."""
    report = actions.record_raw_report(
        actor=province_staff, campaign=province, channel="inspection", text="养老床位不足"
    )
    upper = actions.consolidate(
        actor=province_staff,
        campaign=province,
        reports=[report],
        title="养老床位不足",
        kind="common",
        region=province.region,
    )
    actions.assign(
        actor=province_staff,
        problem=upper,
        assignee=org(ZHUMADIAN, "congress"),
        deadline=deadline(),
    )
    report_in_writing(staff, upper)
    assert stats.summary(Campaign.objects.get(pk=campaign.pk)).from_parent.completed == 0
    actions.accept_completion(actor=province_staff, problem=upper)
    assert stats.summary(Campaign.objects.get(pk=campaign.pk)).from_parent.completed == 1
