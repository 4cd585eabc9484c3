from typing import Any

from django import template

from oversight.audit import models

register = template.Library()


@register.filter
def can_view_audit(user: Any) -> bool:
    """Whether to show the audit log in the menu (anonymous visitors never see it)."""
    return bool(user.is_authenticated) and models.can_view_audit(user)
