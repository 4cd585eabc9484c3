"""Forms validate input shape; the rules themselves live in ``actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.models import Organisation
from oversight.problems.forms import TEXT_ERRORS, DateInput, EvidenceField, long_text
from oversight.problems.models import Kind, Problem
from oversight.topics.models import MeetingKind, ProblemArea
from oversight.utilities.forms import PleaseChooseMixin

from .models import INQUIRY_KIND, InquirySession, ItemStatus, Meeting, Respondent

SORTS = {"date": ("held_on", "pk"), "-date": ("-held_on", "-pk")}


def _organisations_of(campaign: Campaign) -> Any:
    """The campaign's congress and government departments, and the congresses below."""
    return Organisation.objects.filter(
        Q(region=campaign.region)
        | Q(region__parent=campaign.region, kind=OrganisationKind.CONGRESS)
    ).select_related("region")


def _departments_of(campaign: Campaign) -> Any:
    return Organisation.objects.filter(region=campaign.region, kind=OrganisationKind.DEPARTMENT)


class MeetingForm(PleaseChooseMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("会议类型"), queryset=MeetingKind.objects.none())
    title = forms.CharField(label=_("会议名称"), max_length=100, error_messages=TEXT_ERRORS)
    held_on = forms.DateField(label=_("会议日期"), widget=DateInput())
    date_is_illustrative = forms.BooleanField(label=_("日期为示意"), required=False)
    place = forms.CharField(
        label=_("会议地点"), max_length=100, required=False, error_messages=TEXT_ERRORS
    )
    chair = forms.CharField(
        label=_("主持人"), max_length=100, required=False, error_messages=TEXT_ERRORS
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("出席人员"), queryset=User.objects.none(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("参会单位"), queryset=Organisation.objects.none(), required=False
    )
    problems = forms.ModelMultipleChoiceField(
        label=_("研究的问题"), queryset=Problem.objects.none(), required=False
    )
    minutes = long_text(_("会议纪要"), rows=8, required=False)
    attachments = EvidenceField(label=_("会议材料"))

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["kind"].queryset = campaign.topic.meeting_kinds.all()
        organisations = _organisations_of(campaign)
        fields["attendees"].queryset = User.objects.filter(
            organisation__in=organisations.values("pk"), is_active=True
        ).order_by("organisation", "username")
        fields["organisations"].queryset = organisations
        fields["problems"].queryset = campaign.problems.all()
        for name in ("attendees", "organisations", "problems"):
            fields[name].widget.attrs["size"] = 8


class QuestionToProblemForm(PleaseChooseMixin, forms.Form):
    title = forms.CharField(
        label=_("问题"), max_length=100, required=False, error_messages=TEXT_ERRORS
    )
    kind = forms.ChoiceField(label=_("问题类别"), choices=Kind.choices, initial=Kind.COMMON)
    area = forms.ModelChoiceField(
        label=_("问题领域"), queryset=ProblemArea.objects.none(), required=False
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area: Any = self.fields["area"]
        area.queryset = campaign.topic.areas.all()
        # The inquiry page renders this form under every question: choices read once, not
        # once per question (validation still looks the value up in the queryset).
        area.widget.choices = list(area.choices)


class AnswerForm(forms.Form):
    text = long_text(_("整改落实情况"), rows=4)
    responded_on = forms.DateField(label=_("答复日期"), widget=DateInput(), required=False)
    evidence = EvidenceField()


class ReviewForm(forms.Form):
    CLOSE = "close"
    RETURN = "return"
    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[(CLOSE, _("销号")), (RETURN, _("退回继续办理"))],
        widget=forms.RadioSelect,
        initial=CLOSE,
    )
    note = long_text(
        _("说明"), required=False, help_text=_("退回时必须说明理由，会记入事项办理记录。")
    )


class ItemFilterForm(PleaseChooseMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", ""), *ItemStatus.choices], required=False
    )
    responsible = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Organisation.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("仅看逾期"), required=False)

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["responsible"].queryset = _organisations_of(campaign)  # type: ignore[attr-defined]
        else:
            del self.fields["responsible"]


