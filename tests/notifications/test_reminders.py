"""Overdue and soon-due problems remind the assignee's liaisons and the congress staff, once a
day per problem and recipient however often ``send-reminders`` runs."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings

from oversight.notifications import actions
from oversight.notifications.models import Kind, Notification
from oversight.problems.models import Assignment, Status
from tests.conftest import org

from .conftest import TODAY


def send_reminders(*args):
    out = StringIO()
    call_command("send-reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The command as cron runs it: its tasks are enqueued when its transaction commits."""

    def go(*args):
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(*args)

    return go


def test_a_reminder_is_sent_once_however_often_the_command_runs(
    run, overdue_problem, staff, liaison_a, member, liaison_b
):
    for _ in range(3):
        run()
    rows = Notification.objects.all()
    assert sorted(n.recipient.username for n in rows) == ["liaison_a", "staff"]
    assert {(n.kind, n.day, n.problem_id) for n in rows} == {
        (Kind.OVERDUE, TODAY, overdue_problem.pk)
    }
    assert "逾期 3 天" in rows[0].text and overdue_problem.title in rows[0].text


def test_the_next_day_reminds_again(run, overdue_problem, staff, liaison_a):
    run()
    run("--date", (TODAY + datetime.timedelta(days=1)).isoformat())
    assert Notification.objects.filter(recipient=liaison_a).count() == 2


def test_the_database_refuses_a_second_reminder_the_same_day(overdue_problem, staff, liaison_a):
    values = {"recipient": staff, "problem": overdue_problem, "kind": Kind.OVERDUE, "day": TODAY}
    Notification.objects.create(text="第一次", **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(text="第二次", **values)
    # The task's insert meets the existing row: only the recipient not yet reminded is new.
    created = actions.remind(problem_id=overdue_problem.pk, kind=Kind.OVERDUE, day=TODAY)
    assert [n.recipient for n in created] == [liaison_a]
    assert Notification.objects.get(recipient=staff).text == "第一次"


def test_a_problem_due_within_seven_days_is_a_due_soon_reminder(
    run, make_problem, staff, liaison_a
):
    problem = make_problem(Status.ASSIGNED, title="七天内到期")
    Assignment.objects.filter(problem=problem).update(deadline=TODAY + datetime.timedelta(7))
    later = make_problem(Status.ASSIGNED, title="八天后到期")
    Assignment.objects.filter(problem=later).update(deadline=TODAY + datetime.timedelta(8))
    run()
    rows = Notification.objects.all()
    assert {(n.kind, n.problem_id) for n in rows} == {(Kind.DUE_SOON, problem.pk)}
    assert "还有 7 天" in rows[0].text


def test_problems_not_being_rectified_need_no_reminder(run, make_problem, staff, liaison_a):
    for status in (Status.COMPLETION_REQUESTED, Status.COMPLETED):
        problem = make_problem(status, title=str(status))
        Assignment.objects.filter(problem=problem).update(deadline=TODAY - datetime.timedelta(1))
    run()
    assert not Notification.objects.exists()


def test_a_county_congress_answering_for_a_problem_is_reminded(
    run, make_problem, staff, county_user
):
    problem = make_problem(Status.ASSIGNED, assignee=org("411727", "congress"))
    Assignment.objects.filter(problem=problem).update(deadline=TODAY - datetime.timedelta(1))
    run()
    assert {n.recipient for n in Notification.objects.all()} == {staff, county_user}


def test_the_command_also_starts_follow_ups(run, overdue_problem, staff):
    assert "转入跟踪监督 1 个问题" in run()
    assert overdue_problem.follow_up.started_on == TODAY


def test_email_goes_to_users_with_an_address_once(run, overdue_problem, staff, liaison_a):
    staff.email = "staff@example.org"
    staff.save()
    for _ in range(3):
        run()
    assert [message.to for message in mail.outbox] == [["staff@example.org"]]
    assert overdue_problem.title in mail.outbox[0].body
    assert Notification.objects.get(recipient=staff).emailed_at is not None
    assert Notification.objects.get(recipient=liaison_a).emailed_at is None


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def test_without_an_email_backend_nothing_is_emailed(run, overdue_problem, staff):
    staff.email = "staff@example.org"
    staff.save()
    run()
    assert Notification.objects.get(recipient=staff).emailed_at is None
    assert mail.outbox == []
