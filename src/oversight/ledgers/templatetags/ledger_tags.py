"""The workspace's links to the ledgers of the campaigns the user's organisation answers in."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Exists, OuterRef, Q

from oversight.campaigns.models import Campaign
from oversight.problems.models import Problem
from oversight.regions.models import Region

from ..scope import answers_for_problems

register = template.Library()


@register.inclusion_tag("ledgers/_workspace_links.html", takes_context=True)
def ledger_links(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    campaigns: list[Campaign] = []
    if answers_for_problems(user):
        # Only campaigns of the organisation's region or above assign to it: each is asked
        # whether it holds a problem the organisation leads (co-departments fill in no
        # ledger), which stops at the first it finds.
        organisation = user.organisation
        region = organisation.region_id
        lineage = Region.objects.filter(
            Q(pk=region) | Q(children=region) | Q(children__children=region)
        ).values("pk")
        handled = Problem.objects.filter(assignment__assignee=organisation, campaign=OuterRef("pk"))
        campaigns = list(
            Campaign.objects.filter(Exists(handled), region__in=lineage).order_by(
                "-starts_on", "pk"
            )
        )
    return {"campaigns": campaigns}
