"""Crossing the line through the real URLs: outside one's scope is 404, never a peek."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.problems.models import Status
from tests.conftest import merge, org


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


def test_liaison_cannot_assign_or_review(client, liaison_a, make_problem):
    pending = make_problem(Status.PENDING)
    claimed = make_problem(Status.COMPLETION_REQUESTED)  # assigned to liaison_a's 民政局
    client.force_login(liaison_a)
    # Pending problems are not theirs to see at all; claimed ones are, but not to review.
    response = client.post(
        reverse("problems:assign", args=[pending.pk]),
        {"assignee": org("411700", "minzheng").pk, "deadline": "2099-01-01"},
    )
    assert response.status_code == 404
    response = client.post(reverse("problems:review", args=[claimed.pk]), {"decision": "accept"})
    assert response.status_code == 403
    claimed.refresh_from_db()
    pending.refresh_from_db()
    assert (pending.status, claimed.status) == (Status.PENDING, Status.COMPLETION_REQUESTED)


def test_outsider_cannot_merge_into_another_campaign(client, outsider, staff, campaign):
    from oversight.problems import actions
    from oversight.problems.models import Channel, RawReport

    report = actions.record_raw_report(
        actor=staff, campaign=campaign, channel=Channel.PUBLIC, text="群众反映"
    )
    client.force_login(outsider)
    response = client.post(
        reverse("problems:intake", args=[campaign.slug]),
        {"merge": "1", "reports": [report.pk], "title": "越权归并", "kind": "common"},
    )
    assert response.status_code == 404
    assert RawReport.objects.get(pk=report.pk).problem is None


def test_staff_cannot_merge_reports_of_another_campaign(
    client, staff, outsider, reference, campaign
):
    """Form choices are limited to the campaign: a foreign id is refused, not merged."""
    from oversight.campaigns.models import Campaign
    from oversight.problems import actions
    from oversight.problems.models import Channel, RawReport

    hebi = Campaign.objects.create(
        slug="hebi-test",
        name="鹤壁（测试）",
        topic=reference["topic"],
        congress=org("410600", "congress"),
        region=reference["hebi"],
        starts_on="2024-01-01",
        ends_on="2024-12-31",
    )
    foreign = actions.record_raw_report(
        actor=outsider, campaign=hebi, channel=Channel.PUBLIC, text="鹤壁群众反映"
    )
    client.force_login(staff)
    response = client.post(
        reverse("problems:intake", args=[campaign.slug]),
        {
            "merge": "1",
            "reports": [foreign.pk],
            "title": "混入",
            "kind": "common",
            "region": campaign.region_id,
        },
    )
    assert response.status_code == 400
    assert RawReport.objects.get(pk=foreign.pk).problem is None


def test_htmx_partial_is_scoped_too(client, outsider, campaign, two_problems):
    client.force_login(outsider)
    response = client.get(reverse("problems:list", args=[campaign.slug]), HTTP_HX_REQUEST="true")
    assert response.status_code == 404


def test_campaign_list_shows_only_campaigns_in_reach(client, outsider, staff, campaign):
    client.force_login(outsider)
    assert campaign.name not in client.get(reverse("campaigns:list")).content.decode()
    client.force_login(staff)
    assert campaign.name in client.get(reverse("campaigns:list")).content.decode()


def test_reporters_are_shown_to_the_congress_not_to_departments(client, staff, liaison_a, campaign):
    from oversight.problems import actions
    from oversight.problems.models import Channel

    report = actions.record_raw_report(
        actor=staff, campaign=campaign, channel=Channel.DEPUTY, text="代表反映", reporter="张代表"
    )
    problem = merge(staff, campaign, [report], "代表关注的问题", "common")
    actions.assign(
        actor=staff,
        problem=problem,
        assignee=org("411700", "minzheng"),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    url = reverse("problems:detail", args=[problem.pk])
    client.force_login(staff)
    assert "张代表" in client.get(url).content.decode()
    client.force_login(liaison_a)
    page = client.get(url).content.decode()
    assert "代表反映" in page and "张代表" not in page


def test_admin_is_for_system_administrators_only(client, staff, django_user_model):
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    response = client.get("/admin/problems/problem/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    admin = django_user_model.objects.create_superuser("root", password="x" * 12)
    client.force_login(admin)
    assert client.get("/admin/problems/problem/").status_code == 200


def test_out_of_scope_and_forbidden_pages_explain_in_chinese(client, liaison_a, member, campaign):
    client.force_login(liaison_a)
    response = client.get(reverse("campaigns:dashboard", args=[campaign.slug]))
    assert response.status_code == 404
    assert "不在您所在机构的查看范围内" in response.content.decode()
    client.force_login(member)
    response = client.get(reverse("problems:intake", args=[campaign.slug]))
    assert response.status_code == 403
    assert "只有组织本次联动监督的人大工作人员可以管理原始问题" in response.content.decode()


def test_the_workload_is_inside_what_each_user_may_see(
    make_problem, staff, liaison_a, liaison_b, county_user, outsider
):
    from oversight.accounts.models import User
    from oversight.problems.models import Problem, Status
    from tests.conftest import org

    make_problem(Status.ASSIGNED, assignee=org("411700", "minzheng"))
    make_problem(Status.ASSIGNED, assignee=org("411700", "weijian"))
    make_problem(Status.ASSIGNED, assignee=org("411727", "congress"))
    for user in (staff, liaison_a, liaison_b, county_user, outsider):
        user = User.objects.get(pk=user.pk)
        workload = set(Problem.objects.workload_of(user).values_list("pk", flat=True))
        visible = set(Problem.objects.visible_to(user).values_list("pk", flat=True))
        assert workload <= visible
        assert workload == set(
            Problem.objects.visible_to(user)
            .handled_by(user.organisation)
            .values_list("pk", flat=True)
        )
    assert Problem.objects.workload_of(liaison_a).count() == 1
    assert Problem.objects.workload_of(county_user).count() == 1
