"""What staff decided about proposed groups, so the same group is not proposed again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.problems.models import RawReport


class DecisionKind(models.TextChoices):
    REJECTED = "rejected", _("不是同一问题")
    SPLIT = "split", _("拆分")


class GroupDecision(models.Model):
    """A rejected group (``members``: never propose them, or part of them, together), or a
    split (``split_off`` leaves the group of ``members`` whenever both are proposed together)."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("联动监督"),
        on_delete=models.CASCADE,
        related_name="merge_decisions",
    )
    kind = models.CharField(_("决定"), max_length=10, choices=DecisionKind.choices)
    members = models.ManyToManyField(
        RawReport, verbose_name=_("原始问题"), related_name="merge_decisions"
    )
    split_off = models.ManyToManyField(
        RawReport, verbose_name=_("拆出的原始问题"), blank=True, related_name="split_decisions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("决定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("归并建议的处理")
        verbose_name_plural = _("归并建议的处理")
        ordering = ["campaign", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DecisionKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("处理决定无效。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
