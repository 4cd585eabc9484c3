"""Meetings of a campaign: list, detail, the staff's form, attachments; and who may see them."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.meetings import actions
from oversight.meetings.models import Meeting, MeetingAttachment, MeetingEvent
from tests.conftest import org

from .conftest import HTML, PDF, kind

pytestmark = pytest.mark.django_db


def test_staff_creates_a_meeting_through_the_form(client, staff, member, campaign, make_problem):
    problem = make_problem(title="社区日间照料中心运营率低")
    client.force_login(staff)
    response = client.post(
        reverse("meetings:create", args=[campaign.slug]),
        {
            "kind": kind(campaign, "standing-committee").pk,
            "title": "常委会会议：审议联动监督报告",
            "held_on": "2024-06-26",
            "place": "常委会会议厅",
            "attendees": [member.pk],
            "organisations": [org("411700", "minzheng").pk],
            "problems": [problem.pk],
            "minutes": "听取和审议报告。",
            "attachments": [SimpleUploadedFile("纪要.pdf", PDF)],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert list(meeting.attendees.all()) == [member]
    assert list(meeting.problems.all()) == [problem]
    assert meeting.attachments.get().name == "纪要.pdf"
    assert list(meeting.events.values_list("kind", flat=True)) == ["created", "attached"]


def test_staff_edits_a_meeting_and_history_names_the_fields(client, staff, make_meeting):
    meeting = make_meeting(title="主任会议")
    client.force_login(staff)
    response = client.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {"kind": meeting.kind_id, "title": "主任会议（修改）", "held_on": "2024-06-13"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.held_on) == ("主任会议（修改）", datetime.date(2024, 6, 13))
    event = MeetingEvent.objects.filter(meeting=meeting, kind="updated").get()
    assert set(event.details["fields"]) == {"title", "held_on"}


def test_a_kind_of_another_topic_or_a_problem_of_another_campaign_is_refused(
    staff, campaign, make_meeting, make_problem
):
    from oversight.campaigns.models import Campaign

    other = Campaign.objects.create(
        slug="other",
        name="另一次监督",
        topic=campaign.topic,
        congress=campaign.congress,
        region=campaign.region,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
    )
    foreign = make_problem()
    foreign.campaign = other
    foreign.save()
    with pytest.raises(ValidationError) as refused:
        make_meeting(problems=[foreign])
    assert "problems" in refused.value.error_dict
    assert not Meeting.objects.exists()


def test_list_is_sorted_by_date_both_ways(client, member, campaign, make_meeting):
    make_meeting(title="六月会议", held_on=datetime.date(2024, 6, 1))
    make_meeting(title="三月会议", held_on=datetime.date(2024, 3, 1))
    make_meeting(title="九月会议", held_on=datetime.date(2024, 9, 1))
    client.force_login(member)
    url = reverse("meetings:list", args=[campaign.slug])
    ascending = client.get(url).content.decode()
    descending = client.get(url, {"sort": "-date"}).content.decode()
    assert ascending.index("三月会议") < ascending.index("六月会议") < ascending.index("九月会议")
    assert (
        descending.index("九月会议") < descending.index("六月会议") < descending.index("三月会议")
    )


def test_list_filters_by_kind(client, member, campaign, make_meeting):
    make_meeting("chair", "主任会议甲")
    make_meeting("briefing", "情况汇报会乙")
    client.force_login(member)
    page = client.get(reverse("meetings:list", args=[campaign.slug]), {"kind": "briefing"})
    assert "情况汇报会乙" in page.content.decode()
    assert "主任会议甲" not in page.content.decode()


def test_member_reads_but_cannot_create_or_edit(client, member, campaign, make_meeting):
    meeting = make_meeting(title="主任会议", minutes="研究监督方案")
    client.force_login(member)
    assert client.get(reverse("meetings:list", args=[campaign.slug])).status_code == 200
    detail = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert "研究监督方案" in detail.content.decode()
    assert reverse("meetings:edit", args=[meeting.pk]) not in detail.content.decode()
    assert client.get(reverse("meetings:create", args=[campaign.slug])).status_code == 403
    edit = client.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {"kind": meeting.kind_id, "title": "改名", "held_on": "2024-06-12"},
    )
    assert edit.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "主任会议"
    with pytest.raises(PermissionDenied):
        actions.add_meeting_attachments(
            actor=member, meeting=meeting, uploads=[SimpleUploadedFile("a.pdf", PDF)]
        )


@pytest.mark.parametrize("who", ["outsider", "liaison_a", "county_user"])
def test_others_find_nothing(client, request, who, campaign, make_meeting, staff):
    meeting = make_meeting(attachments=[SimpleUploadedFile("纪要.pdf", PDF)])
    attachment = meeting.attachments.get()
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("meetings:list", args=[campaign.slug]),
        reverse("meetings:create", args=[campaign.slug]),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:edit", args=[meeting.pk]),
        reverse("meetings:attachment", args=[attachment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert not Meeting.objects.visible_to(request.getfixturevalue(who)).exists()


def test_attachment_refused_by_its_content_stores_nothing(client, staff, campaign, make_meeting):
    meeting = make_meeting()
    disguised = SimpleUploadedFile("会议纪要.pdf", HTML, content_type="application/pdf")
    with pytest.raises(ValidationError):
        actions.add_meeting_attachments(actor=staff, meeting=meeting, uploads=[disguised])
    assert not MeetingAttachment.objects.exists()
    client.force_login(staff)
    response = client.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {
            "kind": meeting.kind_id,
            "title": meeting.title,
            "held_on": "2024-06-12",
            "attachments": [SimpleUploadedFile("会议纪要.pdf", HTML)],
        },
    )
    assert response.status_code == 400
    assert "会议纪要.pdf" in response.content.decode()
    assert not MeetingAttachment.objects.exists()


def test_attachment_is_stored_under_a_random_name_and_downloaded(client, member, make_meeting):
    meeting = make_meeting(attachments=[SimpleUploadedFile("../../纪要 终稿.pdf", PDF)])
    attachment = meeting.attachments.get()
    assert re.fullmatch(r"meetings/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name)
    client.force_login(member)
    response = client.get(reverse("meetings:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
