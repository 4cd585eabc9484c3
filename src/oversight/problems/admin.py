"""Read-only views of the problem list for administrators.

Problems change only through ``actions`` (which check the rules and write the history), so the
admin shows them but never edits them.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Problem, ProblemEvent, RawReport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProblemEventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    fields = ("created_at", "kind", "actor", "from_status", "to_status", "note", "details")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "campaign", "kind", "status", "rectification_type"]
    list_filter = ["campaign", "status", "kind", "rectification_type"]
    search_fields = ["title", "description"]
    inlines = [ProblemEventInline]


@admin.register(RawReport)
class RawReportAdmin(ReadOnlyAdmin):
    list_display = ["text", "channel", "campaign", "problem", "received_on"]
    list_filter = ["campaign", "channel"]
    search_fields = ["text", "reporter"]
