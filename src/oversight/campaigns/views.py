from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oversight.problems.models import Problem
from oversight.problems.permissions import can_manage
from oversight.problems.stats import CampaignFigures, campaign_figures
from oversight.utilities.http import AuthenticatedRequest

from .models import Campaign
from .scoping import campaign_for

OVERDUE_SHOWN = 20


def home(request: AuthenticatedRequest) -> HttpResponse:
    """Send each role to the page of its daily work."""
    user = request.user
    if user.is_congress_user or user.is_superuser:
        campaigns = list(Campaign.objects.visible_to(user)[:2])
        if len(campaigns) == 1:
            return redirect("campaigns:dashboard", slug=campaigns[0].slug)
        if campaigns:
            return redirect("campaigns:list")
    return redirect("problems:workspace")


def campaign_list(request: AuthenticatedRequest) -> HttpResponse:
    campaigns = Campaign.objects.visible_to(request.user).select_related(
        "region", "congress", "topic"
    )
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


def _completion_chart(figures: CampaignFigures) -> dict[str, Any]:
    """Bars for the dashboard chart: every lead organisation's rate, in percent."""
    groups = figures.by_department + figures.by_congress
    shares = [group.rate.rounded(3) for group in groups]
    return {
        "labels": [group.label for group in groups],
        "rates": [None if share is None else float(share * 100) for share in shares],
        "height": 40 + 28 * len(groups),
    }


def dashboard(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    today = timezone.localdate()
    problems = Problem.objects.in_campaign(campaign, request.user)
    overdue = (
        problems.overdue(today)
        .select_related("assignment__assignee", "region")
        .order_by("assignment__deadline", "number")[:OVERDUE_SHOWN]
    )
    figures = campaign_figures(campaign, problems, today)
    context = {
        "campaign": campaign,
        "figures": figures,
        "chart": _completion_chart(figures),
        "overdue": overdue,
        "can_manage": can_manage(request.user, campaign),
    }
    return render(request, "campaigns/dashboard.html", context)
