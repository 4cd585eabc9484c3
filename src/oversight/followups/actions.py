"""Every change of the follow-up list goes through these functions: atomic and checked."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.campaigns.models import Campaign
from oversight.problems.models import Problem, Status
from oversight.problems.permissions import can_manage

from .models import FollowUp, FollowUpCheck

if TYPE_CHECKING:
    from oversight.accounts.models import User

# The first check of a problem that has just moved to the follow-up list.
FIRST_CHECK_AFTER = datetime.timedelta(days=30)
NOTE_MAX_LENGTH = 2000


@transaction.atomic
def start_follow_up(campaign: Campaign, *, today: datetime.date | None = None) -> list[FollowUp]:
    """Once a campaign's period has ended, put each of its unfinished problems on the
    follow-up list. Safe to run again (the daily ``send-reminders`` does): a problem already
    on the list keeps its dates, a problem completed meanwhile is not added. Returns the
    follow-ups created by this call."""
    today = today or timezone.localdate()
    if campaign.ends_on >= today:
        return []
    unfinished = (
        Problem.objects.filter(campaign=campaign, follow_up__isnull=True)
        .exclude(status=Status.COMPLETED)
        .values_list("pk", flat=True)
    )
    new = [
        FollowUp(problem_id=pk, started_on=today, next_check_on=today + FIRST_CHECK_AFTER)
        for pk in unfinished
    ]
    # A concurrent run that got there first wins: the unique problem column ignores the rest.
    FollowUp.objects.bulk_create(new, ignore_conflicts=True)
    return new


def start_due_follow_ups(today: datetime.date | None = None) -> int:
    """``start_follow_up`` for every campaign whose period has ended; how many were added."""
    today = today or timezone.localdate()
    return sum(
        len(start_follow_up(campaign, today=today))
        for campaign in Campaign.objects.filter(ends_on__lt=today)
    )


@transaction.atomic
def record_check(
    *,
    actor: User,
    follow_up: FollowUp,
    checked_on: datetime.date,
    note: str,
    next_check_on: datetime.date,
    today: datetime.date | None = None,
) -> FollowUpCheck:
    """Staff of the campaign's congress record a check and set the next one."""
    today = today or timezone.localdate()
    follow_up = (
        FollowUp.objects.select_for_update()
        .select_related("problem__campaign")
        .get(pk=follow_up.pk)
    )
    problem = follow_up.problem
    if not can_manage(actor, problem.campaign):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以记录跟踪核查。"))
    if problem.status == Status.COMPLETED:
        raise ValidationError(_("问题已办结，不再跟踪监督。"), code="completed")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写核查情况。")}, code="required")
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("核查情况不能超过 %(max)d 个字。") % {"max": NOTE_MAX_LENGTH}},
            code="max_length",
        )
    if checked_on > today:
        raise ValidationError({"checked_on": _("核查日期不能晚于今天。")}, code="future")
    if checked_on < follow_up.started_on:
        raise ValidationError(
            {"checked_on": _("核查日期不能早于转入跟踪监督的日期。")}, code="too_early"
        )
    if next_check_on <= checked_on:
        raise ValidationError(
            {"next_check_on": _("下次核查日期须晚于本次核查日期。")}, code="next_too_early"
        )
    check = FollowUpCheck.objects.create(
        follow_up=follow_up,
        checked_on=checked_on,
        note=note,
        next_check_on=next_check_on,
        recorded_by=actor,
    )
    # The latest check by date sets the next one: a late entry of an older check does not.
    latest = follow_up.checks.order_by("-checked_on", "-pk").first()
    assert latest is not None
    follow_up.last_checked_on = latest.checked_on
    follow_up.next_check_on = latest.next_check_on
    follow_up.save(update_fields=["last_checked_on", "next_check_on"])
    return check
