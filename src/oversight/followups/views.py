"""Thin views: find the object through the scoping querysets (404 outside scope), validate
the form, call one action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.campaigns.scoping import campaign_for
from oversight.problems.models import Status
from oversight.problems.permissions import can_manage
from oversight.utilities.http import AuthenticatedRequest

from . import actions
from .forms import CheckForm, sort_order
from .models import FollowUp

PAGE_SIZE = 50


def follow_up_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The campaign's follow-up list: its unfinished problems after the period ended."""
    campaign = campaign_for(request, slug)
    sort, order = sort_order(request.GET.get("sort"))
    today = timezone.localdate()
    rows = (
        FollowUp.objects.on_list()
        .in_campaign(campaign, request.user)
        .annotate(
            late=Case(
                When(next_check_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("problem__region", "problem__assignment__assignee")
        .order_by(*order)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "page": page,
        "sort": sort,
        "query": f"sort={sort}",
        "ended": campaign.ends_on < today,
        "can_manage": can_manage(request.user, campaign),
    }
    return render(request, "followups/follow_up_list.html", context)


def follow_up_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One followed-up problem: its checks, and the form to record the next one."""
    follow_ups = FollowUp.objects.visible_to(request.user).select_related(
        "problem__campaign__congress", "problem__region", "problem__assignment__assignee"
    )
    follow_up = get_object_or_404(follow_ups, pk=pk)
    problem = follow_up.problem
    may_record = can_manage(request.user, problem.campaign) and problem.status != Status.COMPLETED
    form = CheckForm()
    status = 200
    if request.method == "POST" and may_record:
        form = CheckForm(request.POST)
        if form.is_valid():
            try:
                actions.record_check(actor=request.user, follow_up=follow_up, **form.cleaned_data)
            except ValidationError as error:
                _attach_errors(form, error)
            else:
                messages.success(request, _("核查情况已记录。"))
                return redirect("followups:detail", pk=follow_up.pk)
        status = 400
    elif request.method == "POST":
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以记录跟踪核查。"))
    context = {
        "follow_up": follow_up,
        "problem": problem,
        "checks": follow_up.checks.select_related("recorded_by"),
        "form": form if may_record else None,
        "on_list": problem.status != Status.COMPLETED,
        "late": follow_up.is_check_overdue,
    }
    return render(request, "followups/follow_up_detail.html", context, status=status)


def _attach_errors(form: CheckForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
