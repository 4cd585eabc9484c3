from typing import Any

from django import template

register = template.Library()


@register.filter
def cell(value: Any) -> str:
    """A value inside a ``| … |`` table line of a draft: a bar of its own would split the
    cell, so it becomes the full-width bar, which reads the same in Chinese text."""
    return str(value).replace("|", "｜").replace("\n", " ")
