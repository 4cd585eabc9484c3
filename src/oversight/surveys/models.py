"""Questionnaires (问卷调查): built by the organising congress's staff, answered by the public
through a link or a QR code (online) or typed in from paper by staff (offline).

A ``Response`` is one filled-in questionnaire; each of its ``Answer`` rows holds one chosen
option, one rating, one region or one text. The region a response answered is also kept on
the response itself, so that the results filter by region without a join per question.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.problems.models import RawReport
from oversight.regions.models import Region

if TYPE_CHECKING:
    from oversight.accounts.models import User


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


class QuestionKind(models.TextChoices):
    """Stable codes: the ``surveys`` command prints them."""

    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    RATING = "rating", _("评分题")
    TEXT = "text", _("填空题")
    REGION = "region", _("地区题")


class ResponseChannel(models.TextChoices):
    ONLINE = "online", _("线上")
    OFFLINE = "offline", _("线下")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})


class QuestionnaireQuerySet(models.QuerySet["Questionnaire"]):
    def visible_to(self, user: User) -> QuestionnaireQuerySet:
        """The questionnaires whose builder, results and exports a user may open: those of
        the campaigns the user sees as a whole (congress users of the region and above).
        The public sees a published questionnaire only through its link."""
        return self.filter(campaign__in=Campaign.objects.visible_to(user))


class Questionnaire(models.Model):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("联动监督"),
        on_delete=models.PROTECT,
        related_name="questionnaires",
    )
    title = models.CharField(_("问卷标题"), max_length=100)
    description = models.TextField(_("问卷说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The public link names this, not the primary key: drafts cannot be found by counting.
    token = models.UUIDField(_("公开链接标识"), default=uuid.uuid4, unique=True, editable=False)
    allow_repeat = models.BooleanField(
        _("允许同一浏览器多次填写"),
        default=False,
        help_text=_("例如在活动现场用同一部手机或电脑为多位群众填写。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("问卷状态无效。"),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("题号"))
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=300)
    required = models.BooleanField(_("必答"), default=True)
    max_choices = models.PositiveSmallIntegerField(
        _("最多选几项"), null=True, blank=True, help_text=_("只用于多选题；不填表示不限。")
    )
    scale_max = models.PositiveSmallIntegerField(
        _("评分最高分"), null=True, blank=True, help_text=_("只用于评分题：从 1 分到最高分。")
    )

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("题型无效。"),
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        """The question's field in the answer forms and in an action's error dict."""
        return f"q{self.pk}"

    @property
    def scale(self) -> range:
        return range(1, (self.scale_max or 5) + 1)


class Option(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveIntegerField(_("序号"))
    text = models.CharField(_("选项"), max_length=200)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="responses"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=ResponseChannel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("地区题的回答，供按地区筛选。"),
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=ResponseChannel.values),
                name="%(app_label)s_%(class)s_channel_valid",
                violation_error_message=_("答卷渠道无效。"),
            ),
            models.CheckConstraint(
                condition=Q(channel=ResponseChannel.ONLINE) | Q(entered_by__isnull=False),
                name="%(app_label)s_%(class)s_offline_entered_by",
                violation_error_message=_("线下答卷须记录录入人。"),
            ),
        ]
        indexes = [
            models.Index(fields=["questionnaire", "channel"], name="surveys_response_ch"),
            # The latest response and those after it, which the results' counts add on.
            models.Index(fields=["questionnaire", "id"], name="surveys_response_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"


class Answer(models.Model):
    """One chosen option, one rating, one region or one text of a response."""

    response = models.ForeignKey(
        Response, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="answers"
    )
    option = models.ForeignKey(
        Option,
        verbose_name=_("选项"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="answers",
    )
    value = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("文字回答"), blank=True)
    raw_report = models.OneToOneField(
        RawReport,
        verbose_name=_("转为原始问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_answer",
    )

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["question", "option"], name="surveys_answer_tally"),
        ]

    def __str__(self) -> str:
        return self.text[:40] or str(self.option or self.value or self.region or "")
