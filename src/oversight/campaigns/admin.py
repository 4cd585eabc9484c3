from django.contrib import admin

from .models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "congress", "region", "starts_on", "ends_on"]
    list_filter = ["topic", "region__level"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["region", "congress", "parent"]
