from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oversight.indicators import periods
from oversight.indicators.catalogue import Indicator
from oversight.regions.models import Region
from oversight.utilities.forms import PLEASE_CHOOSE

from .reading import EXTENSIONS, MAX_CHARS


class ExtractionForm(forms.Form):
    """A bulletin pasted or uploaded; one of the two."""

    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        required=False,
        help_text=_("如“鹤壁市联动监督专辑（四十七）”；上传文件时默认取文件名。"),
    )
    text = forms.CharField(
        label=_("粘贴简报正文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_CHARS,
        required=False,
    )
    file = forms.FileField(
        label=_("或上传简报文件"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
        help_text=_("支持 %(kinds)s 文件，不超过 5 MB。") % {"kinds": "、".join(EXTENSIONS)},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_text = bool((data.get("text") or "").strip())
        if "file" in self.errors:
            return data  # the file's own error says it (空文件, too long a name)
        if has_text == bool(data.get("file")):
            raise forms.ValidationError(_("请粘贴正文或上传文件（二选一）。"), code="one_of")
        return data


class AcceptForm(forms.Form):
    """The indicator, region and period a candidate becomes the value of."""

    indicator = forms.ChoiceField(label=_("指标"))
    region = forms.ModelChoiceField(label=_("地区"), queryset=Region.objects.none())
    period = forms.CharField(label=_("期间"), max_length=20)
    replace = forms.BooleanField(label=_("替换已有数值"), required=False)

    def __init__(
        self,
        *args: Any,
        indicators: Sequence[Indicator],
        regions: QuerySet[Region],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(i.code, f"{i.name}（{i.unit}）") for i in indicators]
        self.fields["indicator"].choices = [("", PLEASE_CHOOSE), *choices]  # type: ignore[attr-defined]
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions
        region_field.empty_label = None

    def clean_period(self) -> str:
        return periods.normalise(self.cleaned_data["period"])
