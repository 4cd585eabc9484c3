"""Forms validate input shape; the rules themselves live in ``actions``."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import NOTE_MAX_LENGTH

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CheckForm(forms.Form):
    checked_on = forms.DateField(label=_("核查日期"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("核查情况"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"null_characters_not_allowed": _("内容含有空字符（\\x00），请删除。")},
    )
    next_check_on = forms.DateField(label=_("下次核查日期"), widget=DATE_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["checked_on"].initial = today
        self.fields["next_check_on"].initial = today + datetime.timedelta(days=30)


SORTS = {
    "next": ("next_check_on", "problem__number"),
    "-next": ("-next_check_on", "problem__number"),
    "number": ("problem__number",),
    "-number": ("-problem__number",),
}


def sort_order(value: str | None) -> tuple[str, tuple[str, ...]]:
    """The requested sort, or the default (next check first) for anything unknown."""
    key = value if value in SORTS else "next"
    return key, SORTS[key]
