from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["username", "full_name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("联动监督"), {"fields": ("full_name", "organisation", "role")}),
    )
