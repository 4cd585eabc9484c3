"""One form per proposed group; the rules live in ``actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.problems.forms import TEXT_ERRORS
from oversight.problems.models import Kind
from oversight.regions.models import Region
from oversight.topics.models import ProblemArea
from oversight.utilities.forms import PleaseChooseMixin

from . import engine


class ThresholdForm(forms.Form):
    threshold = forms.FloatField(
        label=_("相似度阈值"),
        min_value=engine.MIN_THRESHOLD,
        max_value=engine.MAX_THRESHOLD,
        required=False,
        widget=forms.NumberInput(
            attrs={
                "type": "range",
                "step": "0.01",
                "min": engine.MIN_THRESHOLD,
                "max": engine.MAX_THRESHOLD,
                "class": "form-range",
            }
        ),
        help_text=_("越低提出的组越多越大，越高越保守。"),
    )

    def value(self) -> float:
        if self.is_valid() and self.cleaned_data["threshold"] is not None:
            return round(float(self.cleaned_data["threshold"]), 2)
        return engine.DEFAULT_THRESHOLD


class ConfirmForm(PleaseChooseMixin, forms.Form):
    """The new problem a confirmed group becomes, prefilled from the group."""

    title = forms.CharField(label=_("问题"), max_length=100, error_messages=TEXT_ERRORS)
    kind = forms.ChoiceField(label=_("问题类别"), choices=Kind.choices)
    region = forms.ModelChoiceField(label=_("涉及地区"), queryset=Region.objects.none())
    area = forms.ModelChoiceField(
        label=_("问题领域"), queryset=ProblemArea.objects.none(), required=False
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["region"].queryset = campaign.regions()
        fields["area"].queryset = campaign.topic.areas.all()


def share_choices(forms_: list[ConfirmForm]) -> None:
    """Every card's form lists the same regions and areas: read them once for the page,
    not once per card."""
    if not forms_:
        return
    for name in ("region", "area"):
        choices = list(forms_[0].fields[name].choices)  # type: ignore[attr-defined]
        for form in forms_:
            form.fields[name].choices = choices  # type: ignore[attr-defined]
