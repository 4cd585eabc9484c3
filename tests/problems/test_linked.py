"""Linked supervision: a problem assigned to a lower congress lives on in that congress's
campaign below, is handled there as its own, and is answered upward in writing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from oversight.campaigns.models import Campaign
from oversight.problems import actions
from oversight.problems.actions import InvalidTransition
from oversight.problems.models import Channel, EventKind, Problem, RectificationType, Status
from tests.conftest import org
from tests.linking import *  # noqa: F403
from tests.linking import RUNAN, XIPING, ZHUMADIAN, deadline, report_in_writing


def province_problem(province, province_staff, title="省交办的问题"):
    report = actions.record_raw_report(
        actor=province_staff, campaign=province, channel=Channel.INSPECTION, text=f"反映：{title}"
    )
    return actions.consolidate(
        actor=province_staff,
        campaign=province,
        reports=[report],
        title=title,
        kind="common",
        region=province.region,
    )


def test_assigning_to_a_county_congress_opens_its_campaign_with_a_linked_problem(
    staff, campaign, make_problem
):
    upper = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"), title="汝南的问题")
    child = Campaign.objects.get(parent=campaign, congress=org(RUNAN, "congress"))
    assert child.name == "汝南县联动监督"
    assert child.region.code == RUNAN
    lower = Problem.objects.get(upper=upper)
    assert lower.campaign == child and lower.status == Status.PENDING
    assert lower.title == "汝南的问题" and lower.number == 1
    kinds = list(lower.events.values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.LINKED]
    assert "汝南" not in lower.events.get(kind=EventKind.LINKED).summary  # from the city
    assert "驻马店市人大常委会" in lower.events.get(kind=EventKind.LINKED).summary
    # A second problem to the same county joins the same campaign.
    make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"), title="汝南的第二个问题")
    assert Campaign.objects.filter(parent=campaign).count() == 1
    assert child.problems.count() == 2
    # Assigning to a department links nothing.
    make_problem(Status.ASSIGNED, title="市直部门的问题")
    assert Problem.objects.filter(upper__isnull=False).count() == 2


def test_staff_may_open_a_county_campaign_beforehand(staff, member, campaign):
    from oversight.campaigns.actions import open_child_campaign

    with pytest.raises(PermissionDenied):
        open_child_campaign(actor=member, parent=campaign, congress=org(RUNAN, "congress"))
    opened = open_child_campaign(actor=staff, parent=campaign, congress=org(RUNAN, "congress"))
    assert opened.parent == campaign
    assert (
        open_child_campaign(actor=staff, parent=campaign, congress=org(RUNAN, "congress")) == opened
    )


def test_two_levels_county_handles_through_its_department_and_answers_in_writing(
    client, staff, county_user, county_liaison, campaign, make_problem
):
    upper = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"), title="汝南的问题")
    lower = Problem.objects.get(upper=upper)
    # The county congress handles it as its own: it assigns it to its own department.
    actions.assign(
        actor=county_user, problem=lower, assignee=org(RUNAN, "minzheng"), deadline=deadline(20)
    )
    actions.report_progress(actor=county_liaison, problem=lower, text="县民政局已开展排查")
    actions.claim_completion(
        actor=county_liaison,
        problem=lower,
        text="县民政局整改到位",
        rectification_type=RectificationType.IMMEDIATE,
    )
    actions.accept_completion(actor=county_user, problem=lower)
    lower.refresh_from_db()
    assert lower.status == Status.COMPLETED
    # The city's problem page reads the county's progress and history through the link.
    client.force_login(staff)
    page = client.get(reverse("problems:detail", args=[upper.pk])).content.decode()
    assert "县民政局已开展排查" in page and "县民政局整改到位" in page
    assert 'data-testid="lower-problems"' in page and "汝南县联动监督" in page
    upper.refresh_from_db()
    assert upper.status == Status.ASSIGNED  # nothing copied up: the county answers itself
    # The county answers in writing, with the report attached; the city returns, then accepts.
    claim = report_in_writing(county_user, upper, "书面报告：已整改")
    assert claim.attachments.get().content_type == "application/pdf"
    with pytest.raises(PermissionDenied):
        actions.accept_completion(actor=county_user, problem=upper)
    actions.return_for_rectification(actor=staff, problem=upper, reason="请补充验收材料")
    upper.refresh_from_db()
    assert upper.status == Status.IN_PROGRESS
    report_in_writing(county_user, upper, "书面报告：已补充验收材料")
    actions.accept_completion(actor=staff, problem=upper)
    upper.refresh_from_db()
    assert upper.status == Status.COMPLETED
    # The county's page shows where the problem came from and that it was accepted above.
    client.force_login(county_user)
    page = client.get(reverse("problems:detail", args=[lower.pk])).content.decode()
    assert 'data-testid="upper-link"' in page and "已办结" in page


def test_written_report_is_refused_without_a_valid_document(county_user, campaign, make_problem):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    upper = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"))
    fake = SimpleUploadedFile("报告.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError):
        actions.claim_completion(
            actor=county_user,
            problem=upper,
            text="书面报告",
            evidence=[fake],
            rectification_type=RectificationType.IMMEDIATE,
        )
    upper.refresh_from_db()
    assert upper.status == Status.ASSIGNED and not upper.progress_reports.exists()


def test_three_levels_province_city_county(
    client, province, province_staff, staff, county_user, campaign
):
    top = province_problem(province, province_staff)
    actions.assign(
        actor=province_staff, problem=top, assignee=org(ZHUMADIAN, "congress"), deadline=deadline()
    )
    middle = Problem.objects.get(upper=top)
    assert middle.campaign == campaign  # the city's existing campaign below the province's
    actions.assign(
        actor=staff, problem=middle, assignee=org(RUNAN, "congress"), deadline=deadline(20)
    )
    bottom = Problem.objects.get(upper=middle)
    assert bottom.campaign.parent == campaign
    # The county reports up to the city; the city returns once, then accepts.
    actions.report_progress(actor=county_user, problem=middle, text="县里正在整改")
    report_in_writing(county_user, middle)
    actions.return_for_rectification(actor=staff, problem=middle, reason="佐证不足")
    report_in_writing(county_user, middle, "已补充佐证")
    actions.accept_completion(actor=staff, problem=middle)
    # The city reports up to the province in writing; only the province may accept.
    report_in_writing(staff, top, "市人大书面报告")
    with pytest.raises(PermissionDenied):
        actions.accept_completion(actor=staff, problem=top)
    actions.accept_completion(actor=province_staff, problem=top)
    top.refresh_from_db()
    middle.refresh_from_db()
    assert (top.status, middle.status) == (Status.COMPLETED, Status.COMPLETED)
    # The province's page shows both levels below, the county's progress included.
    client.force_login(province_staff)
    page = client.get(reverse("problems:detail", args=[top.pk])).content.decode()
    assert "县里正在整改" in page and "市人大书面报告" in page
    assert page.count('data-testid="lower-problems"') == 1
    assert campaign.name in page and "汝南县联动监督" in page


def test_a_claim_out_of_turn_is_refused(county_user, staff, campaign, make_problem):
    upper = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"))
    with pytest.raises(InvalidTransition):
        actions.accept_completion(actor=staff, problem=upper)
    with pytest.raises(InvalidTransition):
        actions.return_for_rectification(actor=staff, problem=upper, reason="未申请")


def test_scoping_at_every_level(
    client,
    province,
    province_staff,
    staff,
    outsider,
    county_user,
    sibling_county_user,
    county_liaison,
    campaign,
    make_problem,
):
    runan = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"), title="汝南的问题")
    xiping = make_problem(Status.ASSIGNED, assignee=org(XIPING, "congress"), title="西平的问题")
    city_own = make_problem(Status.ASSIGNED, title="市直部门的问题")
    runan_lower = Problem.objects.get(upper=runan)
    xiping_lower = Problem.objects.get(upper=xiping)
    actions.assign(
        actor=county_user,
        problem=runan_lower,
        assignee=org(RUNAN, "minzheng"),
        deadline=deadline(10),
    )
    runan_campaign, xiping_campaign = runan_lower.campaign, xiping_lower.campaign

    def status(user, name, *args):
        client.force_login(user)
        return client.get(reverse(name, args=args)).status_code

    # A county congress sees its own campaign and what was assigned to it, nothing of its sibling.
    assert status(county_user, "campaigns:dashboard", runan_campaign.slug) == 200
    assert status(county_user, "problems:detail", runan.pk) == 200
    assert status(county_user, "problems:detail", runan_lower.pk) == 200
    assert status(county_user, "campaigns:dashboard", xiping_campaign.slug) == 404
    assert status(county_user, "problems:detail", xiping.pk) == 404
    assert status(county_user, "problems:detail", xiping_lower.pk) == 404
    assert status(county_user, "problems:detail", city_own.pk) == 404
    assert status(county_user, "campaigns:dashboard", campaign.slug) == 404
    assert status(county_user, "campaigns:dashboard", province.slug) == 404
    assert status(sibling_county_user, "problems:detail", runan_lower.pk) == 404
    client.force_login(county_user)
    listed = client.get(reverse("campaigns:list")).content.decode()
    assert runan_campaign.name in listed and xiping_campaign.name not in listed
    assert client.get(reverse("home"))["Location"] == reverse(
        "campaigns:dashboard", args=[runan_campaign.slug]
    )
    # A department of a county sees its own problem, nothing of the city's.
    assert status(county_liaison, "problems:detail", runan_lower.pk) == 200
    assert status(county_liaison, "problems:detail", runan.pk) == 404
    assert status(county_liaison, "problems:detail", city_own.pk) == 404
    assert status(county_liaison, "campaigns:dashboard", runan_campaign.slug) == 404
    client.force_login(county_liaison)
    page = client.get(reverse("problems:detail", args=[runan_lower.pk])).content.decode()
    assert "上级问题不在您的查看范围内" in page
    # The city sees its counties; another city sees nothing of it.
    assert status(staff, "campaigns:dashboard", runan_campaign.slug) == 200
    assert status(staff, "problems:detail", xiping_lower.pk) == 200
    assert status(staff, "campaigns:dashboard", province.slug) == 404
    for target in (runan_campaign.slug, campaign.slug):
        assert status(outsider, "campaigns:dashboard", target) == 404
    assert status(outsider, "problems:detail", runan_lower.pk) == 404
    # The province sees every city and county below.
    for target in (province.slug, campaign.slug, runan_campaign.slug, xiping_campaign.slug):
        assert status(province_staff, "campaigns:dashboard", target) == 200
    assert status(province_staff, "problems:detail", runan_lower.pk) == 200


def test_county_staff_manage_their_own_campaign_only(
    county_user, sibling_county_user, campaign, make_problem
):
    upper = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"))
    lower = Problem.objects.get(upper=upper)
    with pytest.raises(PermissionDenied):
        actions.assign(
            actor=sibling_county_user,
            problem=lower,
            assignee=org(RUNAN, "congress"),
            deadline=deadline(),
        )
    with pytest.raises(PermissionDenied):  # the city's problem is not the county's to assign
        actions.reassign(
            actor=county_user, problem=upper, assignee=org(XIPING, "congress"), reason="越权"
        )


def test_upper_level_channel_filter_finds_linked_problems(client, county_user, make_problem):
    upper = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"), title="上级交办的问题")
    lower = Problem.objects.get(upper=upper)
    client.force_login(county_user)
    url = reverse("problems:list", args=[lower.campaign.slug])
    page = client.get(url, {"channel": Channel.UPPER_LEVEL}).content.decode()
    assert "上级交办的问题" in page
    page = client.get(url, {"channel": Channel.PUBLIC}).content.decode()
    assert "上级交办的问题" not in page
