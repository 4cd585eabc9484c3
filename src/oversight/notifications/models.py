"""Reminders shown in the application (and, where e-mail is configured, sent by e-mail)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.problems.models import Problem


class Kind(models.TextChoices):
    OVERDUE = "overdue", _("逾期提醒")
    DUE_SOON = "due_soon", _("即将到期提醒")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.TextField(_("内容"))
    # The day the reminder is for: with the constraint below, once per problem, recipient
    # and kind a day, however often the reminder command runs.
    day = models.DateField(_("提醒日期"))
    created = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "problem", "kind", "day"],
                name="%(app_label)s_%(class)s_once_a_day",
                violation_error_message=_("同一问题每天只向同一接收人发送一次同类提醒。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("提醒类型无效。"),
            ),
        ]
        indexes = [
            # The navbar's unread count on every page: few unread among many.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notifications_unread",
            ),
            models.Index(fields=["recipient", "-created"], name="notifications_recipient_new"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
