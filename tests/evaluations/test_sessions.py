"""Opening and closing a session, who sees what, the script contract and query budgets."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.accounts.models import Role
from oversight.evaluations import actions
from oversight.evaluations.models import EvaluationEvent, EvaluationSession, EventKind
from tests.conftest import make_user, org


def open_kwargs(campaign, departments, voters, **overrides):
    return {
        "campaign": campaign,
        "title": "测评",
        "held_on": datetime.date(2024, 11, 15),
        "departments": departments,
        "voters": voters,
        **overrides,
    }


# --- opening ------------------------------------------------------------------------------


def test_staff_open_a_session_and_it_is_recorded(session, staff):
    assert session.is_open
    assert session.counted_choices == ["satisfied", "basically_satisfied"]
    assert (session.satisfied_threshold, session.basic_threshold) == (
        Decimal("0.800"),
        Decimal("0.600"),
    )
    event = EvaluationEvent.objects.get(session=session)
    assert (event.kind, event.actor, event.details) == (
        EventKind.OPENED,
        staff,
        {"departments": 3, "voters": 3},
    )


@pytest.mark.parametrize("who", ["member", "liaison_a", "county_user", "outsider"])
def test_only_the_campaigns_staff_open_a_session(campaign, departments, voters, who, request):
    with pytest.raises(PermissionDenied):
        actions.open_session(
            actor=request.getfixturevalue(who), **open_kwargs(campaign, departments, voters)
        )
    assert not EvaluationSession.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "请填写测评名称"),
        ({"departments": []}, "departments", "请至少选择一个测评部门"),
        ({"voters": []}, "voters", "投票名单不能为空"),
        ({"counted_choices": []}, "counted_choices", "请至少选择一种"),
        ({"counted_choices": ["satisfied", "unsatisfied"]}, "counted_choices", "不能计入"),
        (
            {"satisfied_threshold": Decimal("0.5"), "basic_threshold": Decimal("0.6")},
            "basic_threshold",
            "满意率下限须满足",
        ),
        ({"satisfied_threshold": Decimal("1.2")}, "basic_threshold", "满意率下限须满足"),
    ],
)
def test_a_session_needs_a_sound_rule(
    campaign, staff, departments, voters, overrides, field, message
):
    with pytest.raises(ValidationError) as caught:
        actions.open_session(
            actor=staff, **{**open_kwargs(campaign, departments, voters), **overrides}
        )
    assert message in " ".join(caught.value.message_dict[field])
    assert not EvaluationSession.objects.exists()


def test_departments_are_the_citys_own(campaign, staff, departments, voters):
    hebi = org("410600", "minzheng")
    with pytest.raises(ValidationError, match="不是本级政府部门"):
        actions.open_session(actor=staff, **open_kwargs(campaign, [*departments, hebi], voters))


@pytest.mark.parametrize("who", ["staff", "outsider", "county_user"])
def test_the_roll_holds_only_the_congress_members(
    campaign, staff, departments, voters, who, request
):
    with pytest.raises(ValidationError, match="不能列入投票名单"):
        actions.open_session(
            actor=staff,
            **open_kwargs(campaign, departments, [*voters, request.getfixturevalue(who)]),
        )


def test_opening_through_the_page(client, campaign, staff, departments, voters):
    client.force_login(staff)
    url = reverse("evaluations:new", args=[campaign.slug])
    form = client.get(url).content.decode()
    for voter in voters:
        assert f'value="{voter.pk}"' in form
    data = {
        "title": "市直部门满意度测评",
        "held_on": "2024-11-15",
        "departments": [d.pk for d in departments],
        "voters": [v.pk for v in voters],
        "counted_choices": ["satisfied"],
        "satisfied_threshold": "85",
        "basic_threshold": "60",
    }
    response = client.post(url, data)
    session = EvaluationSession.objects.get()
    assert response["Location"] == reverse("evaluations:detail", args=[session.pk])
    assert session.counted_choices == ["satisfied"]
    assert session.satisfied_threshold == Decimal("0.85")
    assert session.voters.count() == 3


def test_the_page_shows_a_refusal_next_to_the_field(client, campaign, staff, departments, voters):
    client.force_login(staff)
    data = {
        "title": "测评",
        "held_on": "2024-11-15",
        "departments": [d.pk for d in departments],
        "voters": [v.pk for v in voters],
        "counted_choices": ["satisfied"],
        "satisfied_threshold": "50",
        "basic_threshold": "60",
    }
    response = client.post(reverse("evaluations:new", args=[campaign.slug]), data)
    assert response.status_code == 400
    assert "满意率下限须满足" in response.content.decode()
    assert not EvaluationSession.objects.exists()


def test_members_cannot_open_a_session_through_the_page(client, campaign, member):
    client.force_login(member)
    assert client.get(reverse("evaluations:new", args=[campaign.slug])).status_code == 403


# --- closing ------------------------------------------------------------------------------


def test_closing_is_final(session, staff):
    actions.close_session(actor=staff, session=session)
    session.refresh_from_db()
    assert not session.is_open
    with pytest.raises(ValidationError, match="不能重复结束"):
        actions.close_session(actor=staff, session=session)
    assert list(session.events.values_list("kind", flat=True)) == [
        EventKind.OPENED,
        EventKind.CLOSED,
    ]
    assert not hasattr(actions, "reopen_session")


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_the_campaigns_staff_close(session, who, request):
    with pytest.raises(PermissionDenied):
        actions.close_session(actor=request.getfixturevalue(who), session=session)
    session.refresh_from_db()
    assert session.is_open


def test_closing_through_the_page_shows_the_results(client, session, staff, voters, paper):
    actions.cast_ballots(voter=voters[0], session=session, choices=paper("satisfied"))
    client.force_login(staff)
    response = client.post(reverse("evaluations:close", args=[session.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("evaluations:result", args=[session.pk])
    assert page.count('data-testid="result-row"') == 3
    assert "100.0%" in page
    assert "计票规则：满意率 =（满意 + 基本满意）票数 ÷ 有效票数" in page


def test_a_member_cannot_close_through_the_page(client, session, member):
    client.force_login(member)
    response = client.post(reverse("evaluations:close", args=[session.pk]))
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.is_open


# --- who sees what ------------------------------------------------------------------------


def test_visible_to_follows_the_campaign(session, staff, member, liaison_a, county_user, outsider):
    province = make_user("province", org("410000", "congress"), Role.CONGRESS_STAFF)
    visible = EvaluationSession.objects.visible_to
    for user in (staff, member, province):
        assert list(visible(user)) == [session]
    for user in (liaison_a, county_user, outsider):
        assert not visible(user).exists()


@pytest.mark.parametrize("who", ["liaison_a", "county_user", "outsider"])
@pytest.mark.parametrize("page", ["detail", "turnout", "qr", "result", "export", "close"])
def test_pages_are_not_found_outside_scope(client, session, staff, who, page, request):
    actions.close_session(actor=staff, session=session)
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"evaluations:{page}", args=[session.pk])
    response = client.post(url) if page == "close" else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["liaison_a", "county_user", "outsider"])
def test_the_campaigns_list_is_not_found_outside_scope(client, session, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("evaluations:list", args=[session.campaign.slug]))
    assert response.status_code == 404


def test_members_on_the_roll_are_sent_to_vote(client, session, member, off_roll):
    url = reverse("evaluations:detail", args=[session.pk])
    vote = reverse("evaluations:vote", args=[session.pk])
    client.force_login(member)
    assert vote in client.get(url).content.decode()
    client.force_login(off_roll)
    page = client.get(url).content.decode()
    assert f'href="{vote}"' not in page
    assert "结束测评" not in page


def test_the_qr_code_points_at_the_voting_page(client, session, staff):
    client.force_login(staff)
    page = client.get(reverse("evaluations:detail", args=[session.pk])).content.decode()
    qr = reverse("evaluations:qr", args=[session.pk])
    assert f'src="{qr}"' in page
    assert f"http://testserver{reverse('evaluations:vote', args=[session.pk])}" in page
    response = client.get(qr)
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert b"style=" not in response.content


def test_the_campaign_header_links_to_its_evaluations(client, campaign, member):
    client.force_login(member)
    page = client.get(reverse("campaigns:dashboard", args=[campaign.slug])).content.decode()
    assert reverse("evaluations:list", args=[campaign.slug]) in page


# --- query budgets ------------------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code in (200, 286)  # 286: the closed session's last live count
    return len(context.captured_queries)


def test_the_result_page_is_flat_in_the_number_of_ballots(
    client, campaign, staff, departments, voters, paper, reference
):
    congress = org("411700", "congress")
    many = voters + [make_user(f"member_{n}", congress, Role.CONGRESS_MEMBER) for n in range(4, 40)]
    small = actions.open_session(actor=staff, **open_kwargs(campaign, departments, voters))
    large = actions.open_session(actor=staff, **open_kwargs(campaign, departments, many))
    for voter in voters[:1]:
        actions.cast_ballots(voter=voter, session=small, choices=paper("satisfied"))
    for index, voter in enumerate(many):
        choice = ["satisfied", "basically_satisfied", "unsatisfied"][index % 3]
        actions.cast_ballots(voter=voter, session=large, choices=paper(choice))
    for session in (small, large):
        actions.close_session(actor=staff, session=session)
    client.force_login(staff)
    few = queries_for(client, reverse("evaluations:result", args=[small.pk]))
    lots = queries_for(client, reverse("evaluations:result", args=[large.pk]))
    assert few == lots
    assert lots <= 12  # the page itself, plus the session and the navbar's unread count
    for page in ("detail", "turnout"):
        assert queries_for(client, reverse(f"evaluations:{page}", args=[small.pk])) == (
            queries_for(client, reverse(f"evaluations:{page}", args=[large.pk]))
        )


# --- the script contract ------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("evaluation", *args, stdout=out)
    return out.getvalue()


def test_the_json_contract(campaign, session, staff, voters, paper, departments):
    papers = [
        paper("satisfied", "basically_satisfied", "unsatisfied"),
        paper("satisfied", "unsatisfied", "unsatisfied"),
        paper("basically_satisfied", "satisfied", "unsatisfied"),
    ]
    for voter, choices in zip(voters, papers, strict=True):
        actions.cast_ballots(voter=voter, session=session, choices=choices)
    actions.close_session(actor=staff, session=session)
    data = json.loads(run(campaign.slug, "--json"))
    assert data == {
        "sessions": [
            {
                "title": "市直部门整改满意度测评",
                "closed": True,
                "departments": [
                    {
                        "organisation": departments[0].name,
                        "ballots": 3,
                        "satisfied": 2,
                        "basically_satisfied": 1,
                        "unsatisfied": 0,
                        "satisfaction_rate": 1.0,
                        "verdict": "satisfied",
                    },
                    {
                        "organisation": departments[1].name,
                        "ballots": 3,
                        "satisfied": 1,
                        "basically_satisfied": 1,
                        "unsatisfied": 1,
                        "satisfaction_rate": 0.667,
                        "verdict": "basically_satisfied",
                    },
                    {
                        "organisation": departments[2].name,
                        "ballots": 3,
                        "satisfied": 0,
                        "basically_satisfied": 0,
                        "unsatisfied": 3,
                        "satisfaction_rate": 0.0,
                        "verdict": "unsatisfied",
                    },
                ],
            }
        ]
    }
    text = run(campaign.slug)
    assert "满意率 66.7%，基本满意" in text


def test_an_unknown_campaign_names_the_known_ones(campaign):
    with pytest.raises(CommandError, match=f"没有标识为 'nope' 的联动监督。现有：{campaign.slug}"):
        run("nope", "--json")
