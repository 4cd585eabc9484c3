from typing import Any

from django import template

from oversight.campaigns.models import Campaign
from oversight.problems.models import Kind, Status
from oversight.problems.permissions import can_manage
from oversight.regions.models import Level

register = template.Library()

STATUS_STYLES: dict[str, str] = {
    Status.PENDING: "text-bg-secondary",
    Status.ASSIGNED: "text-bg-info",
    Status.IN_PROGRESS: "text-bg-warning",
    Status.COMPLETION_REQUESTED: "text-bg-primary",
    Status.COMPLETED: "text-bg-success",
}


@register.filter
def status_style(status: str) -> str:
    return STATUS_STYLES.get(status, "text-bg-light")


@register.filter
def status_label(status: str) -> str:
    return str(Status(status).label)


@register.filter
def kind_label(kind: str) -> str:
    return str(Kind(kind).label)


@register.filter
def level_label(level: str) -> str:
    return str(Level(level).label)


@register.filter
def managed_by(campaign: Campaign, user: Any) -> bool:
    """Whether ``user`` runs the campaign (its congress's staff): the campaign header shows
    the staff's links on every page, whatever the page's view passed."""
    return user.is_authenticated and can_manage(user, campaign)
