"""Who may enter figures for a region. What a user may see is ``models.scope_q``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oversight.accounts.models import Role
from oversight.regions.models import Region

if TYPE_CHECKING:
    from oversight.accounts.models import User

ENTRY_ROLES = frozenset({Role.CONGRESS_STAFF, Role.COUNTY_STAFF})


def enterable_regions(user: User) -> set[int]:
    """Ids of the regions whose values and facilities ``user`` may enter or import: congress
    staff for their own region and the regions below it (members only read)."""
    if user.is_superuser:
        return set(Region.objects.values_list("pk", flat=True))
    if user.role not in ENTRY_ROLES or user.organisation is None:
        return set()
    region = user.organisation.region
    return set(Region.objects.filter(region.subtree_q()).values_list("pk", flat=True))


def can_enter(user: User, region: Region) -> bool:
    return region.pk in enterable_regions(user)
