"""Follow-up supervision (跟踪监督): a campaign's unfinished problems after its period ends."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.problems.models import Problem, Status

if TYPE_CHECKING:
    from oversight.accounts.models import User


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def on_list(self) -> FollowUpQuerySet:
        """Still followed up: derived from the problem's status, so nothing can drift; a
        problem leaves the list the moment it is completed (已办结)."""
        return self.exclude(problem__status=Status.COMPLETED)

    def in_campaign(self, campaign: Campaign, user: User) -> FollowUpQuerySet:
        """The campaign's follow-ups whose problems the user may see."""
        return self.filter(problem__in=Problem.objects.in_campaign(campaign, user))

    def visible_to(self, user: User) -> FollowUpQuerySet:
        return self.filter(problem__in=Problem.objects.visible_to(user))

    def check_overdue(self, today: datetime.date | None = None) -> FollowUpQuerySet:
        return self.filter(next_check_on__lt=today or timezone.localdate())


class FollowUp(models.Model):
    """One problem on its campaign's follow-up list, with the date of its next check."""

    problem = models.OneToOneField(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="follow_up"
    )
    started_on = models.DateField(_("转入跟踪监督日期"))
    next_check_on = models.DateField(_("下次核查日期"))
    last_checked_on = models.DateField(_("最近核查日期"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("跟踪监督")
        verbose_name_plural = _("跟踪监督")
        ordering = ["next_check_on", "problem_id"]
        indexes = [models.Index(fields=["next_check_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_check_on__gte=F("started_on")),
                name="%(app_label)s_%(class)s_next_check_after_start",
                violation_error_message=_("下次核查日期不能早于转入跟踪监督的日期。"),
            )
        ]

    def __str__(self) -> str:
        return str(self.problem)

    @property
    def is_check_overdue(self) -> bool:
        """Same rule as ``check_overdue``, for one row in memory."""
        return self.next_check_on < timezone.localdate()


class FollowUpCheck(models.Model):
    """One check of a followed-up problem (核查): when, what was found, when to look again."""

    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("跟踪监督"), on_delete=models.CASCADE, related_name="checks"
    )
    checked_on = models.DateField(_("核查日期"))
    note = models.TextField(_("核查情况"))
    next_check_on = models.DateField(_("下次核查日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("跟踪核查")
        verbose_name_plural = _("跟踪核查")
        ordering = ["-checked_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_check_on__gt=F("checked_on")),
                name="%(app_label)s_%(class)s_next_after_checked",
                violation_error_message=_("下次核查日期须晚于本次核查日期。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.checked_on:%Y-%m-%d} {self.note[:30]}"
