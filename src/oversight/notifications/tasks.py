"""Background tasks (django-tasks): ids as arguments, the work in ``actions``."""

from __future__ import annotations

import datetime

from django_tasks import task

from . import actions


@task()
def send_problem_reminders(problem_id: int, kind: str, day: str) -> int:
    """Notify one problem's recipients for ``day`` (ISO date); how many were notified."""
    created = actions.remind(problem_id=problem_id, kind=kind, day=datetime.date.fromisoformat(day))
    return len(created)


@task()
def send_notification_email(notification_id: int) -> bool:
    return actions.email_notification(notification_id)
