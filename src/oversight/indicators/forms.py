from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.regions.models import Region
from oversight.topics.models import Topic
from oversight.utilities.forms import PLEASE_CHOOSE, PleaseChooseMixin

from . import periods
from .actions import ValueSpec
from .catalogue import catalogue
from .models import Source


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class ValueForm(PleaseChooseMixin, forms.Form):
    """One entered indicator value of one region; the rules are ``actions.check_value``."""

    indicator = forms.ChoiceField(label=_("指标"))
    period = forms.CharField(
        label=_("期间"), max_length=20, help_text=_("年度如 2024，季度如 2024Q3。")
    )
    value = forms.DecimalField(label=_("数值"), max_digits=16, decimal_places=4)
    source = forms.ChoiceField(label=_("来源"), choices=[("", ""), *Source.choices])
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    is_illustrative = forms.BooleanField(
        label=_("示意数据"),
        required=False,
        help_text=_("简报只给出总数，本值为据此编写的示意分解。"),
    )

    def __init__(self, *args: Any, topic: Topic, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        entered = [
            (indicator.code, f"{indicator.name}（{indicator.unit}）")
            for indicator in catalogue(topic.slug).values()
            if indicator.obtained == "entered"
        ]
        self.fields["indicator"].choices = [("", PLEASE_CHOOSE), *entered]  # type: ignore[attr-defined]

    def clean_period(self) -> str:
        return periods.normalise(self.cleaned_data["period"])

    def spec(self) -> ValueSpec:
        data = self.cleaned_data
        return ValueSpec(
            indicator=data["indicator"],
            region=self.region,
            period=data["period"],
            value=data["value"],
            source=data["source"],
            is_illustrative=data["is_illustrative"],
            note=data["note"],
        )
