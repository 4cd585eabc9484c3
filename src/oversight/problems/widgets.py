"""A search-as-you-type picker for one problem of a campaign.

A select box with every problem as an ``<option>`` grows with the campaign (tens of thousands
at province scale); the picker renders only the chosen problem and asks the server, as the
user types, for the few that match (``views.problem_lookup``).
"""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Problem


class ProblemPicker(forms.Widget):
    template_name = "problems/widgets/problem_picker.html"

    def __init__(self, lookup_url: str = "", campaign_id: int = 0) -> None:
        super().__init__()
        self.lookup_url = lookup_url
        self.campaign_id = campaign_id

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = None
        if value not in (None, "") and str(value).isdecimal() and len(str(value)) < 19:
            chosen = Problem.objects.filter(pk=int(value), campaign_id=self.campaign_id).first()
        context["widget"].update({"lookup_url": self.lookup_url, "chosen": chosen})
        return context
