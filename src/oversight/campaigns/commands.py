"""Shared by the management commands that take a campaign's slug (stats, evaluation …)."""

from django.core.management.base import CommandError

from .models import Campaign


def campaign_named(slug: str) -> Campaign:
    """The campaign a command names; otherwise a CommandError listing the known ones."""
    try:
        return Campaign.objects.get(slug=slug)
    except Campaign.DoesNotExist:
        known = ", ".join(Campaign.objects.values_list("slug", flat=True)) or "（无）"
        raise CommandError(f"没有标识为 {slug!r} 的联动监督。现有：{known}") from None
