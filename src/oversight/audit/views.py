from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from oversight.utilities.http import AuthenticatedRequest

from .filtersets import AuditEntryFilterSet
from .models import AuditEntry, can_view_audit

PAGE_SIZE = 50


def entry_list(request: AuthenticatedRequest) -> HttpResponse:
    """The log of the user's region and the regions below it, newest first."""
    # Not found rather than forbidden: the page's existence is not told to those it is not for.
    if not can_view_audit(request.user):
        raise Http404
    entries = AuditEntry.objects.visible_to(request.user)
    filterset = AuditEntryFilterSet(request.GET or None, queryset=entries)
    rows = filterset.qs if filterset.is_bound else entries
    rows = rows.select_related("organisation", "region")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode()}
    # A bad filter is a bad request, explained on the page, as on the problem list.
    invalid = filterset.is_bound and not filterset.is_valid()
    return render(request, "audit/entry_list.html", context, status=400 if invalid else 200)
