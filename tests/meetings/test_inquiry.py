"""Special inquiry: a question becomes a problem through the normal intake, once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oversight.meetings import actions
from oversight.meetings.models import InquirySession, Question
from oversight.problems.models import Channel, Problem, RawReport, Status
from tests.conftest import org

from .conftest import kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(campaign, staff, make_meeting):
    meeting = make_meeting("special-inquiry", "专题询问会")
    return actions.create_inquiry(
        actor=staff,
        campaign=campaign,
        title="养老服务专题询问",
        held_on=datetime.date(2024, 6, 27),
        meeting=meeting,
    )


@pytest.fixture
def question(session, staff, member):
    head = actions.add_respondent(
        actor=staff,
        session=session,
        name="张某",
        title="局长",
        organisation=org("411700", "minzheng"),
    )
    return actions.ask_question(
        actor=staff,
        session=session,
        organisation=org("411700", "minzheng"),
        asker=member,
        subject="街道养老服务中心建成未运营",
        text="部分街道综合养老服务中心建成后长期未运营，如何提高运营率？",
        answer="引入专业机构运营，年内运营率提高到90%以上。",
        answered_by=head,
    )


def test_session_belongs_only_to_a_special_inquiry_meeting(campaign, staff, make_meeting):
    chair = make_meeting("chair", "主任会议")
    with pytest.raises(ValidationError) as refused:
        actions.create_inquiry(
            actor=staff, campaign=campaign, title="询问", held_on=chair.held_on, meeting=chair
        )
    assert "meeting" in refused.value.error_dict
    assert not InquirySession.objects.exists()


def test_one_respondent_per_department(session, staff):
    minzheng = org("411700", "minzheng")
    actions.add_respondent(
        actor=staff, session=session, name="张某", title="局长", organisation=minzheng
    )
    with pytest.raises(ValidationError):
        actions.add_respondent(
            actor=staff, session=session, name="李某", title="副局长", organisation=minzheng
        )
    assert session.respondents.count() == 1


def test_question_becomes_a_problem_through_the_intake(client, staff, campaign, question):
    problem = actions.question_to_problem(actor=staff, question=question)
    question.refresh_from_db()
    assert question.problem == problem
    assert question.converted_by == staff and question.converted_at is not None
    assert problem.title == "街道养老服务中心建成未运营"
    assert problem.status == Status.PENDING
    report = RawReport.objects.get(problem=problem)
    assert report.channel == Channel.INSPECTION
    assert report.received_on == datetime.date(2024, 6, 27)
    assert "如何提高运营率" in report.text and "引入专业机构运营" in report.text
    assert list(problem.events.values_list("kind", flat=True)) == ["created", "merged"]
    client.force_login(staff)
    listing = client.get(reverse("problems:list", args=[campaign.slug]))
    assert "街道养老服务中心建成未运营" in listing.content.decode()
    page = client.get(reverse("meetings:inquiry", args=[question.session_id]))
    assert reverse("problems:detail", args=[problem.pk]) in page.content.decode()


def test_second_conversion_is_refused(staff, question):
    actions.question_to_problem(actor=staff, question=question)
    with pytest.raises(ValidationError) as refused:
        actions.question_to_problem(actor=staff, question=question)
    assert refused.value.code == "already_converted"
    assert Problem.objects.count() == 1
    assert RawReport.objects.count() == 1


def test_conversion_through_the_page_and_twice(client, staff, question):
    client.force_login(staff)
    url = reverse("meetings:question_to_problem", args=[question.pk])
    first = client.post(url, {"title": "街道中心运营率低", "kind": "common"})
    problem = Problem.objects.get()
    assert first.status_code == 302
    assert first["Location"] == reverse("problems:detail", args=[problem.pk])
    assert problem.title == "街道中心运营率低"
    second = client.post(url, {"title": "", "kind": "common"})
    assert second.status_code == 400
    assert "不能重复转为问题" in second.content.decode()
    assert Problem.objects.count() == 1


def test_member_may_read_but_not_convert(client, member, question):
    client.force_login(member)
    page = client.get(reverse("meetings:inquiry", args=[question.session_id]))
    assert page.status_code == 200
    assert "如何提高运营率" in page.content.decode()
    assert reverse("meetings:question_to_problem", args=[question.pk]) not in page.content.decode()
    response = client.post(
        reverse("meetings:question_to_problem", args=[question.pk]), {"kind": "common"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        actions.question_to_problem(actor=member, question=question)
    assert not Problem.objects.exists()
    assert Question.objects.get().problem is None


@pytest.mark.parametrize("who", ["outsider", "liaison_a"])
def test_others_find_no_inquiry(client, request, who, question):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("meetings:inquiry", args=[question.session_id])).status_code == 404
    url = reverse("meetings:question_to_problem", args=[question.pk])
    assert client.post(url, {"kind": "common"}).status_code == 404
    assert not Problem.objects.exists()


def test_kind_must_be_the_topics(campaign):
    assert kind(campaign, "special-inquiry").name == "专题询问会"
