"""Crossing the line through the real URLs: outside one's scope is 404, never a peek."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.problems.models import Status
from tests.conftest import org


@pytest.fixture
def two_problems(make_problem):
    """One problem assigned to 民政局 (liaison_a's), one to 卫健委 (liaison_b's)."""
    mine = make_problem(Status.ASSIGNED, assignee=org("411700", "minzheng"), title="民政局的问题")
    theirs = make_problem(Status.ASSIGNED, assignee=org("411700", "weijian"), title="卫健委的问题")
    return mine, theirs


def test_anonymous_users_are_sent_to_login(client, campaign, two_problems):
    urls = [
        reverse("home"),
        reverse("campaigns:dashboard", args=[campaign.slug]),
        reverse("problems:list", args=[campaign.slug]),
        reverse("problems:detail", args=[two_problems[0].pk]),
        reverse("problems:workspace"),
        reverse("problems:intake", args=[campaign.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_liaison_cannot_open_another_departments_problem(client, liaison_a, two_problems):
    mine, theirs = two_problems
    client.force_login(liaison_a)
    assert client.get(reverse("problems:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("problems:detail", args=[theirs.pk])).status_code == 404


def test_liaison_cannot_change_another_departments_problem(client, liaison_a, two_problems):
    _, theirs = two_problems
    client.force_login(liaison_a)
    for name in ("problems:progress", "problems:claim"):
        response = client.post(reverse(name, args=[theirs.pk]), {"text": "越权"})
        assert response.status_code == 404
    assert theirs.progress_reports.count() == 0


def test_liaison_workspace_lists_only_own_problems(client, liaison_a, two_problems):
    client.force_login(liaison_a)
    page = client.get(reverse("problems:workspace")).content.decode()
    assert "民政局的问题" in page
    assert "卫健委的问题" not in page


def test_liaison_cannot_list_or_open_the_campaign(client, liaison_a, campaign, two_problems):
    client.force_login(liaison_a)
    assert client.get(reverse("problems:list", args=[campaign.slug])).status_code == 404
    assert client.get(reverse("campaigns:dashboard", args=[campaign.slug])).status_code == 404


def test_co_department_sees_but_cannot_report(client, staff, liaison_b, make_problem):
    from oversight.problems import actions

    problem = make_problem(Status.PENDING, title="协办的问题")
    actions.assign(
        actor=staff,
        problem=problem,
        assignee=org("411700", "minzheng"),
        co_departments=[org("411700", "weijian")],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    client.force_login(liaison_b)
    assert client.get(reverse("problems:detail", args=[problem.pk])).status_code == 200
    response = client.post(reverse("problems:progress", args=[problem.pk]), {"text": "协办进展"})
    assert response.status_code == 403
    assert problem.progress_reports.count() == 0


def test_county_user_sees_only_its_county(client, county_user, campaign, make_problem):
    runan = make_problem(Status.ASSIGNED, assignee=org("411727", "congress"), title="汝南的问题")
    xiping = make_problem(Status.ASSIGNED, assignee=org("411721", "congress"), title="西平的问题")
    city = make_problem(Status.ASSIGNED, title="市直部门的问题")
    client.force_login(county_user)
    assert client.get(reverse("problems:detail", args=[runan.pk])).status_code == 200
    assert client.get(reverse("problems:detail", args=[xiping.pk])).status_code == 404
    assert client.get(reverse("problems:detail", args=[city.pk])).status_code == 404
    assert client.get(reverse("problems:list", args=[campaign.slug])).status_code == 404
    workspace = client.get(reverse("problems:workspace")).content.decode()
    assert "汝南的问题" in workspace and "西平的问题" not in workspace


def test_other_city_congress_cannot_see_the_campaign(client, outsider, campaign, two_problems):
    client.force_login(outsider)
    assert client.get(reverse("campaigns:dashboard", args=[campaign.slug])).status_code == 404
    assert client.get(reverse("problems:list", args=[campaign.slug])).status_code == 404
    assert client.get(reverse("problems:detail", args=[two_problems[0].pk])).status_code == 404
    assert client.get(reverse("problems:intake", args=[campaign.slug])).status_code == 404


def test_member_reads_but_cannot_run_intake_or_review(client, member, campaign, make_problem):
    problem = make_problem(Status.COMPLETION_REQUESTED)
    client.force_login(member)
    assert client.get(reverse("campaigns:dashboard", args=[campaign.slug])).status_code == 200
    assert client.get(reverse("problems:detail", args=[problem.pk])).status_code == 200
    assert client.get(reverse("problems:intake", args=[campaign.slug])).status_code == 403
    response = client.post(reverse("problems:review", args=[problem.pk]), {"decision": "accept"})
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.status == Status.COMPLETION_REQUESTED


def test_actions_not_allowed_are_not_shown(client, liaison_a, staff, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(staff)
    page = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert 'data-testid="progress-form"' not in page
    client.force_login(liaison_a)
    page = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert 'data-testid="progress-form"' in page
    assert 'data-testid="review-form"' not in page


def test_attachments_are_scoped_like_their_problem(client, liaison_a, liaison_b, make_problem):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oversight.problems import actions

    problem = make_problem(Status.ASSIGNED)
    report = actions.report_progress(
        actor=liaison_a,
        problem=problem,
        text="附整改照片",
        evidence=[SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")],
    )
    attachment = report.attachments.get()
    client.force_login(liaison_a)
    response = client.get(reverse("problems:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(liaison_b)
    assert client.get(reverse("problems:attachment", args=[attachment.pk])).status_code == 404
