"""Reminders: which problems need one, who receives it, and marking them read.

``enqueue_reminders`` (the daily ``send-reminders`` command) enqueues one background task per
problem; the task calls ``remind``, which writes one ``Notification`` per recipient. The unique
constraint on (recipient, problem, kind, day) and ``get_or_create`` make a reminder go out once
a day however often the command runs, and e-mail is sent only for a row this call created.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.accounts.models import ASSIGNEE_ROLES, Role, User
from oversight.problems.models import BEING_RECTIFIED, Problem, overdue_q

from .models import Kind, Notification

# "Due soon": the deadline falls within this many days from today (today included).
DUE_SOON_DAYS = 7
NO_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


def due_q(kind: str, day: datetime.date) -> Q:
    """Problems that need a reminder of ``kind`` on ``day``."""
    if kind == Kind.OVERDUE:
        return overdue_q(day)
    if kind == Kind.DUE_SOON:
        return Q(
            status__in=BEING_RECTIFIED,
            assignment__deadline__gte=day,
            assignment__deadline__lte=day + datetime.timedelta(days=DUE_SOON_DAYS),
        )
    raise ValueError(f"unknown reminder kind {kind!r}")


def recipients(problem: Problem) -> QuerySet[User]:
    """The assignee organisation's liaisons and the campaign congress's staff."""
    staff = Q(organisation_id=problem.campaign.congress_id, role=Role.CONGRESS_STAFF)
    assignment = getattr(problem, "assignment", None)
    if assignment is not None:
        staff |= Q(organisation_id=assignment.assignee_id, role__in=ASSIGNEE_ROLES)
    return User.objects.filter(staff, is_active=True).order_by("pk")


def email_configured() -> bool:
    return bool(settings.EMAIL_BACKEND) and settings.EMAIL_BACKEND != NO_EMAIL_BACKEND


@transaction.atomic
def enqueue_reminders(today: datetime.date | None = None) -> int:
    """Enqueue a reminder task for every problem due one today; how many were enqueued.
    The tasks are enqueued once this transaction commits."""
    from .tasks import send_problem_reminders

    today = today or timezone.localdate()
    count = 0
    for kind in Kind.values:
        for pk in Problem.objects.filter(due_q(kind, today)).values_list("pk", flat=True):
            enqueue = partial(send_problem_reminders.enqueue, pk, kind, today.isoformat())
            transaction.on_commit(enqueue)
            count += 1
    return count


def _text(problem: Problem, kind: str, day: datetime.date) -> str:
    deadline = problem.assignment.deadline
    params = {
        "campaign": problem.campaign.name,
        "code": problem.code,
        "title": problem.title,
        "deadline": f"{deadline:%Y-%m-%d}",
        "days": (deadline - day).days,
        "late": (day - deadline).days,
    }
    if kind == Kind.OVERDUE:
        return (
            _(
                "%(campaign)s问题 %(code)s“%(title)s”已超过整改时限 %(deadline)s"
                "（逾期 %(late)d 天），请尽快整改并报送进展。"
            )
            % params
        )
    return (
        _(
            "%(campaign)s问题 %(code)s“%(title)s”的整改时限为 %(deadline)s"
            "（还有 %(days)d 天），请按期整改并报送进展。"
        )
        % params
    )


@transaction.atomic
def remind(*, problem_id: int, kind: str, day: datetime.date) -> list[Notification]:
    """Notify the problem's recipients of ``kind`` for ``day``, if the problem still needs it
    (it may have been completed since the task was enqueued). Returns the notifications this
    call created; one already sent that day is not sent again."""
    problem = (
        Problem.objects.filter(due_q(kind, day), pk=problem_id)
        .select_related("campaign", "assignment")
        .first()
    )
    if problem is None:
        return []
    text = _text(problem, kind, day)
    created: list[Notification] = []
    for user in recipients(problem):
        # get_or_create inserts in a savepoint and, when a concurrent run inserted the same
        # row first, the unique constraint refuses it and the existing row is returned.
        notification, is_new = Notification.objects.get_or_create(
            recipient=user, problem=problem, kind=kind, day=day, defaults={"text": text}
        )
        if is_new:
            created.append(notification)
            if user.email and email_configured():
                transaction.on_commit(partial(_enqueue_email, notification.pk))
    return created


def _enqueue_email(notification_id: int) -> None:
    from .tasks import send_notification_email

    send_notification_email.enqueue(notification_id)


def email_notification(notification_id: int) -> bool:
    """Send one notification by e-mail, at most once: the row is claimed before sending, and
    released again if sending fails, so that a retry may send it."""
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, recipient__email__gt=""
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(
            subject=_("【养老服务联动监督】%(kind)s") % {"kind": notification.get_kind_display()},
            message=notification.text + "\n\n" + _("请登录养老服务联动监督平台查看和办理。"),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@transaction.atomic
def mark_read(*, actor: User, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("只能处理发给自己的提醒。"))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
