"""A supervision topic and what is specific to it, loaded from ``topics/data/<slug>.toml``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    slug = models.SlugField(_("标识"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30)

    class Meta:
        verbose_name = _("监督专题")
        verbose_name_plural = _("监督专题")

    def __str__(self) -> str:
        return self.short_name


class ProblemArea(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("专题"), on_delete=models.CASCADE, related_name="areas"
    )
    code = models.SlugField(_("代码"))
    name = models.CharField(_("名称"), max_length=50)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("问题领域")
        verbose_name_plural = _("问题领域")
        ordering = ["topic", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("同一专题下问题领域代码不能重复。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class UsualDepartment(models.Model):
    """A government department that usually answers for this topic in every region."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("专题"), on_delete=models.CASCADE, related_name="departments"
    )
    code = models.SlugField(_("代码"))
    name = models.CharField(_("通用名称"), max_length=50)
    province_name = models.CharField(
        _("省级名称"), max_length=50, blank=True, help_text=_("留空表示省级没有对应部门。")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("常见责任部门")
        verbose_name_plural = _("常见责任部门")
        ordering = ["topic", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("同一专题下部门代码不能重复。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class MeetingKind(models.Model):
    """A kind of meeting held during a campaign of this topic (党组会议, 专题询问会 …)."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("专题"), on_delete=models.CASCADE, related_name="meeting_kinds"
    )
    code = models.SlugField(_("代码"))
    name = models.CharField(_("名称"), max_length=30)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("会议类型")
        verbose_name_plural = _("会议类型")
        ordering = ["topic", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("同一专题下会议类型代码不能重复。"),
            )
        ]

    def __str__(self) -> str:
        return self.name
