"""Entered indicator values, and the problems raised from shortfalls.

Derived and registry-computed indicators are not stored: they are worked out from these rows
and from the facility registry whenever they are shown (``compliance.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.facilities.models import scope_q
from oversight.problems.models import Problem
from oversight.regions.models import Region
from oversight.topics.models import Topic

if TYPE_CHECKING:
    from oversight.accounts.models import User


class Source(models.TextChoices):
    SELF_INSPECTION = "self_inspection", _("政府自查")
    INSPECTION = "inspection", _("人大检查")
    STATISTICS = "statistics", _("统计数据")
    BULLETIN = "bulletin", _("工作简报")


class IndicatorValueQuerySet(models.QuerySet["IndicatorValue"]):
    def visible_to(self, user: User) -> IndicatorValueQuerySet:
        """Congress users: their region and below. Departments: their own region's values,
        the figures their government answers for, none of the regions below."""
        scope = scope_q(user, "region")
        return self.none() if scope is None else self.filter(scope)


class IndicatorValue(models.Model):
    topic = models.ForeignKey(Topic, verbose_name=_("专题"), on_delete=models.PROTECT)
    indicator = models.SlugField(_("指标"), help_text=_("专题指标目录中的指标代码。"))
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=6, help_text=_("年度如 2024，季度如 2024Q3。"))
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    is_illustrative = models.BooleanField(
        _("示意数据"), default=False, help_text=_("简报只给出总数，本值为据此编写的示意分解。")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("填报时间"))

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        ordering = ["region__code", "indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "indicator", "region", "period"],
                name="%(app_label)s_%(class)s_unique_period",
                violation_error_message=_("同一地区同一期间的指标只能有一个值。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.indicator} {self.period}"


class Shortfall(models.Model):
    """A shortfall turned into a problem of a campaign: the link both ways."""

    topic = models.ForeignKey(Topic, verbose_name=_("专题"), on_delete=models.PROTECT)
    indicator = models.SlugField(_("指标"))
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=6)
    problem = models.OneToOneField(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="shortfall"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提出时间"))

    class Meta:
        verbose_name = _("未达标转问题")
        verbose_name_plural = _("未达标转问题")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "indicator", "region", "period"],
                name="%(app_label)s_%(class)s_unique_shortfall",
                violation_error_message=_("该未达标项已转为问题。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.indicator} {self.period}"