# --- staff's entry forms for inquiries and opinions ----------------------------------------


def _meetings_of(campaign: Campaign) -> Any:
    return Meeting.objects.filter(campaign=campaign).select_related("kind")


def _multiple(label: Any) -> forms.ModelMultipleChoiceField[Problem]:
    field = forms.ModelMultipleChoiceField(
        label=label, queryset=Problem.objects.none(), required=False
    )
    field.widget.attrs["size"] = 8
    return field


class InquiryForm(PleaseChooseMixin, forms.Form):
    title = forms.CharField(label=_("询问主题"), max_length=100, error_messages=TEXT_ERRORS)
    held_on = forms.DateField(label=_("询问日期"), widget=DateInput())
    meeting = forms.ModelChoiceField(
        label=_("所属会议"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("可选：本次联动监督中登记的专题询问会。"),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _meetings_of(campaign).filter(  # type: ignore[attr-defined]
            kind__code=INQUIRY_KIND
        )


class RespondentForm(PleaseChooseMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("单位"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("职务"), max_length=50, error_messages=TEXT_ERRORS)
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages=TEXT_ERRORS)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _departments_of(campaign)  # type: ignore[attr-defined]


class QuestionForm(PleaseChooseMixin, forms.Form):
    asker = forms.ModelChoiceField(
        label=_("询问人（账号）"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("本级人大常委会组成人员；没有账号的，只填写下面的询问人姓名。"),
    )
    asker_name = forms.CharField(
        label=_("询问人"),
        max_length=50,
        required=False,
        error_messages=TEXT_ERRORS,
        help_text=_("留空时使用所选账号的姓名。"),
    )
    organisation = forms.ModelChoiceField(
        label=_("被询问单位"), queryset=Organisation.objects.none()
    )
    subject = forms.CharField(label=_("询问要点"), max_length=100, error_messages=TEXT_ERRORS)
    text = long_text(_("询问内容"), rows=4)
    answered_by = forms.ModelChoiceField(
        label=_("答复人"), queryset=Respondent.objects.none(), required=False
    )
    answer = long_text(_("答复"), rows=4, required=False)
    problems = _multiple(_("相关问题"))

    def __init__(self, *args: Any, session: InquirySession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign = session.campaign
        fields: Any = self.fields
        fields["asker"].queryset = User.objects.filter(
            organisation=campaign.congress_id, role=Role.CONGRESS_MEMBER, is_active=True
        ).order_by("full_name", "username")
        fields["organisation"].queryset = _departments_of(campaign)
        fields["answered_by"].queryset = session.respondents.select_related("organisation")
        fields["problems"].queryset = campaign.problems.all()


class OpinionForm(PleaseChooseMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, error_messages=TEXT_ERRORS)
    adopted_on = forms.DateField(label=_("通过日期"), widget=DateInput())
    sent_on = forms.DateField(label=_("交市政府日期"), widget=DateInput(), required=False)
    meeting = forms.ModelChoiceField(
        label=_("审议的会议"), queryset=Meeting.objects.none(), required=False
    )
    preamble = long_text(_("总体意见"), rows=6, required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _meetings_of(campaign)  # type: ignore[attr-defined]


class OpinionItemForm(PleaseChooseMixin, forms.Form):
    text = long_text(_("意见内容"), rows=5)
    responsible = forms.ModelChoiceField(label=_("责任单位"), queryset=Organisation.objects.none())
    deadline = forms.DateField(label=_("办理时限"), widget=DateInput())
    problems = _multiple(_("相关问题"))

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["responsible"].queryset = Organisation.objects.filter(
            Q(region=campaign.region, kind=OrganisationKind.DEPARTMENT)
            | Q(region__parent=campaign.region, kind=OrganisationKind.CONGRESS)
        ).select_related("region")
        fields["problems"].queryset = campaign.problems.all()
