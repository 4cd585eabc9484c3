"""A bulletin read for its figures, and each figure found in it awaiting a decision.

The text is kept with the extraction so that the review can continue later and every
candidate can be checked against its source; an accepted candidate keeps the indicator
value it became.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.indicators.models import IndicatorValue
from oversight.problems.permissions import STAFF_ROLES
from oversight.regions.models import Region

if TYPE_CHECKING:
    from oversight.accounts.models import User


class SourceKind(models.TextChoices):
    PASTED = "pasted", _("粘贴文本")
    TXT = "txt", _("文本文件")
    DOCX = "docx", _("Word 文档")


class Decision(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采用")
    DISMISSED = "dismissed", _("已排除")


class ExtractionQuerySet(models.QuerySet["Extraction"]):
    def visible_to(self, user: User) -> ExtractionQuerySet:
        """The extractions of the campaigns the user runs (``problems.permissions.can_manage``):
        staff of the organising congress; nobody else, members included."""
        if user.is_superuser:
            return self.all()
        if user.role not in STAFF_ROLES or user.organisation_id is None:
            return self.none()
        return self.filter(campaign__congress_id=user.organisation_id)


class Extraction(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("联动监督"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    source_kind = models.CharField(_("来源"), max_length=10, choices=SourceKind.choices)
    text = models.TextField(_("正文"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提取人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提取时间"))

    objects = ExtractionQuerySet.as_manager()

    class Meta:
        verbose_name = _("简报数据提取")
        verbose_name_plural = _("简报数据提取")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    extraction = models.ForeignKey(
        Extraction, verbose_name=_("提取"), on_delete=models.CASCADE, related_name="candidates"
    )
    position = models.PositiveIntegerField(_("序号"))
    subject = models.CharField(_("统计对象"), max_length=100, blank=True)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=20)
    before = models.DecimalField(
        _("原数值"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    qualifier = models.CharField(
        _("限定"), max_length=30, blank=True, help_text=_("约、近、以上、余，或范围如 3-5。")
    )
    sentence = models.TextField(_("原句"))
    # Where the figure (number, unit and qualifier) stands in the sentence, to highlight it.
    offset = models.PositiveIntegerField(_("位置"), default=0)
    length = models.PositiveIntegerField(_("长度"), default=0)
    decision = models.CharField(
        _("处理"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    indicator = models.SlugField(_("指标"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.CharField(_("期间"), max_length=6, blank=True)
    indicator_value = models.ForeignKey(
        IndicatorValue,
        verbose_name=_("指标值"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("数据候选")
        verbose_name_plural = _("数据候选")
        ordering = ["extraction", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["extraction", "position"],
                name="%(app_label)s_%(class)s_unique_position",
                violation_error_message=_("同一次提取中序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="accepted") | ~models.Q(indicator=""),
                name="%(app_label)s_%(class)s_accepted_has_indicator",
                violation_error_message=_("已采用的数据必须指明指标。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.value.normalize()}{self.unit}"

    @property
    def sentence_parts(self) -> tuple[str, str, str]:
        """The sentence cut around the figure, to show the number highlighted."""
        start = min(self.offset, len(self.sentence))
        end = min(start + self.length, len(self.sentence))
        return self.sentence[:start], self.sentence[start:end], self.sentence[end:]
