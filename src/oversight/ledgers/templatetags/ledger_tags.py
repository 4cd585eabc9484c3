"""The workspace's links to the ledgers of the campaigns the user's organisation answers in."""

from __future__ import annotations

from typing import Any

from django import template

from oversight.campaigns.models import Campaign
from oversight.problems.models import Problem

from ..scope import answers_for_problems

register = template.Library()


@register.inclusion_tag("ledgers/_workspace_links.html", takes_context=True)
def ledger_links(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    campaigns: list[Campaign] = []
    if answers_for_problems(user):
        handled = Problem.objects.workload_of(user).values("campaign_id")
        campaigns = list(Campaign.objects.filter(pk__in=handled).order_by("-starts_on", "pk"))
    return {"campaigns": campaigns}
