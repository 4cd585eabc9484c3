"""Staff follow the campaign's submissions, reply in public, and run livelihood projects;
intake's refactored entry keeps refusing non-staff."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.problems import actions as problem_actions
from oversight.problems.models import Channel, RawReport
from oversight.submissions import actions
from oversight.submissions.models import (
    EventKind,
    Kind,
    LivelihoodProject,
    Submission,
    SubmissionEvent,
)
from tests.conftest import org

pytestmark = pytest.mark.django_db


def test_record_raw_report_still_refuses_non_staff(campaign, member, liaison_a, outsider, deputy):
    for user in (member, liaison_a, outsider, deputy):
        with pytest.raises(PermissionDenied):
            problem_actions.record_raw_report(
                actor=user, campaign=campaign, channel=Channel.INSPECTION, text="反映"
            )
    assert not RawReport.objects.exists()


def test_record_raw_report_for_staff_records_the_actor(campaign, staff):
    report = problem_actions.record_raw_report(
        actor=staff, campaign=campaign, channel=Channel.INSPECTION, text=" 反映 "
    )
    assert (report.created_by, report.text) == (staff, "反映")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": "nonsense", "text": "反映"}, "channel"),
        ({"channel": Channel.PUBLIC, "text": "  "}, "text"),
    ],
)
def test_receive_raw_report_validates_like_before(campaign, fields, field):
    with pytest.raises(ValidationError) as refused:
        problem_actions.receive_raw_report(campaign=campaign, **fields)
    assert list(refused.value.error_dict) == [field]
    assert not RawReport.objects.exists()


def test_receive_raw_report_refuses_a_region_outside(campaign, reference):
    with pytest.raises(ValidationError):
        problem_actions.receive_raw_report(
            campaign=campaign, channel=Channel.PUBLIC, text="反映", region=reference["hebi"]
        )
    assert not RawReport.objects.exists()


def _public(campaign, text="助餐点停运", phone="13812345678"):
    return actions.file_public_report(campaign=campaign, text=text, name="张先生", phone=phone)


def test_staff_list_filters_and_shows_contacts(client, open_campaign, staff, deputy):
    public = _public(open_campaign)
    actions.file_suggestion(
        actor=deputy,
        campaign=open_campaign,
        kind=Kind.SUGGESTION,
        title="关于助餐的建议",
        text="内容",
        region=open_campaign.region,
    )
    client.force_login(staff)
    url = f"/campaigns/{open_campaign.slug}/submissions/"
    page = client.get(url).content.decode()
    assert "关于助餐的建议" in page and "助餐点停运" in page and "张先生" in page
    only_public = client.get(url, {"kind": Kind.PUBLIC}).content.decode()
    assert "关于助餐的建议" not in only_public and "助餐点停运" in only_public
    actions.publish_reply(actor=staff, submission=public, text="已答复")
    replied = client.get(url, {"state": "replied"}).content.decode()
    assert "助餐点停运" in replied and "关于助餐的建议" not in replied
    assert "助餐" in client.get(url, {"q": "助餐"}).content.decode()
    detail = client.get(f"/submissions/{public.pk}/").content.decode()
    assert "13812345678" in detail


@pytest.mark.parametrize("who", ["liaison_a", "liaison_b", "outsider", "county_user"])
def test_others_do_not_see_the_submissions(client, open_campaign, who, request):
    submission = _public(open_campaign)
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/campaigns/{open_campaign.slug}/submissions/").status_code == 404
    assert client.get(f"/submissions/{submission.pk}/").status_code == 404
    assert client.get(f"/campaigns/{open_campaign.slug}/livelihood/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, open_campaign):
    submission = _public(open_campaign)
    for url in (f"/submissions/{submission.pk}/", f"/campaigns/{open_campaign.slug}/submissions/"):
        assert client.get(url).status_code == 302


def test_reply_through_the_page_is_recorded(client, open_campaign, staff):
    submission = _public(open_campaign)
    client.force_login(staff)
    response = client.post(f"/submissions/{submission.pk}/", {"text": "已交市民政局办理。"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.public_reply, submission.replied_by) == ("已交市民政局办理。", staff)
    event = submission.events.get(kind=EventKind.REPLIED)
    assert event.actor == staff
    assert client.post(f"/submissions/{submission.pk}/", {"text": " "}).status_code == 400


def test_opening_and_closing_is_recorded(client, campaign, staff):
    client.force_login(staff)
    url = f"/campaigns/{campaign.slug}/submissions/public-reporting/"
    client.post(url, {"open": "1"})
    assert actions.is_public_reporting_open(campaign)
    client.post(url, {"open": "0"})
    assert not actions.is_public_reporting_open(campaign)
    kinds = list(SubmissionEvent.objects.values_list("kind", flat=True))
    assert kinds == [EventKind.OPENED, EventKind.CLOSED]


def test_livelihood_project_through_the_pages(client, campaign, staff, member):
    client.force_login(staff)
    response = client.post(
        f"/campaigns/{campaign.slug}/livelihood/new/",
        {
            "title": "老年助餐服务",
            "department": org("411700", "minzheng").pk,
            "target": "按省定任务建设运营老年助餐机构",
            "target_quantity": "16",
            "unit": "家",
            "deadline": "2024-12-31",
        },
    )
    project = LivelihoodProject.objects.get()
    assert response.url == f"/livelihood/{project.pk}/"
    client.post(
        response.url,
        {
            "reported_on": "2024-10-18",
            "text": "已运营助餐机构180家",
            "achieved_quantity": "180",
            "funds_wan_yuan": "515",
        },
    )
    page = client.get(f"/campaigns/{campaign.slug}/livelihood/").content.decode()
    assert "1125.0%" in page and "515" in page
    # A member reads, and may not record.
    client.force_login(member)
    assert "1125.0%" in client.get(response.url).content.decode()
    assert client.post(response.url, {"reported_on": "2024-11-01", "text": "x"}).status_code == 403
    assert project.progress.count() == 1


def test_project_department_must_be_the_campaigns(campaign, staff):
    with pytest.raises(ValidationError):
        actions.register_project(
            actor=staff,
            campaign=campaign,
            title="助餐",
            department=org("410600", "minzheng"),
            target="目标",
            deadline=datetime.date(2024, 12, 31),
        )
    assert not LivelihoodProject.objects.exists()


def test_completed_project_takes_no_more_progress(campaign, staff):
    project = actions.register_project(
        actor=staff,
        campaign=campaign,
        title="助餐",
        department=org("411700", "minzheng"),
        target="目标",
        deadline=datetime.date(2024, 12, 31),
    )
    actions.record_project_progress(
        actor=staff, project=project, text="完成", funds_wan_yuan=Decimal("1"), completed=True
    )
    with pytest.raises(ValidationError):
        actions.record_project_progress(actor=staff, project=project, text="又一条")
    assert project.progress.count() == 1


def test_list_query_count_is_bounded(client, open_campaign, staff, django_assert_max_num_queries):
    for number in range(8):
        _public(open_campaign, text=f"问题{number}")
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert client.get(f"/campaigns/{open_campaign.slug}/submissions/").status_code == 200
    assert Submission.objects.count() == 8
