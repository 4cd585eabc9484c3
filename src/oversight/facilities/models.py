"""The facility registry: every elderly-care facility with its kind, place, status and dates.

Counts and operating rates are computed from these rows (``registry.py``), never typed in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.regions.models import Region
from oversight.topics.models import Topic

if TYPE_CHECKING:
    from oversight.accounts.models import User


class Status(models.TextChoices):
    PLANNED = "planned", _("规划")
    BUILDING = "building", _("在建")
    BUILT = "built", _("已建成未运营")
    OPERATING = "operating", _("运营中")
    CLOSED = "closed", _("已停运")


def scope_q(user: User, field: str) -> Q | None:
    """Which regions' figures ``user`` may see, as a filter on ``field`` (a region foreign
    key; empty for the regions themselves); ``None`` means none at all. Congress users see
    their region and below; a department sees its own region only (the figures its
    government answers for)."""
    if user.is_superuser:
        return Q()
    if user.organisation_id is None or not user.role or user.is_deputy:
        return None
    assert user.organisation is not None
    region = user.organisation.region
    if user.is_congress_user:
        return region.subtree_q(field)
    return Q(**{field or "pk": region.pk})


class FacilityQuerySet(models.QuerySet["Facility"]):
    def visible_to(self, user: User) -> FacilityQuerySet:
        scope = scope_q(user, "region")
        return self.none() if scope is None else self.filter(scope)


class Facility(models.Model):
    topic = models.ForeignKey(Topic, verbose_name=_("专题"), on_delete=models.PROTECT)
    kind = models.SlugField(_("设施类型"), help_text=_("专题数据中的设施类型代码。"))
    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    operator = models.CharField(_("运营方"), max_length=100, blank=True)
    status = models.CharField(_("运营状态"), max_length=10, choices=Status.choices)
    built_on = models.DateField(_("建成日期"), null=True, blank=True)
    operating_since = models.DateField(_("开始运营日期"), null=True, blank=True)
    ceased_on = models.DateField(_("停运日期"), null=True, blank=True)
    medical_licence = models.BooleanField(_("医疗机构执业许可"), default=False)
    care_licence = models.BooleanField(_("养老机构备案"), default=False)
    converted_on = models.DateField(_("转型日期"), null=True, blank=True)
    is_illustrative = models.BooleanField(
        _("示意数据"), default=False, help_text=_("简报只给出总数，本条为据此编写的示意明细。")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"))

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("养老服务设施")
        verbose_name_plural = _("养老服务设施")
        ordering = ["region__code", "kind", "name"]
        indexes = [models.Index(fields=["topic", "kind", "region"])]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "region", "kind", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("同一区划内同类设施名称不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(operating_since__isnull=True)
                | Q(built_on__isnull=False, operating_since__gte=models.F("built_on")),
                name="%(app_label)s_%(class)s_operating_after_built",
                violation_error_message=_("开始运营日期不能早于建成日期。"),
            ),
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True)
                | Q(operating_since__isnull=False, ceased_on__gte=models.F("operating_since")),
                name="%(app_label)s_%(class)s_ceased_after_operating",
                violation_error_message=_("停运日期不能早于开始运营日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_both_licences(self) -> bool:
        return self.medical_licence and self.care_licence
