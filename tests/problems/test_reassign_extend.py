"""改派 and 延期: legal moves recorded in the history; illegal ones refused, nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oversight.problems import actions
from oversight.problems.actions import InvalidTransition
from oversight.problems.models import EventKind, ExtensionStatus, Problem, Status
from tests.conftest import org
from tests.linking import *  # noqa: F403
from tests.linking import RUNAN, XIPING, deadline


def test_staff_reassign_to_another_department_with_a_reason(staff, liaison_a, make_problem):
    problem = make_problem(Status.IN_PROGRESS)
    actions.reassign(
        actor=staff,
        problem=problem,
        assignee=org("411700", "weijian"),
        reason="属卫健委职责",
        deadline=deadline(60),
    )
    problem.refresh_from_db()
    assert problem.assignment.assignee == org("411700", "weijian")
    assert problem.assignment.deadline == deadline(60)
    assert problem.status == Status.IN_PROGRESS
    event = problem.events.get(kind=EventKind.REASSIGNED)
    assert event.note == "属卫健委职责" and event.actor == staff
    assert "驻马店市民政局" in event.summary and "驻马店市卫生健康委员会" in event.summary
    # The old lead no longer answers for it.
    with pytest.raises(PermissionDenied):
        actions.report_progress(actor=liaison_a, problem=problem, text="仍在整改")


def test_reassign_between_counties_moves_the_linked_problem(
    staff, county_user, sibling_county_user, campaign, make_problem
):
    problem = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"))
    runan_lower = Problem.objects.get(upper=problem)
    actions.reassign(
        actor=staff, problem=problem, assignee=org(XIPING, "congress"), reason="属西平县"
    )
    xiping_lower = Problem.objects.get(upper=problem, campaign__congress=org(XIPING, "congress"))
    assert xiping_lower.status == Status.PENDING
    # 汝南 keeps its history, told of the move; it no longer answers for the problem.
    assert runan_lower.events.filter(kind=EventKind.REASSIGNED).exists()
    with pytest.raises(PermissionDenied):
        actions.report_progress(actor=county_user, problem=problem, text="汝南的进展")
    actions.report_progress(actor=sibling_county_user, problem=problem, text="西平的进展")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (Status.COMPLETED, InvalidTransition),
        (Status.COMPLETION_REQUESTED, InvalidTransition),
        (Status.PENDING, InvalidTransition),
    ],
)
def test_reassign_refused_unless_being_rectified(staff, make_problem, status, error):
    problem = make_problem(status)
    with pytest.raises(error):
        actions.reassign(
            actor=staff, problem=problem, assignee=org("411700", "weijian"), reason="改派"
        )
    assert not problem.events.filter(kind=EventKind.REASSIGNED).exists()


def test_reassign_refusals(staff, member, liaison_a, outsider, make_problem):
    problem = make_problem(Status.ASSIGNED)
    weijian = org("411700", "weijian")
    for user in (member, liaison_a, outsider):
        with pytest.raises(PermissionDenied):
            actions.reassign(actor=user, problem=problem, assignee=weijian, reason="越权")
    with pytest.raises(ValidationError, match="理由"):
        actions.reassign(actor=staff, problem=problem, assignee=weijian, reason="  ")
    with pytest.raises(ValidationError, match="相同"):
        actions.reassign(
            actor=staff, problem=problem, assignee=org("411700", "minzheng"), reason="同一单位"
        )
    with pytest.raises(ValidationError):  # another city's department
        actions.reassign(
            actor=staff, problem=problem, assignee=org("410600", "minzheng"), reason="外市"
        )
    with pytest.raises(ValidationError):
        actions.reassign(
            actor=staff,
            problem=problem,
            assignee=weijian,
            reason="时限",
            deadline=datetime.date(2000, 1, 1),
        )
    problem.refresh_from_db()
    assert problem.assignment.assignee == org("411700", "minzheng")
    assert not problem.events.filter(kind=EventKind.REASSIGNED).exists()


def test_extension_requested_then_granted(staff, liaison_a, make_problem):
    problem = make_problem(Status.IN_PROGRESS)
    old = problem.assignment.deadline
    request = actions.request_extension(
        actor=liaison_a,
        problem=problem,
        deadline=old + datetime.timedelta(days=30),
        reason="需招标",
    )
    assert request.status == ExtensionStatus.PENDING
    with pytest.raises(ValidationError, match="待审批"):
        actions.request_extension(
            actor=liaison_a,
            problem=problem,
            deadline=old + datetime.timedelta(days=60),
            reason="再次申请",
        )
    actions.decide_extension(actor=staff, problem=problem, grant=True)
    problem.refresh_from_db()
    assert problem.assignment.deadline == old + datetime.timedelta(days=30)
    request.refresh_from_db()
    assert request.status == ExtensionStatus.GRANTED and request.decided_by == staff
    kinds = list(problem.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.EXTENSION_REQUESTED, EventKind.EXTENSION_GRANTED]
    assert old.isoformat() in problem.events.get(kind=EventKind.EXTENSION_GRANTED).summary


def test_extension_refused_keeps_the_deadline(staff, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    old = problem.assignment.deadline
    actions.request_extension(
        actor=liaison_a, problem=problem, deadline=old + datetime.timedelta(days=10), reason="忙"
    )
    with pytest.raises(ValidationError, match="理由"):
        actions.decide_extension(actor=staff, problem=problem, grant=False, note="")
    actions.decide_extension(actor=staff, problem=problem, grant=False, note="理由不充分")
    problem.refresh_from_db()
    assert problem.assignment.deadline == old
    assert problem.events.get(kind=EventKind.EXTENSION_REFUSED).note == "理由不充分"
    with pytest.raises(ValidationError, match="没有待审批"):
        actions.decide_extension(actor=staff, problem=problem, grant=True)


def test_extension_refusals(staff, liaison_a, liaison_b, make_problem):
    problem = make_problem(Status.IN_PROGRESS)
    old = problem.assignment.deadline
    with pytest.raises(ValidationError, match="晚于"):
        actions.request_extension(
            actor=liaison_a, problem=problem, deadline=old - datetime.timedelta(days=1), reason="x"
        )
    with pytest.raises(ValidationError, match="晚于"):
        actions.request_extension(actor=liaison_a, problem=problem, deadline=old, reason="x")
    with pytest.raises(PermissionDenied):  # only the assignee asks
        actions.request_extension(
            actor=liaison_b, problem=problem, deadline=old + datetime.timedelta(days=9), reason="x"
        )
    with pytest.raises(PermissionDenied):  # the assigning congress does not ask itself
        actions.request_extension(
            actor=staff, problem=problem, deadline=old + datetime.timedelta(days=9), reason="x"
        )
    actions.request_extension(
        actor=liaison_a, problem=problem, deadline=old + datetime.timedelta(days=9), reason="x"
    )
    with pytest.raises(PermissionDenied):  # the assignee does not grant itself
        actions.decide_extension(actor=liaison_a, problem=problem, grant=True)
    with pytest.raises(ValidationError, match="延期申请"):  # decide it first
        actions.reassign(
            actor=staff, problem=problem, assignee=org("411700", "weijian"), reason="改派"
        )
    done = make_problem(Status.COMPLETED, title="已办结")
    with pytest.raises(InvalidTransition):
        actions.request_extension(
            actor=liaison_a,
            problem=done,
            deadline=done.assignment.deadline + datetime.timedelta(days=9),
            reason="x",
        )


def test_county_congress_asks_the_city_for_an_extension(staff, county_user, make_problem):
    problem = make_problem(Status.ASSIGNED, assignee=org(RUNAN, "congress"))
    later = problem.assignment.deadline + datetime.timedelta(days=15)
    actions.request_extension(
        actor=county_user, problem=problem, deadline=later, reason="需县政府研究"
    )
    actions.decide_extension(actor=staff, problem=problem, grant=True, note="同意")
    problem.refresh_from_db()
    assert problem.assignment.deadline == later


def test_extension_and_reassign_through_the_pages(client, staff, liaison_a, make_problem):
    problem = make_problem(Status.IN_PROGRESS)
    url = reverse("problems:detail", args=[problem.pk])
    client.force_login(liaison_a)
    page = client.get(url).content.decode()
    assert 'data-testid="extend-form"' in page and 'data-testid="reassign-form"' not in page
    earlier = client.post(
        reverse("problems:extend", args=[problem.pk]), {"deadline": "2000-01-01", "reason": "x"}
    )
    assert earlier.status_code == 400 and "须晚于原时限" in earlier.content.decode()
    later = problem.assignment.deadline + datetime.timedelta(days=20)
    response = client.post(
        reverse("problems:extend", args=[problem.pk]),
        {"deadline": later.isoformat(), "reason": "需财政资金"},
    )
    assert response.status_code == 302
    assert 'data-testid="pending-extension"' in client.get(url).content.decode()
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert 'data-testid="decide-form"' in page and 'data-testid="reassign-form"' in page
    response = client.post(
        reverse("problems:decide", args=[problem.pk]), {"decision": "grant", "note": ""}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("problems:reassign", args=[problem.pk]),
        {"assignee": org("411700", "weijian").pk, "reason": "职责调整"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.assignment.assignee == org("411700", "weijian")
    assert problem.assignment.deadline == later
    timeline = client.get(url).content.decode()
    for label in ("申请延期", "同意延期", "改派"):
        assert label in timeline
