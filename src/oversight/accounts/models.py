from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.organisations.models import Organisation


class Role(models.TextChoices):
    CONGRESS_STAFF = "congress_staff", _("人大工作人员")
    CONGRESS_MEMBER = "congress_member", _("常委会组成人员")
    LIAISON = "liaison", _("部门承办人")
    COUNTY_STAFF = "county_staff", _("县区人大工作人员")
    DEPUTY = "deputy", _("人大代表")


# Roles that belong to a congress and so see the campaigns of their region and below.
CONGRESS_ROLES = frozenset({Role.CONGRESS_STAFF, Role.CONGRESS_MEMBER, Role.COUNTY_STAFF})
# Roles that answer for problems assigned to their organisation.
ASSIGNEE_ROLES = frozenset({Role.LIAISON, Role.COUNTY_STAFF})
# A deputy belongs to the congress that elected them, yet sees none of its staff pages: only
# what they filed themselves (the submissions app).
CONGRESS_MEMBERSHIP_ROLES = CONGRESS_ROLES | {Role.DEPUTY}


class User(AbstractUser):
    """Every user belongs to exactly one organisation (superusers may have none)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(organisation__isnull=False),
                name="%(app_label)s_%(class)s_role_needs_organisation",
                violation_error_message=_("设置了角色的用户必须属于一个机构。"),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        """A congress role (and a deputy) needs a congress, a liaison a department."""
        super().clean()
        if not self.role or self.organisation is None:
            return
        needs_congress = self.role in CONGRESS_MEMBERSHIP_ROLES
        if needs_congress != self.organisation.is_congress:
            raise ValidationError(
                {
                    "role": _("角色“%(role)s”与所属机构“%(organisation)s”的类型不符。")
                    % {"role": self.get_role_display(), "organisation": self.organisation}
                }
            )

    @property
    def is_congress_user(self) -> bool:
        return self.role in CONGRESS_ROLES and self.organisation_id is not None

    @property
    def is_deputy(self) -> bool:
        return self.role == Role.DEPUTY and self.organisation_id is not None

    @property
    def is_assignee_user(self) -> bool:
        return self.role in ASSIGNEE_ROLES and self.organisation_id is not None
