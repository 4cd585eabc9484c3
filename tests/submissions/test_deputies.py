"""A deputy files suggestions and follows them, and sees nothing of the staff's side."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.facilities.models import Facility
from oversight.problems import actions as problem_actions
from oversight.problems.models import Channel, Problem, Status
from oversight.regions.models import Region
from oversight.submissions import actions
from oversight.submissions.models import Kind, Submission
from oversight.topics.models import ProblemArea
from tests.conftest import PASSWORD, org

pytestmark = pytest.mark.django_db


def _file(deputy: User, campaign: Campaign, title: str = "关于加快医养结合的建议") -> Submission:
    return actions.file_suggestion(
        actor=deputy,
        campaign=campaign,
        kind=Kind.SUGGESTION,
        title=title,
        text="建议支持养老机构内设医务室。",
        region=campaign.region,
        area=ProblemArea.objects.get(topic=campaign.topic, code="medical"),
    )


def test_it_needs_a_congress_organisation(reference):
    deputy = User(username="d", role=Role.DEPUTY, organisation=org("411700", "minzheng"))
    with pytest.raises(ValidationError):
        deputy.clean()
    User(username="d2", role=Role.DEPUTY, organisation=org("411700", "congress")).clean()


def test_a_deputy_is_not_a_congress_user(deputy):
    assert deputy.is_deputy
    assert not deputy.is_congress_user
    assert not deputy.is_assignee_user


def test_deputy_files_through_the_pages_and_follows_it(client, deputy, campaign, staff):
    client.force_login(deputy)
    assert client.get("/").url == "/suggestions/"
    mine = client.get("/suggestions/")
    assert f"/campaigns/{campaign.slug}/suggestions/new/" in mine.content.decode()
    area = ProblemArea.objects.get(topic=campaign.topic, code="medical")
    response = client.post(
        f"/campaigns/{campaign.slug}/suggestions/new/",
        {
            "kind": Kind.SUGGESTION,
            "title": "关于促进医养结合快速发展的建议",
            "text": "支持养老机构内设医务室。",
            "region": campaign.region.pk,
            "area": area.pk,
        },
    )
    submission = Submission.objects.get()
    assert response.url == f"/suggestions/{submission.pk}/"
    report = submission.raw_report
    assert (report.channel, report.campaign, report.created_by) == (
        Channel.DEPUTY,
        campaign,
        deputy,
    )
    assert submission.events.get().kind == "filed"
    assert "待归并" in client.get(response.url).content.decode()

    # Staff merge it and assign the problem; the deputy follows it to the department.
    problem = problem_actions.consolidate(
        actor=staff,
        campaign=campaign,
        reports=[report],
        title="医养结合机构不足",
        kind="common",
        region=campaign.region,
    )
    problem_actions.assign(
        actor=staff,
        problem=problem,
        assignee=org("411700", "weijian"),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    page = client.get(response.url).content.decode()
    assert "医养结合机构不足" in page
    assert "已交办" in page
    assert "驻马店市卫生健康委员会" in page


def test_empty_title_is_refused_and_nothing_stored(client, deputy, campaign):
    client.force_login(deputy)
    response = client.post(
        f"/campaigns/{campaign.slug}/suggestions/new/",
        {"kind": Kind.SUGGESTION, "title": " ", "text": "内容", "region": campaign.region.pk},
    )
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_deputy_of_another_region_cannot_file(reference, campaign):
    hebi_deputy = User.objects.create_user(
        "hebi-d", password=PASSWORD, organisation=org("410600", "congress"), role=Role.DEPUTY
    )
    with pytest.raises(PermissionDenied):
        _file(hebi_deputy, campaign)
    from django.test import Client

    client = Client()
    client.force_login(hebi_deputy)
    assert client.get(f"/campaigns/{campaign.slug}/suggestions/new/").status_code == 404
    assert not Submission.objects.exists()


def test_county_deputy_files_to_the_city_campaign(county_deputy, campaign):
    assert list(actions.campaigns_for_deputy(county_deputy)) == [campaign]
    runan = Region.objects.get(code="411727")
    submission = actions.file_suggestion(
        actor=county_deputy,
        campaign=campaign,
        kind=Kind.PROBLEM,
        title="助餐点停运",
        text="县城两个助餐点停运。",
        region=runan,
    )
    assert submission.raw_report.region == runan


def test_staff_and_members_cannot_file_as_deputies(staff, member, campaign):
    for user in (staff, member):
        with pytest.raises(PermissionDenied):
            _file(user, campaign)


def test_deputy_sees_no_other_deputys_submission(client, deputy, county_deputy, campaign):
    theirs = _file(county_deputy, campaign, "别人的建议")
    mine = _file(deputy, campaign, "我的建议内容")
    client.force_login(deputy)
    listing = client.get("/suggestions/").content.decode()
    assert "我的建议内容" in listing and "别人的建议" not in listing
    assert client.get(f"/suggestions/{theirs.pk}/").status_code == 404
    assert client.get(f"/suggestions/{mine.pk}/").status_code == 200
    assert list(Submission.objects.visible_to(deputy)) == [mine]


@pytest.mark.parametrize(
    "path",
    [
        "/campaigns/",
        "/campaigns/{slug}/",
        "/campaigns/{slug}/problems/",
        "/campaigns/{slug}/intake/",
        "/campaigns/{slug}/submissions/",
        "/campaigns/{slug}/livelihood/",
        "/campaigns/{slug}/livelihood/new/",
        "/campaigns/{slug}/meetings/",
        "/campaigns/{slug}/evaluations/",
        "/audit/",
    ],
)
def test_deputy_gets_nothing_of_the_staff_pages(client, deputy, campaign, path):
    client.force_login(deputy)
    response = client.get(path.format(slug=campaign.slug))
    if response.status_code == 200:  # a list page that lists nothing of the campaign
        assert campaign.name not in response.content.decode()
    else:
        assert response.status_code in (403, 404)


def test_deputy_sees_no_problem_even_of_their_own_congress(
    client, county_deputy, campaign, make_problem
):
    """Problems assigned to the 汝南县 congress are its staff's work, not its deputies'."""
    problem = make_problem(Status.ASSIGNED, assignee=org("411727", "congress"))
    submission = _file(county_deputy, campaign)
    assert not Problem.objects.visible_to(county_deputy).exists()
    assert not Problem.objects.workload_of(county_deputy).exists()
    assert not Campaign.objects.visible_to(county_deputy).exists()
    assert not Facility.objects.visible_to(county_deputy).exists()
    client.force_login(county_deputy)
    assert client.get(f"/problems/{problem.pk}/").status_code == 404
    assert problem.title not in client.get("/workspace/").content.decode()
    # The staff's page of their own submission is not theirs either.
    assert client.get(f"/submissions/{submission.pk}/").status_code == 403


def test_non_deputies_have_no_my_suggestions_page(client, staff, liaison_a):
    for user in (staff, liaison_a):
        client.force_login(user)
        assert client.get("/suggestions/").status_code == 403
