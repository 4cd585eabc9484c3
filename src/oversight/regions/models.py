from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class Region(models.Model):
    """An administrative division, identified by its GB/T 2260 code."""

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def subtree_q(self, field: str = "") -> Q:
        """A filter for objects whose ``field`` is this region or lies below it; with no
        field, for the regions themselves.

        Three levels (province, city, county) are all a campaign spans, so two parent
        hops reach every descendant without a recursive query.
        """
        prefix = f"{field}__" if field else ""
        return (
            Q(**{field or "pk": self.pk})
            | Q(**{f"{prefix}parent": self.pk})
            | Q(**{f"{prefix}parent__parent": self.pk})
        )
