"""Demo data of this app, built from the bulletins through the app's own actions.

Today's reminders for the demo campaigns' overdue and soon-due problems, written by the same
``remind`` the background task calls (the demo needs no worker for them); an earlier round,
already read, shows what the list looks like over time.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from oversight.problems.models import Problem

from . import actions
from .models import Kind, Notification

DEMO_CAMPAIGNS = ("zhumadian-2024", "hebi-2024", "henan-2024")


def load_demo() -> None:
    """Called by ``oversight demo`` after the campaigns are loaded; safe to run again (a
    reminder exists once per problem, recipient, kind and day)."""
    today = timezone.localdate()
    week_ago = today - datetime.timedelta(days=7)
    for day in (week_ago, today):
        for kind in Kind.values:
            problems = Problem.objects.filter(
                actions.due_q(kind, day), campaign__slug__in=DEMO_CAMPAIGNS
            ).values_list("pk", flat=True)
            for pk in problems:
                actions.remind(problem_id=pk, kind=kind, day=day)
    # Last week's round has been read.
    earlier = Notification.objects.filter(
        problem__campaign__slug__in=DEMO_CAMPAIGNS, day=week_ago, read_at__isnull=True
    ).select_related("recipient")
    for notification in earlier:
        actions.mark_read(actor=notification.recipient, notification=notification)
