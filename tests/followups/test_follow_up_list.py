"""跟踪监督: after a campaign's period ends its unfinished problems are followed up until
completed; staff record each check."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from oversight.followups import actions
from oversight.followups.models import FollowUp
from oversight.problems import actions as problem_actions
from oversight.problems.models import RectificationType, Status
from tests.conftest import org

TODAY = timezone.localdate()


@pytest.fixture
def open_problem(make_problem):
    return make_problem(Status.IN_PROGRESS, title="乡镇敬老院转型进度慢")


@pytest.fixture
def followed(campaign, open_problem):
    actions.start_follow_up(campaign)
    return FollowUp.objects.get(problem=open_problem)


def test_unfinished_problems_of_an_ended_campaign_are_followed_up(campaign, make_problem):
    unfinished = make_problem(Status.IN_PROGRESS, title="未办结")
    pending = make_problem(Status.PENDING, title="待交办")
    completed = make_problem(Status.COMPLETED, title="已办结")
    created = actions.start_follow_up(campaign)
    assert {f.problem_id for f in created} == {unfinished.pk, pending.pk}
    assert not FollowUp.objects.filter(problem=completed).exists()
    follow_up = FollowUp.objects.get(problem=unfinished)
    assert follow_up.started_on == TODAY
    assert follow_up.next_check_on == TODAY + actions.FIRST_CHECK_AFTER


def test_starting_again_changes_nothing(campaign, open_problem):
    actions.start_follow_up(campaign)
    FollowUp.objects.update(next_check_on=TODAY + datetime.timedelta(days=3))
    assert actions.start_follow_up(campaign) == []
    assert actions.start_due_follow_ups() == 0
    assert FollowUp.objects.get().next_check_on == TODAY + datetime.timedelta(days=3)


def test_a_campaign_still_running_is_not_followed_up(campaign, open_problem):
    assert actions.start_follow_up(campaign, today=campaign.ends_on) == []
    assert not FollowUp.objects.exists()


def test_the_list_shows_the_problem_and_a_check_is_recorded(client, staff, campaign, followed):
    client.force_login(staff)
    page = client.get(reverse("followups:list", args=[campaign.slug]))
    assert page.status_code == 200
    assert "乡镇敬老院转型进度慢" in page.content.decode()

    url = reverse("followups:detail", args=[followed.pk])
    next_check = TODAY + datetime.timedelta(days=60)
    response = client.post(
        url,
        {
            "checked_on": TODAY,
            "note": "现场核查：已有3所敬老院完成转型。",
            "next_check_on": next_check,
        },
    )
    assert response.status_code == 302
    followed.refresh_from_db()
    assert (followed.last_checked_on, followed.next_check_on) == (TODAY, next_check)
    check = followed.checks.get()
    assert check.recorded_by == staff and "3所" in check.note
    assert "3所敬老院" in client.get(url).content.decode()


def test_a_completed_problem_leaves_the_list(client, staff, campaign, followed, open_problem):
    liaison = open_problem.progress_reports.first().author
    problem_actions.claim_completion(
        actor=liaison,
        problem=open_problem,
        text="整改完成",
        rectification_type=RectificationType.ONGOING,
    )
    problem_actions.accept_completion(actor=staff, problem=open_problem)
    assert not FollowUp.objects.on_list().exists()
    client.force_login(staff)
    page = client.get(reverse("followups:list", args=[campaign.slug])).content.decode()
    assert "乡镇敬老院转型进度慢" not in page
    detail = client.get(reverse("followups:detail", args=[followed.pk]))
    assert 'data-testid="left-list"' in detail.content.decode()
    with pytest.raises(ValidationError):
        actions.record_check(
            actor=staff,
            follow_up=followed,
            checked_on=TODAY,
            note="再次核查",
            next_check_on=TODAY + datetime.timedelta(days=1),
        )


def test_the_list_sorts_by_next_check_and_highlights_overdue_checks(
    client, staff, campaign, make_problem
):
    later = make_problem(Status.IN_PROGRESS, title="以后核查")
    overdue = make_problem(Status.IN_PROGRESS, title="核查已超期")
    actions.start_follow_up(campaign)
    FollowUp.objects.filter(problem=overdue).update(
        started_on=TODAY - datetime.timedelta(days=40),
        next_check_on=TODAY - datetime.timedelta(days=5),
    )
    client.force_login(staff)
    url = reverse("followups:list", args=[campaign.slug])
    page = client.get(url).content.decode()
    assert page.index("核查已超期") < page.index("以后核查")
    assert page.count('class="table-danger"') == 1
    reverse_order = client.get(url, {"sort": "-next"}).content.decode()
    assert reverse_order.index("以后核查") < reverse_order.index("核查已超期")
    assert client.get(url, {"sort": "<script>"}).status_code == 200
    assert later.pk


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("note", {"note": "  "}),
        ("checked_on", {"checked_on": TODAY + datetime.timedelta(days=1)}),
        ("next_check_on", {"next_check_on": TODAY}),
    ],
)
def test_a_bad_check_is_refused_next_to_the_field(client, staff, followed, field, values):
    client.force_login(staff)
    data = {"checked_on": TODAY, "note": "核查", "next_check_on": TODAY + datetime.timedelta(30)}
    response = client.post(reverse("followups:detail", args=[followed.pk]), data | values)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not followed.checks.exists()


def test_only_the_campaigns_staff_record_checks(client, member, liaison_a, followed):
    for user in (member, liaison_a):
        with pytest.raises(PermissionDenied):
            actions.record_check(
                actor=user,
                follow_up=followed,
                checked_on=TODAY,
                note="越权",
                next_check_on=TODAY + datetime.timedelta(days=1),
            )
    client.force_login(member)
    url = reverse("followups:detail", args=[followed.pk])
    assert client.get(url).status_code == 200
    assert "保存核查情况" not in client.get(url).content.decode()
    data = {"checked_on": TODAY, "note": "越权", "next_check_on": TODAY + datetime.timedelta(9)}
    assert client.post(url, data).status_code == 403
    assert not followed.checks.exists()


def test_outsider_and_liaison_cannot_see_the_list(
    client, outsider, liaison_a, liaison_b, campaign, followed
):
    url = reverse("followups:list", args=[campaign.slug])
    detail = reverse("followups:detail", args=[followed.pk])
    for user in (outsider, liaison_a, liaison_b):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    # The department answering for the problem sees its follow-up, the others do not.
    client.force_login(liaison_a)
    assert client.get(detail).status_code == 200
    for user in (outsider, liaison_b):
        client.force_login(user)
        assert client.get(detail).status_code == 404, user


def test_county_staff_see_only_their_own_problems_on_the_detail(
    client, county_user, campaign, make_problem
):
    county = org("411727", "congress")
    mine = make_problem(Status.ASSIGNED, assignee=county, title="汝南县的问题")
    other = make_problem(Status.ASSIGNED, title="民政局的问题")
    actions.start_follow_up(campaign)
    client.force_login(county_user)
    assert client.get(reverse("followups:list", args=[campaign.slug])).status_code == 404
    ok = reverse("followups:detail", args=[FollowUp.objects.get(problem=mine).pk])
    hidden = reverse("followups:detail", args=[FollowUp.objects.get(problem=other).pk])
    assert client.get(ok).status_code == 200
    assert client.get(hidden).status_code == 404


def test_the_list_costs_the_same_for_many_rows(
    client, staff, campaign, make_problem, django_assert_max_num_queries
):
    for index in range(12):
        make_problem(Status.ASSIGNED, title=f"问题{index}")
    actions.start_follow_up(campaign)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("followups:list", args=[campaign.slug])).status_code == 200
