"""Deputies' suggestions and the public's reports, each a raw report of the campaign's intake;
livelihood projects (民生实事) followed with the campaign; the switch that opens public
reporting; and the history of all of these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Organisation
from oversight.problems.models import RawReport
from oversight.topics.models import ProblemArea

if TYPE_CHECKING:
    from oversight.accounts.models import User

TITLE_MAX_LENGTH = 100
TEXT_MAX_LENGTH = 2000
REPLY_MAX_LENGTH = 2000
# 12 characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L): 31¹² ≈ 8×10¹⁷.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("代表建议")
    PROBLEM = "problem", _("代表反映问题")
    PUBLIC = "public", _("群众反映")


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def visible_to(self, user: User) -> SubmissionQuerySet:
        """Congress users see the submissions of the campaigns they see; a deputy sees their
        own; nobody else sees any (the public follows theirs by tracking code only)."""
        if user.is_superuser:
            return self.all()
        if user.is_deputy:
            return self.filter(deputy=user)
        return self.filter(raw_report__campaign__in=Campaign.objects.visible_to(user))


class Submission(models.Model):
    """What a deputy or a member of the public filed: the raw report in intake, and what is
    needed to follow it (who filed it, the tracking code, the public reply)."""

    raw_report = models.OneToOneField(
        RawReport, verbose_name=_("原始问题"), on_delete=models.PROTECT, related_name="submission"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=TITLE_MAX_LENGTH, blank=True)
    area = models.ForeignKey(
        ProblemArea, verbose_name=_("问题领域"), null=True, blank=True, on_delete=models.PROTECT
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出建议的代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    contact_name = models.CharField(_("联系人姓名"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    tracking_code = models.CharField(
        _("查询码"), max_length=TRACKING_LENGTH, null=True, blank=True, unique=True
    )
    public_reply = models.TextField(_("公开答复"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表建议与群众反映")
        verbose_name_plural = _("代表建议与群众反映")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("类别无效。"),
            ),
            models.CheckConstraint(
                condition=(Q(kind="public") & Q(deputy__isnull=True))
                | (~Q(kind="public") & Q(deputy__isnull=False)),
                name="%(app_label)s_%(class)s_deputy_iff_not_public",
                violation_error_message=_("代表建议须有提出建议的代表，群众反映则没有。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.raw_report.text[:40]

    @property
    def tracking_code_display(self) -> str:
        """In groups of four, easier to read aloud and to copy (ABCD-EFGH-JKMN)."""
        code = self.tracking_code or ""
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class PublicReporting(models.Model):
    """Whether the campaign's staff have opened the public report form."""

    campaign = models.OneToOneField(
        Campaign,
        verbose_name=_("联动监督"),
        on_delete=models.CASCADE,
        related_name="public_reporting",
    )
    is_open = models.BooleanField(_("接受群众反映"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("群众反映开放设置")
        verbose_name_plural = _("群众反映开放设置")

    def __str__(self) -> str:
        return f"{self.campaign}: {self.is_open}"


class ProjectStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")


class LivelihoodProject(models.Model):
    """民生实事: a yearly project the government undertook, followed with the campaign."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("联动监督"),
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
    )
    title = models.CharField(_("项目名称"), max_length=TITLE_MAX_LENGTH)
    department = models.ForeignKey(
        Organisation, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.CharField(_("目标任务"), max_length=200)
    target_quantity = models.PositiveIntegerField(
        _("目标数量"), null=True, blank=True, help_text=_("可计量的目标，如省定任务的机构数。")
    )
    unit = models.CharField(_("计量单位"), max_length=10, blank=True)
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.IN_PROGRESS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("民生实事")
        verbose_name_plural = _("民生实事")
        ordering = ["campaign_id", "deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "title"],
                name="%(app_label)s_%(class)s_unique_title",
                violation_error_message=_("同一联动监督中已有同名的民生实事。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("状态无效。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectProgress(models.Model):
    project = models.ForeignKey(
        LivelihoodProject,
        verbose_name=_("民生实事"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    reported_on = models.DateField(_("日期"), default=timezone.localdate)
    text = models.TextField(_("进展情况"))
    achieved_quantity = models.PositiveIntegerField(_("已完成数量"), null=True, blank=True)
    funds_wan_yuan = models.DecimalField(
        _("落实资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("民生实事进展")
        verbose_name_plural = _("民生实事进展")
        ordering = ["reported_on", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class EventKind(models.TextChoices):
    FILED = "filed", _("提交")
    REPLIED = "replied", _("公开答复")
    OPENED = "opened", _("开放群众反映")
    CLOSED = "closed", _("关闭群众反映")
    PROJECT_REGISTERED = "project", _("登记民生实事")
    PROJECT_PROGRESS = "progress", _("录入民生实事进展")


class SubmissionEvent(models.Model):
    """The app's history: who did what, when (never edited)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("联动监督"), on_delete=models.CASCADE, related_name="+"
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("代表建议与群众反映"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    project = models.ForeignKey(
        LivelihoodProject,
        verbose_name=_("民生实事"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
