"""Presentation helpers shared by every page."""

import datetime
from typing import Any

from django import template
from django.forms import BoundField
from django.http import QueryDict
from django.utils.safestring import SafeString

register = template.Library()

SELECTS = {"select", "selectmultiple"}
PLAIN = {"checkbox", "radioselect", "checkboxselectmultiple"}


@register.filter
def styled(field: BoundField) -> SafeString:
    """Render a form field with Bootstrap's classes, marked invalid when it has errors."""
    widget = field.widget_type
    if widget in PLAIN:
        return SafeString(str(field))
    css = "form-select" if widget in SELECTS else "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.simple_tag
def query_with(query: str, **params: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    merged = QueryDict(query, mutable=True)
    for key, value in params.items():
        merged[key] = value
    return merged.urlencode()


@register.filter
def minutes(duration: datetime.timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (a lockout of 29.5 minutes reads 30)."""
    if duration is None:
        return 0
    return -(-int(duration.total_seconds()) // 60)
