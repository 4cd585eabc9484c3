"""In production the tasks go through the database queue and ``db_worker`` runs them."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from oversight.notifications.models import Notification

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_runs_the_enqueued_reminders(overdue_problem, staff, liaison_a):
    staff.email = "staff@example.org"
    staff.save()
    # Outside a test transaction the command's tasks are enqueued as it commits.
    call_command("send-reminders", stdout=None)
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "oversight.notifications.tasks.send_problem_reminders"
    assert not Notification.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert {n.recipient for n in Notification.objects.all()} == {staff, liaison_a}
    # The reminder task enqueued the e-mail task, which the same batch ran too.
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    assert DBTaskResult.objects.count() == 2
    assert [message.to for message in mail.outbox] == [["staff@example.org"]]
