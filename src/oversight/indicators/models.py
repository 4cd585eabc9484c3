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


class ImportKind(models.TextChoices):
    VALUES = "values", _("指标值")
    FACILITIES = "facilities", _("设施台账")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("正在检查")
    CHECKED = "checked", _("检查通过")
    REFUSED = "refused", _("未通过检查")
    APPLYING = "applying", _("正在导入")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: User) -> ImportJobQuerySet:
        """A job holds the uploader's file: only they (and system administrators) see it."""
        if user.is_superuser:
            return self.all()
        return self.filter(created_by=user) if user.is_authenticated else self.none()


class ImportJob(models.Model):
    """A large spreadsheet import checked and written by the tasks worker (``jobs.py``);
    the uploaded file is kept in the row until the job ends."""

    topic = models.ForeignKey(Topic, verbose_name=_("专题"), on_delete=models.PROTECT)
    kind = models.CharField(_("导入内容"), max_length=20, choices=ImportKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("文件内容"), editable=False)
    file_size = models.PositiveIntegerField(_("文件大小"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_checked = models.PositiveIntegerField(_("已检查行数"), default=0)
    rows_refused = models.PositiveIntegerField(_("未通过行数"), default=0)
    rows_written = models.PositiveIntegerField(_("已写入行数"), default=0)
    file_errors = models.JSONField(_("文件错误"), default=list, blank=True)
    row_errors = models.JSONField(
        _("未通过的行"), default=list, blank=True, help_text=_("行号、内容与原因，只保留前若干行。")
    )
    message = models.CharField(_("说明"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)

    @property
    def percent(self) -> int:
        """How far the check is, for the progress bar (computed here, not in the template)."""
        if self.status not in (ImportStatus.CHECKING,):
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_checked * 100 // self.rows_total)
