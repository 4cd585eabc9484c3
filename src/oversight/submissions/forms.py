"""Forms check the shape of the input; the rules live in ``actions`` (and ``captcha``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.problems.forms import TEXT_ERRORS, DateInput
from oversight.regions.models import Region
from oversight.topics.models import ProblemArea
from oversight.utilities.forms import PleaseChooseMixin

from . import captcha
from .actions import NAME_MAX_LENGTH, departments_for
from .models import REPLY_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Kind
from .validators import normalise_phone


def _text(label: Any, *, rows: int = 5, limit: int = TEXT_MAX_LENGTH, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=TEXT_ERRORS,
        **kwargs,
    )


class _CampaignChoices(PleaseChooseMixin, forms.Form):
    """Region and area choices of one campaign: its regions, its topic's areas."""

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = campaign.regions().order_by("code")  # type: ignore[attr-defined]
        self.fields["area"].queryset = ProblemArea.objects.filter(  # type: ignore[attr-defined]
            topic=campaign.topic
        )


class SuggestionForm(_CampaignChoices):
    kind = forms.ChoiceField(
        label=_("类别"),
        choices=[(Kind.SUGGESTION, Kind.SUGGESTION.label), (Kind.PROBLEM, Kind.PROBLEM.label)],
        widget=forms.RadioSelect,
        initial=Kind.SUGGESTION,
    )
    title = forms.CharField(
        label=_("标题"), max_length=TITLE_MAX_LENGTH, error_messages=TEXT_ERRORS
    )
    text = _text(_("建议或问题的内容"), rows=8)
    region = forms.ModelChoiceField(label=_("涉及地区"), queryset=Region.objects.none())
    area = forms.ModelChoiceField(
        label=_("问题领域"), queryset=ProblemArea.objects.none(), required=False
    )


class PublicReportForm(_CampaignChoices):
    text = _text(_("反映的问题"), rows=6)
    region = forms.ModelChoiceField(
        label=_("涉及地区"), queryset=Region.objects.none(), required=False
    )
    area = forms.ModelChoiceField(
        label=_("问题领域"), queryset=ProblemArea.objects.none(), required=False
    )
    name = forms.CharField(
        label=_("姓名（可不填，匿名反映）"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        error_messages=TEXT_ERRORS,
    )
    phone = forms.CharField(
        label=_("联系电话（可不填）"),
        max_length=20,
        required=False,
        help_text=_("只供人大工作人员核实情况，不会公开。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages=TEXT_ERRORS,
    )
    captcha_answer = forms.CharField(
        label=_("验证问题"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages=TEXT_ERRORS,
    )
    captcha_token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    # A field people never see (hidden by a class, skipped by the keyboard) and bots fill in.
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, question: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["captcha_answer"].label = _("验证问题：%(question)s") % {"question": question}

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data.get("phone", ""))
        except ValidationError as error:
            raise ValidationError(error.message_dict["phone"]) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise ValidationError(_("提交未通过校验，请重新填写。"), code="honeypot")
        if "captcha_answer" in cleaned and "captcha_token" in cleaned:
            try:
                captcha.check(cleaned["captcha_token"], cleaned["captcha_answer"])
            except ValidationError as error:
                self.add_error("captcha_answer", error)
        return cleaned


class TrackingLookupForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages=TEXT_ERRORS,
    )


class ReplyForm(forms.Form):
    text = _text(_("公开答复"), rows=5, limit=REPLY_MAX_LENGTH)


class SubmissionFilterForm(forms.Form):
    STATES = [
        ("", _("全部")),
        ("unmerged", _("待归并")),
        ("merged", _("已归并")),
        ("unreplied", _("未答复")),
        ("replied", _("已答复")),
    ]
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部")), *Kind.choices], required=False
    )
    state = forms.ChoiceField(label=_("办理情况"), choices=STATES, required=False)
    q = forms.CharField(label=_("关键词"), max_length=50, required=False)


class ProjectForm(PleaseChooseMixin, forms.Form):
    title = forms.CharField(
        label=_("项目名称"), max_length=TITLE_MAX_LENGTH, error_messages=TEXT_ERRORS
    )
    department = forms.ModelChoiceField(label=_("责任单位"), queryset=Region.objects.none())
    target = forms.CharField(label=_("目标任务"), max_length=200, error_messages=TEXT_ERRORS)
    target_quantity = forms.IntegerField(
        label=_("目标数量"), min_value=1, max_value=10**9, required=False
    )
    unit = forms.CharField(label=_("计量单位"), max_length=10, required=False)
    deadline = forms.DateField(label=_("完成时限"), widget=DateInput())

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_for(campaign)  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label=_("日期"), widget=DateInput())
    text = _text(_("进展情况"), rows=4)
    achieved_quantity = forms.IntegerField(
        label=_("累计完成数量"), min_value=0, max_value=10**9, required=False
    )
    funds_wan_yuan = forms.DecimalField(
        label=_("累计落实资金（万元）"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    completed = forms.BooleanField(label=_("项目已完成"), required=False)
