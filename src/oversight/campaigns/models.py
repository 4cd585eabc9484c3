from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.organisations.models import Organisation
from oversight.regions.models import Region
from oversight.topics.models import Topic

if TYPE_CHECKING:
    from oversight.accounts.models import User


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def visible_to(self, user: User) -> CampaignQuerySet:
        """Campaigns whose whole figures the user may see: those of their congress's region
        and of the regions below it (the roll-up). Departments see problems, not campaigns."""
        if user.is_superuser:
            return self.all()
        if not user.is_congress_user:
            return self.none()
        assert user.organisation is not None
        return self.filter(user.organisation.region.subtree_q("region"))


class Campaign(models.Model):
    """One congress's supervision campaign for one region and period (e.g. 驻马店市 2024)."""

    slug = models.SlugField(_("标识"), unique=True)
    name = models.CharField(_("名称"), max_length=200)
    topic = models.ForeignKey(Topic, verbose_name=_("专题"), on_delete=models.PROTECT)
    congress = models.ForeignKey(
        Organisation,
        verbose_name=_("组织监督的人大常委会"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "congress"},
        related_name="campaigns",
    )
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级联动监督"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    source = models.CharField(_("依据/来源"), max_length=200, blank=True)
    is_illustrative = models.BooleanField(
        _("示意数据"), default=False, help_text=_("问题文本为依据简报编写的示意，不是真实台账。")
    )
    # Moves on every change to the campaign's problems. Cached figures are keyed by it and by
    # the versions of the campaigns above and below whose problems they count, so they are
    # never stale, whichever cache and however many processes serve them (problems.stats).
    figures_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("联动监督")
        verbose_name_plural = _("联动监督")
        ordering = ["-starts_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_period",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def regions(self) -> models.QuerySet[Region]:
        """The campaign's region and every region below it: where its problems, answers and
        figures may lie."""
        return Region.objects.filter(self.region.subtree_q())

    @staticmethod
    def figures_changed(campaign_ids: Iterable[int]) -> None:
        """Move the figures version of these campaigns: in the changing transaction, so that
        whoever reads the new version also reads the change."""
        Campaign.objects.filter(pk__in=set(campaign_ids)).update(
            figures_version=models.F("figures_version") + 1
        )

    def clean(self) -> None:
        """The organising congress is the region's own: visibility and rights follow it."""
        super().clean()
        if self.congress_id and self.region_id and self.congress.region_id != self.region_id:
            raise ValidationError(
                {"congress": _("组织监督的人大常委会须为本行政区划的人大常委会。")}
            )
