"""Forms read the input's shape; whether an answer may be taken is decided by ``actions``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .actions import (
    DESCRIPTION_MAX_LENGTH,
    OPTION_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    SCALE_LIMITS,
    TEXT_ANSWER_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AnswerValue,
    region_choices,
)
from .models import Question, QuestionKind, Questionnaire

HONEYPOT = "website"
# Option numbers typed on the offline form: "1 4 7", "1,4,7", "1、4、7".
NUMBER_SEPARATORS = re.compile(r"[\s,，、;；.。]+")


class QuestionnaireForm(forms.Form):
    title = forms.CharField(
        label=_("问卷标题"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("请填写问卷标题。")},
    )
    description = forms.CharField(
        label=_("问卷说明"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("显示在问卷开头，例如调查目的、填写须知。"),
    )
    allow_repeat = forms.BooleanField(label=_("允许同一浏览器多次填写"), required=False)


class SettingsForm(forms.Form):
    allow_repeat = forms.BooleanField(label=_("允许同一浏览器多次填写"), required=False)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(
        label=_("题目"),
        max_length=QUESTION_MAX_LENGTH,
        error_messages={"required": _("请填写题目。")},
    )
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    options = forms.CharField(
        label=_("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("单选题、多选题填写，每行一个选项。地区题的选项为本次监督的行政区划。"),
    )
    max_choices = forms.IntegerField(
        label=_("最多选几项"),
        required=False,
        min_value=1,
        help_text=_("多选题填写，例如“最多选 5 项”；不填表示不限。"),
    )
    scale_max = forms.IntegerField(
        label=_("评分最高分"),
        required=False,
        min_value=SCALE_LIMITS[0],
        max_value=SCALE_LIMITS[1],
        help_text=_("评分题填写，从 1 分到最高分，默认 5 分。"),
    )

    def clean_options(self) -> list[str]:
        lines = self.cleaned_data["options"].splitlines()
        if any(len(line.strip()) > OPTION_MAX_LENGTH for line in lines):
            raise forms.ValidationError(
                gettext("每个选项不能超过 %(n)s 个字。") % {"n": OPTION_MAX_LENGTH}
            )
        return [line.strip() for line in lines if line.strip()]

    def action_arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class _AnswersForm(forms.Form):
    """A field ``q<id>`` per question of the questionnaire, in order."""

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.questions = list(questionnaire.questions.prefetch_related("options"))
        self.regions = (
            list(region_choices(questionnaire.campaign))
            if any(q.kind == QuestionKind.REGION for q in self.questions)
            else []
        )
        for question in self.questions:
            self.fields[question.field_name] = self.field_for(question)

    def field_for(self, question: Question) -> forms.Field:
        raise NotImplementedError

    def items(self) -> Iterator[tuple[Question, forms.BoundField]]:
        for question in self.questions:
            yield question, self[question.field_name]

    def answers(self) -> dict[int, AnswerValue]:
        return {q.pk: self.cleaned_data.get(q.field_name) for q in self.questions}


class AnswerForm(_AnswersForm):
    """The public page: radio buttons, check boxes, a list of regions, a text box.
    ``website`` is a honeypot: hidden from people, filled in by form-filling robots."""

    website = forms.CharField(required=False, label=_("网址（请勿填写）"))

    def field_for(self, question: Question) -> forms.Field:
        options = [(o.pk, o.text) for o in question.options.all()]
        label = question.text
        if question.kind == QuestionKind.SINGLE:
            return forms.Field(
                label=label, required=False, widget=forms.RadioSelect(choices=options)
            )
        if question.kind == QuestionKind.MULTIPLE:
            widget = forms.CheckboxSelectMultiple(choices=options)
            if question.max_choices:
                widget.attrs["data-max-choices"] = question.max_choices
            return forms.Field(label=label, required=False, widget=widget)
        if question.kind == QuestionKind.RATING:
            scale = [(point, str(point)) for point in question.scale]
            return forms.Field(label=label, required=False, widget=forms.RadioSelect(choices=scale))
        if question.kind == QuestionKind.REGION:
            regions = [("", gettext("请选择")), *((r.pk, r.name) for r in self.regions)]
            return forms.Field(label=label, required=False, widget=forms.Select(choices=regions))
        textarea = forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_ANSWER_MAX_LENGTH})
        # No length check here: the action refuses an oversize text with its own message.
        return forms.CharField(label=label, required=False, strip=False, widget=textarea)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT):
            raise forms.ValidationError(
                gettext("提交未被接受：页面中隐藏的“网址”栏被填写了，请刷新页面后重新填写。"),
                code="honeypot",
            )
        return cleaned


class OfflineEntryForm(_AnswersForm):
    """Typing in paper questionnaires: one text box per question, options by number
    ("3", or "1 4 7" for a multiple choice), so that staff never leave the keyboard."""

    def field_for(self, question: Question) -> forms.Field:
        attrs = {"autocomplete": "off"}
        if question.kind != QuestionKind.TEXT:
            attrs["inputmode"] = "numeric"
        max_length = TEXT_ANSWER_MAX_LENGTH * 2 if question.kind == QuestionKind.TEXT else 200
        return forms.CharField(
            label=question.text,
            required=False,
            max_length=max_length,
            widget=forms.TextInput(attrs=attrs),
        )

    def numbered_choices(self, question: Question) -> list[tuple[int, str]]:
        """What each typed number stands for: (id, text), numbered from 1."""
        if question.kind == QuestionKind.REGION:
            return [(region.pk, region.name) for region in self.regions]
        return [(option.pk, option.text) for option in question.options.all()]

    def _pick(self, question: Question, typed: str) -> int:
        choices = self.numbered_choices(question)
        if not typed.isdecimal() or not 1 <= int(typed) <= len(choices):
            raise forms.ValidationError(
                gettext("没有编号为“%(typed)s”的选项（可填 1–%(n)s）。")
                % {"typed": typed, "n": len(choices)}
            )
        return choices[int(typed) - 1][0]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            name = question.field_name
            typed = (cleaned.get(name) or "").strip()
            if question.kind == QuestionKind.TEXT or not typed:
                continue
            try:
                if question.kind == QuestionKind.MULTIPLE:
                    parts = [part for part in NUMBER_SEPARATORS.split(typed) if part]
                    cleaned[name] = [self._pick(question, part) for part in parts]
                elif question.kind == QuestionKind.RATING:
                    cleaned[name] = int(typed) if typed.isdecimal() else -1
                else:
                    cleaned[name] = self._pick(question, typed)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned
