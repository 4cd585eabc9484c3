"""Every status move, legal and illegal, through the actions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from oversight.problems import actions
from oversight.problems.actions import TRANSITIONS, InvalidTransition
from oversight.problems.models import EventKind, Problem, RectificationType, Status
from tests.conftest import org

IN_30_DAYS = timezone.localdate() + datetime.timedelta(days=30)


def statuses(problem: Problem) -> list[tuple[str, str]]:
    return list(problem.events.exclude(to_status="").values_list("from_status", "to_status"))


def test_the_whole_loop_moves_through_every_status(make_problem, staff, liaison_a):
    problem = make_problem(Status.PENDING)
    assert problem.status == Status.PENDING

    actions.assign(
        actor=staff, problem=problem, assignee=org("411700", "minzheng"), deadline=IN_30_DAYS
    )
    assert Problem.objects.get(pk=problem.pk).status == Status.ASSIGNED

    actions.report_progress(
        actor=liaison_a,
        problem=problem,
        text="已完成摸排",
        rectification_type=RectificationType.IMMEDIATE,
    )
    problem.refresh_from_db()
    assert problem.status == Status.IN_PROGRESS
    assert problem.rectification_type == RectificationType.IMMEDIATE

    actions.report_progress(actor=liaison_a, problem=problem, text="第二次报送")
    assert Problem.objects.get(pk=problem.pk).status == Status.IN_PROGRESS

    actions.claim_completion(
        actor=liaison_a, problem=problem, text="整改完成"
    )  # classified at the first report
    assert Problem.objects.get(pk=problem.pk).status == Status.COMPLETION_REQUESTED

    actions.return_for_rectification(actor=staff, problem=problem, reason="佐证材料不全")
    assert Problem.objects.get(pk=problem.pk).status == Status.IN_PROGRESS

    actions.claim_completion(actor=liaison_a, problem=problem, text="补充材料")
    actions.accept_completion(actor=staff, problem=problem)
    problem.refresh_from_db()
    assert problem.status == Status.COMPLETED
    assert problem.completed_at is not None
    assert statuses(problem) == [
        ("", Status.PENDING),
        (Status.PENDING, Status.ASSIGNED),
        (Status.ASSIGNED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.COMPLETION_REQUESTED),
        (Status.COMPLETION_REQUESTED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.COMPLETION_REQUESTED),
        (Status.COMPLETION_REQUESTED, Status.COMPLETED),
    ]
    returned = problem.events.get(kind=EventKind.RETURNED)
    assert returned.note == "佐证材料不全" and returned.actor == staff


def test_claim_straight_from_assigned_passes_through_in_progress(make_problem, liaison_a):
    problem = make_problem(Status.ASSIGNED)
    actions.claim_completion(
        actor=liaison_a,
        problem=problem,
        text="立行立改，已完成",
        rectification_type=RectificationType.IMMEDIATE,
    )
    assert statuses(problem)[-2:] == [
        (Status.ASSIGNED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.COMPLETION_REQUESTED),
    ]


def test_claim_needs_a_rectification_type(make_problem, liaison_a):
    problem = make_problem(Status.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        actions.claim_completion(actor=liaison_a, problem=problem, text="完成")
    assert "申请办结时请选择整改类型" in str(error.value)
    assert Problem.objects.get(pk=problem.pk).status == Status.IN_PROGRESS


def test_reclassification_and_evidence_are_kept_in_the_history(make_problem, liaison_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    problem = make_problem(Status.IN_PROGRESS)
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    actions.report_progress(
        actor=liaison_a,
        problem=problem,
        text="转为持续整改",
        rectification_type=RectificationType.ONGOING,
        evidence=[photo],
    )
    event = problem.events.filter(kind=EventKind.PROGRESS).last()
    assert event.details == {"rectification_type": "ongoing", "attachments": ["现场照片.jpg"]}
    assert event.summary == "整改类型：持续整改；佐证材料：现场照片.jpg"


@pytest.mark.parametrize("days", [-400, 1])
def test_report_date_must_lie_between_assignment_and_today(make_problem, liaison_a, days):
    problem = make_problem(Status.ASSIGNED)
    with pytest.raises(ValidationError, match="报送日期须在交办日期"):
        actions.report_progress(
            actor=liaison_a,
            problem=problem,
            text="进展",
            reported_on=timezone.localdate() + datetime.timedelta(days=days),
        )
    assert problem.progress_reports.count() == 0


def test_transition_table_allows_only_the_documented_moves():
    legal = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert legal == {
        (Status.PENDING, Status.ASSIGNED),
        (Status.ASSIGNED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.COMPLETION_REQUESTED),
        (Status.COMPLETION_REQUESTED, Status.COMPLETED),
        (Status.COMPLETION_REQUESTED, Status.IN_PROGRESS),
    }


@pytest.mark.parametrize(
    "status", [Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED, Status.COMPLETED]
)
def test_assigning_twice_is_refused(make_problem, staff, status):
    problem = make_problem(status)
    with pytest.raises(InvalidTransition, match="不能变为“已交办”"):
        actions.assign(
            actor=staff, problem=problem, assignee=org("411700", "weijian"), deadline=IN_30_DAYS
        )
    assert Problem.objects.get(pk=problem.pk).status == status


@pytest.mark.parametrize(
    "status", [Status.PENDING, Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETED]
)
def test_accepting_without_a_claim_is_refused(make_problem, staff, status):
    problem = make_problem(status)
    with pytest.raises(InvalidTransition, match="不能变为“已办结”"):
        actions.accept_completion(actor=staff, problem=problem)
    assert Problem.objects.get(pk=problem.pk).status == status


@pytest.mark.parametrize(
    "status", [Status.PENDING, Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETED]
)
def test_returning_without_a_claim_is_refused(make_problem, staff, status):
    problem = make_problem(status)
    with pytest.raises(InvalidTransition, match="只有申请办结的问题可以退回"):
        actions.return_for_rectification(actor=staff, problem=problem, reason="理由")
    assert Problem.objects.get(pk=problem.pk).status == status


@pytest.mark.parametrize("status", [Status.COMPLETION_REQUESTED, Status.COMPLETED])
def test_progress_after_claim_or_completion_is_refused(make_problem, liaison_a, status):
    problem = make_problem(status)
    with pytest.raises(InvalidTransition, match="不能报送整改进展"):
        actions.report_progress(actor=liaison_a, problem=problem, text="继续整改")
    assert problem.progress_reports.count() == 2  # the fixture's progress report and claim


@pytest.mark.parametrize("status", [Status.COMPLETION_REQUESTED, Status.COMPLETED])
def test_claiming_twice_is_refused(make_problem, liaison_a, status):
    problem = make_problem(status)
    with pytest.raises(InvalidTransition, match="不能变为“申请办结”"):
        actions.claim_completion(actor=liaison_a, problem=problem, text="再次申请")


def test_nothing_but_assignment_moves_a_pending_problem(make_problem, staff):
    problem = make_problem(Status.PENDING)
    with pytest.raises(InvalidTransition):
        actions.accept_completion(actor=staff, problem=problem)
    with pytest.raises(InvalidTransition):
        actions.return_for_rectification(actor=staff, problem=problem, reason="理由")
    assert Problem.objects.get(pk=problem.pk).status == Status.PENDING


def test_a_pending_problem_has_no_assignee_to_report(make_problem, liaison_a):
    problem = make_problem(Status.PENDING)
    with pytest.raises(PermissionDenied):
        actions.report_progress(actor=liaison_a, problem=problem, text="进展")


def test_return_needs_a_reason(make_problem, staff):
    problem = make_problem(Status.COMPLETION_REQUESTED)
    with pytest.raises(ValidationError) as error:
        actions.return_for_rectification(actor=staff, problem=problem, reason="  ")
    assert "退回时请说明理由" in str(error.value)
    assert Problem.objects.get(pk=problem.pk).status == Status.COMPLETION_REQUESTED


def test_only_the_campaign_congress_staff_may_accept(make_problem, member, liaison_a, outsider):
    problem = make_problem(Status.COMPLETION_REQUESTED)
    for user in (member, liaison_a, outsider):
        with pytest.raises(PermissionDenied):
            actions.accept_completion(actor=user, problem=problem)
    assert Problem.objects.get(pk=problem.pk).status == Status.COMPLETION_REQUESTED


def test_only_the_assignee_may_report(make_problem, liaison_b, staff):
    problem = make_problem(Status.ASSIGNED)  # assigned to 民政局
    for user in (liaison_b, staff):
        with pytest.raises(PermissionDenied):
            actions.report_progress(actor=user, problem=problem, text="越权报送")
    assert problem.progress_reports.count() == 0


def test_county_staff_reports_for_problems_assigned_to_their_congress(make_problem, county_user):
    problem = make_problem(Status.ASSIGNED, assignee=org("411727", "congress"))
    actions.claim_completion(
        actor=county_user,
        problem=problem,
        text="县人大书面报送：已整改",
        rectification_type=RectificationType.ONGOING,
    )
    assert Problem.objects.get(pk=problem.pk).status == Status.COMPLETION_REQUESTED


def test_assignee_must_be_own_department_or_lower_congress(make_problem, staff):
    problem = make_problem(Status.PENDING)
    for wrong in (org("410600", "minzheng"), org("411700", "congress"), org("410000", "congress")):
        with pytest.raises(ValidationError, match="只能交办给本级政府部门或下一级人大常委会"):
            actions.assign(actor=staff, problem=problem, assignee=wrong, deadline=IN_30_DAYS)
    assert Problem.objects.get(pk=problem.pk).status == Status.PENDING
