from django.contrib import admin

from .models import ProblemArea, Topic, UsualDepartment


class ProblemAreaInline(admin.TabularInline):
    model = ProblemArea
    extra = 0


class UsualDepartmentInline(admin.TabularInline):
    model = UsualDepartment
    extra = 0


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "slug"]
    inlines = [ProblemAreaInline, UsualDepartmentInline]
