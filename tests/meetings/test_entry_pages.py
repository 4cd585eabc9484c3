"""The staff's pages to enter an inquiry (session, respondents, questions and answers) and an
opinion (the opinion, its items): through the page, refused with nothing stored, and refused
to everyone across the line."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.meetings import actions
from oversight.meetings.models import (
    InquirySession,
    ItemStatus,
    Opinion,
    OpinionItem,
    Question,
    Respondent,
)
from tests.conftest import org

pytestmark = pytest.mark.django_db

SHOWN_TO_STAFF_ONLY = ("member", "liaison_a", "outsider", "county_user")


@pytest.fixture
def inquiry_meeting(make_meeting):
    return make_meeting("special-inquiry", "专题询问会")


@pytest.fixture
def session(campaign, staff, inquiry_meeting):
    return actions.create_inquiry(
        actor=staff,
        campaign=campaign,
        title="养老服务专题询问",
        held_on=datetime.date(2024, 6, 27),
        meeting=inquiry_meeting,
    )


@pytest.fixture
def respondent(session, staff):
    return actions.add_respondent(
        actor=staff,
        session=session,
        name="张某",
        title="局长",
        organisation=org("411700", "minzheng"),
    )


@pytest.fixture
def question(session, staff, member):
    return actions.ask_question(
        actor=staff,
        session=session,
        organisation=org("411700", "minzheng"),
        asker=member,
        subject="街道养老服务中心建成未运营",
        text="如何提高运营率？",
    )


def future(days=30):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- inquiry session ----------------------------------------------------------------------


def test_staff_creates_a_session_from_the_inquiry_meeting(client, staff, campaign, inquiry_meeting):
    client.force_login(staff)
    detail = client.get(reverse("meetings:detail", args=[inquiry_meeting.pk])).content.decode()
    link = reverse("meetings:inquiry_create", args=[campaign.slug])
    assert f"{link}?meeting={inquiry_meeting.pk}" in detail
    assert link in client.get(reverse("meetings:list", args=[campaign.slug])).content.decode()
    form = client.get(link, {"meeting": inquiry_meeting.pk})
    assert form.status_code == 200
    assert f'<option value="{inquiry_meeting.pk}" selected>' in form.content.decode()
    response = client.post(
        link, {"title": "养老服务专题询问", "held_on": "2024-06-27", "meeting": inquiry_meeting.pk}
    )
    session = InquirySession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:inquiry", args=[session.pk])
    assert (session.campaign, session.meeting) == (campaign, inquiry_meeting)


def test_session_form_refuses_another_kind_of_meeting_and_a_missing_title(
    client, staff, campaign, make_meeting
):
    chair = make_meeting("chair", "主任会议")
    client.force_login(staff)
    url = reverse("meetings:inquiry_create", args=[campaign.slug])
    response = client.post(url, {"title": "  ", "held_on": "2024-06-27", "meeting": chair.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "这个字段是必填项" in page  # the title
    assert "该选择不在可用的选项中" in page  # a meeting not of the 专题询问会 kind
    assert not InquirySession.objects.exists()


@pytest.mark.parametrize("who", SHOWN_TO_STAFF_ONLY)
def test_others_cannot_create_a_session(client, request, who, campaign, make_meeting):
    make_meeting("special-inquiry", "专题询问会")
    client.force_login(request.getfixturevalue(who))
    url = reverse("meetings:inquiry_create", args=[campaign.slug])
    expected = 403 if who == "member" else 404
    assert client.get(url).status_code == expected
    assert client.post(url, {"title": "越权", "held_on": "2024-06-27"}).status_code == expected
    if who == "member":
        listing = client.get(reverse("meetings:list", args=[campaign.slug])).content.decode()
        assert url not in listing
    assert not InquirySession.objects.exists()


# --- respondents --------------------------------------------------------------------------


def test_staff_adds_a_respondent(client, staff, session):
    client.force_login(staff)
    url = reverse("meetings:respondent_add", args=[session.pk])
    assert url in client.get(reverse("meetings:inquiry", args=[session.pk])).content.decode()
    response = client.post(
        url, {"organisation": org("411700", "minzheng").pk, "title": "局长", "name": "张某"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:inquiry", args=[session.pk])
    person = Respondent.objects.get()
    assert (person.session, person.name, person.title) == (session, "张某", "局长")


def test_a_second_respondent_of_one_department_is_refused(client, staff, session, respondent):
    client.force_login(staff)
    response = client.post(
        reverse("meetings:respondent_add", args=[session.pk]),
        {"organisation": org("411700", "minzheng").pk, "title": "副局长", "name": "李某"},
    )
    assert response.status_code == 400
    assert "该单位已登记应询人" in response.content.decode()
    assert list(Respondent.objects.all()) == [respondent]


def test_a_department_of_another_city_is_not_offered(client, staff, session):
    client.force_login(staff)
    response = client.post(
        reverse("meetings:respondent_add", args=[session.pk]),
        {"organisation": org("410600", "minzheng").pk, "title": "局长", "name": "王某"},
    )
    assert response.status_code == 400
    assert not Respondent.objects.exists()


@pytest.mark.parametrize("who", SHOWN_TO_STAFF_ONLY)
def test_others_cannot_add_respondents(client, request, who, session):
    client.force_login(request.getfixturevalue(who))
    url = reverse("meetings:respondent_add", args=[session.pk])
    expected = 403 if who == "member" else 404
    data = {"organisation": org("411700", "minzheng").pk, "title": "局长", "name": "张某"}
    assert client.get(url).status_code == expected
    assert client.post(url, data).status_code == expected
    if who == "member":
        assert (
            url not in client.get(reverse("meetings:inquiry", args=[session.pk])).content.decode()
        )
    assert not Respondent.objects.exists()


# --- questions and answers ----------------------------------------------------------------


def test_staff_records_a_question_with_its_answer_and_problems(
    client, staff, member, session, respondent, make_problem
):
    problem = make_problem(title="街道养老服务中心运营率低")
    client.force_login(staff)
    url = reverse("meetings:question_add", args=[session.pk])
    assert url in client.get(reverse("meetings:inquiry", args=[session.pk])).content.decode()
    response = client.post(
        url,
        {
            "asker": member.pk,
            "organisation": org("411700", "minzheng").pk,
            "subject": "街道养老服务中心建成未运营",
            "text": "如何提高运营率？",
            "answered_by": respondent.pk,
            "answer": "年内运营率提高到90%以上。",
            "problems": [problem.pk],
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#question-{question.pk}")
    assert (question.number, question.asker, question.asker_name) == (1, member, "member")
    assert question.answered_by == respondent and question.answer == "年内运营率提高到90%以上。"
    assert list(question.problems.all()) == [problem]
    page = client.get(reverse("meetings:inquiry", args=[session.pk])).content.decode()
    assert "年内运营率提高到90%以上" in page and problem.title in page


def test_question_asker_must_be_a_member_of_the_congress(client, staff, session, liaison_a):
    client.force_login(staff)
    data = {
        "organisation": org("411700", "minzheng").pk,
        "subject": "要点",
        "text": "内容",
    }
    url = reverse("meetings:question_add", args=[session.pk])
    for asker in (staff, liaison_a):
        response = client.post(url, {**data, "asker": asker.pk})
        assert response.status_code == 400
    nameless = client.post(url, data)
    assert nameless.status_code == 400
    assert "请填写询问人" in nameless.content.decode()
    assert not Question.objects.exists()


def test_staff_records_the_answer_later_and_keeps_the_converted_problem(
    client, staff, session, question, respondent, make_problem
):
    converted = actions.question_to_problem(actor=staff, question=question)
    other = make_problem(title="另一个问题")
    client.force_login(staff)
    url = reverse("meetings:question_edit", args=[question.pk])
    assert url in client.get(reverse("meetings:inquiry", args=[session.pk])).content.decode()
    form = client.get(url)
    assert form.status_code == 200
    assert "如何提高运营率" in form.content.decode()
    response = client.post(
        url,
        {
            "asker": question.asker_id,
            "asker_name": question.asker_name,
            "organisation": question.organisation_id,
            "subject": question.subject,
            "text": question.text,
            "answered_by": respondent.pk,
            "answer": "引入专业机构运营。",
            "problems": [other.pk],
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "引入专业机构运营。" and question.answered_by == respondent
    assert set(question.problems.all()) == {converted, other}
    assert question.number == 1 and question.problem == converted


def test_answer_by_a_respondent_of_another_session_is_refused(
    client, staff, campaign, session, question
):
    other = actions.create_inquiry(
        actor=staff, campaign=campaign, title="另一次询问", held_on=datetime.date(2024, 7, 1)
    )
    stranger = actions.add_respondent(
        actor=staff,
        session=other,
        name="李某",
        title="局长",
        organisation=org("411700", "minzheng"),
    )
    client.force_login(staff)
    response = client.post(
        reverse("meetings:question_edit", args=[question.pk]),
        {
            "asker_name": "委员",
            "organisation": question.organisation_id,
            "subject": question.subject,
            "text": question.text,
            "answered_by": stranger.pk,
            "answer": "答复",
        },
    )
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.answer == "" and question.answered_by is None


@pytest.mark.parametrize("who", SHOWN_TO_STAFF_ONLY)
def test_others_cannot_ask_or_answer(client, request, who, session, question):
    client.force_login(request.getfixturevalue(who))
    expected = 403 if who == "member" else 404
    data = {
        "asker_name": "越权",
        "organisation": org("411700", "minzheng").pk,
        "subject": "越权",
        "text": "越权",
        "answer": "越权答复",
    }
    for url in (
        reverse("meetings:question_add", args=[session.pk]),
        reverse("meetings:question_edit", args=[question.pk]),
    ):
        assert client.get(url).status_code == expected, url
        assert client.post(url, data).status_code == expected, url
    if who == "member":
        page = client.get(reverse("meetings:inquiry", args=[session.pk])).content.decode()
        assert reverse("meetings:question_edit", args=[question.pk]) not in page
    question.refresh_from_db()
    assert Question.objects.count() == 1 and question.answer == ""


# --- opinions and items -------------------------------------------------------------------


def test_staff_creates_an_opinion(client, staff, campaign, make_meeting):
    meeting = make_meeting("standing-committee", "常委会会议")
    client.force_login(staff)
    url = reverse("meetings:opinion_create", args=[campaign.slug])
    assert url in client.get(reverse("meetings:opinions", args=[campaign.slug])).content.decode()
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f"{url}?meeting={meeting.pk}" in detail
    response = client.post(
        url,
        {
            "title": "关于养老服务工作情况报告的审议意见",
            "adopted_on": "2024-07-05",
            "sent_on": "2024-07-10",
            "meeting": meeting.pk,
            "preamble": "总体意见",
        },
    )
    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:opinion", args=[opinion.pk])
    assert (opinion.meeting, opinion.sent_on) == (meeting, datetime.date(2024, 7, 10))


def test_opinion_sent_before_adopted_is_refused(client, staff, campaign):
    client.force_login(staff)
    response = client.post(
        reverse("meetings:opinion_create", args=[campaign.slug]),
        {"title": "审议意见", "adopted_on": "2024-07-05", "sent_on": "2024-07-01"},
    )
    assert response.status_code == 400
    assert "交市政府日期不能早于通过日期" in response.content.decode()
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("who", SHOWN_TO_STAFF_ONLY)
def test_others_cannot_create_an_opinion(client, request, who, campaign):
    client.force_login(request.getfixturevalue(who))
    url = reverse("meetings:opinion_create", args=[campaign.slug])
    expected = 403 if who == "member" else 404
    assert client.get(url).status_code == expected
    data = {"title": "越权", "adopted_on": "2024-07-05"}
    assert client.post(url, data).status_code == expected
    if who == "member":
        listing = client.get(reverse("meetings:opinions", args=[campaign.slug])).content.decode()
        assert url not in listing
    assert not Opinion.objects.exists()


def test_staff_adds_numbered_items(client, staff, opinion, make_problem):
    problem = make_problem()
    client.force_login(staff)
    url = reverse("meetings:item_add", args=[opinion.pk])
    assert url in client.get(reverse("meetings:opinion", args=[opinion.pk])).content.decode()
    for code, text in (("minzheng", "发布基本养老服务清单"), ("weijian", "推进医养结合")):
        response = client.post(
            url,
            {
                "text": text,
                "responsible": org("411700", code).pk,
                "deadline": future(),
                "problems": [problem.pk],
            },
        )
        assert response.status_code == 302
    first, second = OpinionItem.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert second.responsible == org("411700", "weijian")
    assert first.status == ItemStatus.OPEN and list(first.problems.all()) == [problem]
    assert list(first.events.values_list("kind", flat=True)) == ["created"]


def test_item_for_the_congress_itself_or_before_adoption_is_refused(client, staff, opinion):
    client.force_login(staff)
    url = reverse("meetings:item_add", args=[opinion.pk])
    congress = client.post(
        url, {"text": "x", "responsible": org("411700", "congress").pk, "deadline": future()}
    )
    assert congress.status_code == 400
    early = client.post(
        url,
        {"text": "x", "responsible": org("411700", "minzheng").pk, "deadline": "2024-07-01"},
    )
    assert early.status_code == 400
    assert "办理时限不能早于审议意见通过日期" in early.content.decode()
    assert not OpinionItem.objects.exists()


@pytest.mark.parametrize("who", SHOWN_TO_STAFF_ONLY)
def test_others_cannot_add_items(client, request, who, opinion, item_a):
    client.force_login(request.getfixturevalue(who))
    url = reverse("meetings:item_add", args=[opinion.pk])
    # liaison_a sees the opinion (it holds an item of hers) but may not add to it.
    expected = 403 if who in ("member", "liaison_a") else 404
    data = {"text": "越权", "responsible": org("411700", "minzheng").pk, "deadline": future()}
    assert client.get(url).status_code == expected
    assert client.post(url, data).status_code == expected
    if expected == 403:
        assert (
            url not in client.get(reverse("meetings:opinion", args=[opinion.pk])).content.decode()
        )
    assert list(OpinionItem.objects.all()) == [item_a]


def test_staff_edits_an_item_and_history_records_it(client, staff, item_a, make_problem):
    problem = make_problem()
    client.force_login(staff)
    url = reverse("meetings:item_edit", args=[item_a.pk])
    assert url in client.get(reverse("meetings:item", args=[item_a.pk])).content.decode()
    response = client.post(
        url,
        {
            "text": "发布并公开基本养老服务清单",
            "responsible": item_a.responsible_id,
            "deadline": future(60),
            "problems": [problem.pk],
        },
    )
    assert response.status_code == 302
    item_a.refresh_from_db()
    assert item_a.text == "发布并公开基本养老服务清单" and item_a.number == 1
    assert list(item_a.problems.all()) == [problem]
    event = item_a.events.get(kind="updated")
    assert event.actor == staff and "意见内容" in event.note and "办理时限" in event.note


def test_answered_item_keeps_its_responsible_and_closed_item_is_not_edited(
    client, staff, liaison_a, item_a
):
    actions.answer_item(actor=liaison_a, item=item_a, text="已发布清单")
    client.force_login(staff)
    url = reverse("meetings:item_edit", args=[item_a.pk])
    data = {
        "text": item_a.text,
        "responsible": org("411700", "weijian").pk,
        "deadline": item_a.deadline.isoformat(),
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "不能更换责任单位" in refused.content.decode()
    item_a.refresh_from_db()
    assert item_a.responsible == org("411700", "minzheng")
    assert not item_a.events.filter(kind="updated").exists()
    actions.close_item(actor=staff, item=item_a)
    assert url not in client.get(reverse("meetings:item", args=[item_a.pk])).content.decode()
    assert client.post(url, {**data, "responsible": item_a.responsible_id}).status_code == 302
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.CLOSED
    assert not item_a.events.filter(kind="updated").exists()


@pytest.mark.parametrize("who", ("member", "liaison_a", "liaison_b", "outsider", "county_user"))
def test_others_cannot_edit_items(client, request, who, item_a):
    client.force_login(request.getfixturevalue(who))
    url = reverse("meetings:item_edit", args=[item_a.pk])
    expected = 403 if who in ("member", "liaison_a") else 404
    data = {"text": "越权", "responsible": item_a.responsible_id, "deadline": future()}
    assert client.get(url).status_code == expected
    assert client.post(url, data).status_code == expected
    if expected == 403:
        assert url not in client.get(reverse("meetings:item", args=[item_a.pk])).content.decode()
    item_a.refresh_from_db()
    assert item_a.text == "发布基本养老服务清单"


def test_review_page_is_offered_to_staff_only(client, staff, member, liaison_a, item_a):
    """Closing and returning already have their page (the item's review form)."""
    actions.answer_item(actor=liaison_a, item=item_a, text="已办理")
    review = reverse("meetings:review", args=[item_a.pk])
    client.force_login(staff)
    assert review in client.get(reverse("meetings:item", args=[item_a.pk])).content.decode()
    client.force_login(liaison_a)
    assert review not in client.get(reverse("meetings:item", args=[item_a.pk])).content.decode()
    assert client.post(review, {"decision": "close"}).status_code == 403
    item_a.refresh_from_db()
    assert item_a.status == ItemStatus.ANSWERED
