from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "problem", "day", "read_at", "emailed_at"]
    list_filter = ["kind", "day"]
    list_select_related = ["recipient", "problem"]
    readonly_fields = ["recipient", "kind", "problem", "text", "day", "created", "read_at"]
