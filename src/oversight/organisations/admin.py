from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "code"]
    list_filter = ["kind", "region__level"]
    search_fields = ["name", "code", "region__name"]
    autocomplete_fields = ["region"]
