from django import template

from oversight.meetings.models import ItemStatus

register = template.Library()

ITEM_STATUS_STYLES: dict[str, str] = {
    ItemStatus.OPEN: "text-bg-warning",
    ItemStatus.ANSWERED: "text-bg-primary",
    ItemStatus.CLOSED: "text-bg-success",
}


@register.filter
def item_status_style(status: str) -> str:
    return ITEM_STATUS_STYLES.get(status, "text-bg-light")
