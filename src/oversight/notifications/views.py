"""A user's own reminders; anyone else's are not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight.utilities.http import AuthenticatedRequest

from . import actions
from .models import Notification

PAGE_SIZE = 50


def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=request.user).select_related("problem")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page, "query": ""})


@require_POST
def mark_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    actions.mark_read(actor=request.user, notification=notification)
    return redirect("notifications:list")


@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = actions.mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(count)d 条提醒标为已读。") % {"count": count})
    return redirect("notifications:list")
