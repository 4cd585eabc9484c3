"""Members vote once, on every department of the session, while it is open; every refusal
says why in Chinese and stores nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oversight.evaluations import actions
from oversight.evaluations.models import Ballot, Choice, Participation
from tests.conftest import PASSWORD, org


def nothing_stored(session):
    return not Ballot.objects.filter(session=session).exists() and not (
        Participation.objects.filter(session=session).exists()
    )


def form_data(departments, choice="satisfied"):
    return {f"d{department.pk}": choice for department in departments}


def test_a_member_on_the_roll_votes_on_every_department(session, member, paper, departments):
    stored = actions.cast_ballots(voter=member, session=session, choices=paper("satisfied"))
    assert stored == 3
    assert Ballot.objects.filter(session=session, choice="satisfied").count() == 3
    assert set(
        Participation.objects.filter(session=session, voter=member).values_list(
            "department", flat=True
        )
    ) == {d.pk for d in departments}


def test_it_refuses_a_member_not_on_the_roll(session, off_roll, paper):
    with pytest.raises(PermissionDenied, match="不在本次测评的投票名单中"):
        actions.cast_ballots(voter=off_roll, session=session, choices=paper("satisfied"))
    assert nothing_stored(session)


@pytest.mark.parametrize("who", ["staff", "liaison_a", "outsider", "county_user"])
def test_it_refuses_anyone_who_is_not_a_committee_member(session, paper, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="只有常委会组成人员可以参加满意度测评"):
        actions.cast_ballots(voter=user, session=session, choices=paper("satisfied"))
    assert nothing_stored(session)


def test_it_refuses_a_second_vote(session, member, paper):
    actions.cast_ballots(voter=member, session=session, choices=paper("satisfied"))
    with pytest.raises(ValidationError, match="您已投过票"):
        actions.cast_ballots(voter=member, session=session, choices=paper("unsatisfied"))
    assert Ballot.objects.filter(session=session).count() == 3
    assert not Ballot.objects.filter(session=session, choice="unsatisfied").exists()
    assert Participation.objects.filter(session=session).count() == 3


def test_it_refuses_a_vote_after_closing(session, staff, member, paper):
    actions.close_session(actor=staff, session=session)
    with pytest.raises(ValidationError, match="本次测评已结束"):
        actions.cast_ballots(voter=member, session=session, choices=paper("satisfied"))
    assert nothing_stored(session)


def test_it_refuses_a_department_not_in_the_session(session, member, paper):
    choices = {**paper("satisfied"), org("411700", "yibao").pk: "satisfied"}
    with pytest.raises(ValidationError, match="不在本次测评范围内"):
        actions.cast_ballots(voter=member, session=session, choices=choices)
    assert nothing_stored(session)


def test_it_refuses_an_incomplete_paper(session, member, departments):
    with pytest.raises(ValidationError, match="请对每个测评部门作出评价"):
        actions.cast_ballots(
            voter=member, session=session, choices={departments[0].pk: "satisfied"}
        )
    assert nothing_stored(session)


def test_it_refuses_an_unknown_choice(session, member, paper):
    with pytest.raises(ValidationError, match="评价只能是"):
        actions.cast_ballots(
            voter=member, session=session, choices=paper("satisfied", "great", "satisfied")
        )
    assert nothing_stored(session)


# --- through the phone page ---------------------------------------------------------------


def test_the_page_lists_every_department_with_three_choices(client, session, member):
    client.force_login(member)
    response = client.get(reverse("evaluations:vote", args=[session.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for department in session.departments.all():
        assert department.name in page
        for choice in Choice:
            assert f'name="d{department.pk}" value="{choice.value}"' in page


def test_voting_through_the_page(client, session, member, departments):
    client.force_login(member)
    url = reverse("evaluations:vote", args=[session.pk])
    response = client.post(url, form_data(departments, "basically_satisfied"), follow=True)
    assert "投票成功" in response.content.decode()
    assert "您已完成投票" in response.content.decode()
    assert Ballot.objects.filter(session=session, choice="basically_satisfied").count() == 3


def test_the_page_refuses_a_second_vote(client, session, member, departments):
    client.force_login(member)
    url = reverse("evaluations:vote", args=[session.pk])
    client.post(url, form_data(departments))
    response = client.post(url, form_data(departments, "unsatisfied"))
    assert response.status_code == 400
    assert "您已投过票，每位委员只能投票一次" in response.content.decode()
    assert not Ballot.objects.filter(choice="unsatisfied").exists()


def test_the_page_refuses_a_member_not_on_the_roll(client, session, off_roll, departments):
    client.force_login(off_roll)
    url = reverse("evaluations:vote", args=[session.pk])
    assert "不在本次测评的投票名单中" in client.get(url).content.decode()
    response = client.post(url, form_data(departments))
    assert response.status_code == 403
    assert "不在本次测评的投票名单中" in response.content.decode()
    assert nothing_stored(session)


def test_the_page_refuses_staff_who_are_not_members(client, session, staff, departments):
    client.force_login(staff)
    response = client.post(reverse("evaluations:vote", args=[session.pk]), form_data(departments))
    assert response.status_code == 403
    assert "只有常委会组成人员可以参加满意度测评" in response.content.decode()
    assert nothing_stored(session)


def test_the_page_refuses_after_closing(client, session, staff, member, departments):
    actions.close_session(actor=staff, session=session)
    client.force_login(member)
    url = reverse("evaluations:vote", args=[session.pk])
    assert "本次测评已结束" in client.get(url).content.decode()
    response = client.post(url, form_data(departments))
    assert response.status_code == 400
    assert "本次测评已结束" in response.content.decode()
    assert nothing_stored(session)


def test_the_page_refuses_a_forged_department(client, session, member, departments):
    client.force_login(member)
    data = {**form_data(departments), f"d{org('411700', 'yibao').pk}": "unsatisfied"}
    response = client.post(reverse("evaluations:vote", args=[session.pk]), data)
    assert response.status_code == 400
    assert "不在本次测评范围内" in response.content.decode()
    assert nothing_stored(session)


def test_the_page_asks_for_every_department(client, session, member, departments):
    client.force_login(member)
    data = form_data(departments[:2])
    response = client.post(reverse("evaluations:vote", args=[session.pk]), data)
    assert response.status_code == 400
    assert f"请选择对{departments[2].name}的评价" in response.content.decode()
    assert nothing_stored(session)


@pytest.mark.parametrize("who", ["liaison_a", "outsider", "county_user"])
def test_the_page_is_not_found_outside_the_campaigns_scope(client, session, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("evaluations:vote", args=[session.pk]), {})
    assert response.status_code == 404
    assert nothing_stored(session)


def test_the_qr_target_asks_for_sign_in_and_comes_back(client, session, member):
    url = reverse("evaluations:vote", args=[session.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(
        response["Location"], {"username": member.username, "password": PASSWORD}
    )
    assert response["Location"] == url


def test_voting_is_rate_limited(client, session, member):
    client.force_login(member)
    url = reverse("evaluations:vote", args=[session.pk])
    statuses = [client.post(url, {}).status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
