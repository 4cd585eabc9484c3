from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class OversightAdminSite(admin.AdminSite):
    """Reference data and accounts, for system administrators only.

    The admin is not scoped by organisation, so no congress or department account may use
    it, whatever its staff flag; their work happens in the application's own pages.
    """

    site_header = _("养老服务联动监督平台 · 管理后台")
    site_title = _("联动监督管理后台")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class OversightAdminConfig(AdminConfig):
    default_site = "oversight.utilities.admin_site.OversightAdminSite"
