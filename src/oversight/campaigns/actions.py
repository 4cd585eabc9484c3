"""Campaigns change only through these functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.models import Organisation

from .models import Campaign

if TYPE_CHECKING:
    from oversight.accounts.models import User


def child_campaign_name(congress: Organisation) -> str:
    return _("%(region)s联动监督") % {"region": congress.region.name}


def ensure_child_campaign(parent: Campaign, congress: Organisation) -> Campaign:
    """The campaign of ``congress`` directly below ``parent``: the one there, or a new one
    named after the congress's region (e.g. 汝南县联动监督), same topic and period.

    Called inside the caller's transaction (assigning down, or staff opening it ahead)."""
    if congress.kind != OrganisationKind.CONGRESS or congress.region.parent_id != parent.region_id:
        raise ValidationError(_("下级联动监督须由下一级人大常委会组织。"), code="child_congress")
    existing = parent.children.filter(congress=congress).order_by("pk").first()
    if existing is not None:
        return existing
    return Campaign.objects.create(
        slug=f"{parent.slug}-{congress.region.code}"[:50],
        name=child_campaign_name(congress),
        topic_id=parent.topic_id,
        congress=congress,
        region=congress.region,
        starts_on=parent.starts_on,
        ends_on=parent.ends_on,
        parent=parent,
        source=parent.source,
        is_illustrative=parent.is_illustrative,
    )


@transaction.atomic
def open_child_campaign(*, actor: User, parent: Campaign, congress: Organisation) -> Campaign:
    """Staff of the upper campaign open a lower congress's campaign before assigning to it."""
    from oversight.problems.permissions import can_manage

    if not can_manage(actor, parent):
        raise PermissionDenied(_("只有组织本次联动监督的人大工作人员可以执行此操作。"))
    parent = Campaign.objects.select_for_update().get(pk=parent.pk)
    return ensure_child_campaign(parent, congress)
