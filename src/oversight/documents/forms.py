from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Document

TEXTAREA = {"rows": 8}


class DraftForm(forms.Form):
    """The document's text, field by field; one heading and one text box per part."""

    masthead = forms.CharField(label=_("版头名称"), max_length=200)
    issue_number = forms.CharField(label=_("期号"), max_length=200, required=False)
    issuer = forms.CharField(label=_("编发单位"), max_length=200, required=False)
    date = forms.CharField(label=_("日期"), max_length=200, required=False)
    series = forms.CharField(label=_("专辑/栏目"), max_length=200, required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    lead = forms.CharField(label=_("导语"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        content = document.content
        kwargs.setdefault("initial", {**content})
        super().__init__(*args, **kwargs)
        self.part_count = len(content.get("parts", [])) + 1  # one empty part to add
        for index in range(self.part_count):
            part = (content.get("parts") or [])[index] if index < self.part_count - 1 else {}
            self.fields[f"part_{index}_heading"] = forms.CharField(
                label=_("第%(n)d部分标题") % {"n": index + 1},
                max_length=200,
                required=False,
                initial=part.get("heading", ""),
            )
            self.fields[f"part_{index}_text"] = forms.CharField(
                label=_("第%(n)d部分正文（每段一行）") % {"n": index + 1},
                required=False,
                initial=part.get("text", ""),
                widget=forms.Textarea(TEXTAREA),
            )
        self.fields["closing"] = forms.CharField(
            label=_("供稿/落款"), required=False, initial=content.get("closing", "")
        )
        self.fields["distribution"] = forms.CharField(
            label=_("报送发（每行一项）"),
            required=False,
            initial=content.get("distribution", ""),
            widget=forms.Textarea({"rows": 4}),
        )

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ("masthead", "issue_number", "issuer", "date", "series", "title", "lead")
        content: dict[str, Any] = {key: data.get(key, "") for key in keys}
        content["closing"] = data.get("closing", "")
        content["distribution"] = data.get("distribution", "")
        content["parts"] = [
            {"heading": data.get(f"part_{i}_heading", ""), "text": data.get(f"part_{i}_text", "")}
            for i in range(self.part_count)
        ]
        return content


class NoticeForm(forms.Form):
    week_ending = forms.DateField(
        label=_("通报周截止日（星期日）"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, latest: datetime.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"week_ending": latest})
        super().__init__(*args, **kwargs)
