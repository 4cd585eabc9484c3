from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.regions.models import Region

CONGRESS_CODE = "congress"


class Kind(models.TextChoices):
    CONGRESS = "congress", _("人大常委会")
    DEPARTMENT = "department", _("政府部门")


class Organisation(models.Model):
    """A congress standing committee or a government department of one region."""

    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="organisations"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    code = models.SlugField(
        _("代码"),
        help_text=_("区划内唯一；人大常委会为 congress，部门与专题数据中的部门代码一致。"),
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"],
                name="%(app_label)s_%(class)s_unique_code_in_region",
                violation_error_message=_("同一行政区划内机构代码不能重复。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="congress") | models.Q(code=CONGRESS_CODE),
                name="%(app_label)s_%(class)s_congress_code",
                violation_error_message=_("人大常委会的机构代码必须为 congress。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_congress(self) -> bool:
        return self.kind == Kind.CONGRESS
