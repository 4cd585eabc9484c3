"""Who may change what. Visibility itself lives in the ``visible_to`` queryset methods;
running meetings, inquiries and opinions is ``problems.permissions.can_manage``'s."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import ItemStatus, OpinionItem

if TYPE_CHECKING:
    from oversight.accounts.models import User


def is_responsible(user: User, item: OpinionItem) -> bool:
    """The responsible organisation's liaison (or county staff) answers for the item."""
    return user.is_assignee_user and user.organisation_id == item.responsible_id


def can_answer(user: User, item: OpinionItem) -> bool:
    """Whether the item page offers the answer form; the action checks again anyway."""
    return is_responsible(user, item) and item.status == ItemStatus.OPEN
