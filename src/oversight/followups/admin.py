from django.contrib import admin

from .models import FollowUp, FollowUpCheck


class CheckInline(admin.TabularInline):
    model = FollowUpCheck
    extra = 0
    readonly_fields = ["checked_on", "note", "next_check_on", "recorded_by", "created_at"]
    can_delete = False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["problem", "started_on", "next_check_on", "last_checked_on"]
    list_select_related = ["problem"]
    readonly_fields = ["problem", "started_on", "next_check_on", "last_checked_on"]
    inlines = [CheckInline]
