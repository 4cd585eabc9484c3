"""The audit log: who did what, when and from where. Entries are only ever added.

Each entry keeps the username as text and the user's organisation and region as they were at
that moment, so a deleted account still has a name and a user who moves does not carry their
history into another region's log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.accounts.models import Role
from oversight.organisations.models import Organisation
from oversight.regions.models import Region

if TYPE_CHECKING:
    from oversight.accounts.models import User


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class Kind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    ACCESS_DENIED = "access_denied", _("越权访问被拒绝")
    EXPORT = "export", _("导出/下载")
    REFERENCE_CHANGE = "reference_change", _("参考数据变更")
    LOCKOUT = "lockout", _("账户锁定")
    IMPORT = "import", _("数据导入")


def can_view_audit(user: User) -> bool:
    """The log is for congress staff (of their region and below) and system administrators."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    # A county congress's staff are the congress staff of their county.
    staff_roles = {Role.CONGRESS_STAFF, Role.COUNTY_STAFF}
    return user.role in staff_roles and user.organisation_id is not None


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def visible_to(self, user: User) -> AuditEntryQuerySet:
        """Entries recorded in the user's region or the regions below it; everything for
        system administrators; nothing for anyone else."""
        if not can_view_audit(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        assert user.organisation is not None
        regions = Region.objects.filter(user.organisation.region.subtree_q())
        return self.filter(region__in=regions.values("pk"))

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(_("审计记录不能修改。"))

    def delete(self) -> NoReturn:
        raise AppendOnlyError(_("审计记录不能删除。"))


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    # Kept (as NULL) when the account is deleted; ``username`` still says who it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)
    path = models.CharField(_("请求路径"), max_length=500, blank=True)
    summary = models.CharField(_("内容"), max_length=500, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_at"], name="audit_entry_created_idx"),
            models.Index(fields=["region", "created_at"], name="audit_entry_region_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("审计记录不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(_("审计记录不能删除。"))
