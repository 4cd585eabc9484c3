"""Forms validate input shape; the rules themselves live in ``actions``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.models import Organisation
from oversight.regions.models import Region
from oversight.topics.models import ProblemArea
from oversight.utilities.forms import PleaseChooseMixin

from .models import Kind, Problem, RawReport, RectificationType
from .validators import validate_evidence_file
from .widgets import ProblemPicker

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Free text is capped in the form (the model's TextFields stay unbounded): one report or
# reply is a few paragraphs, never a pasted book.
TEXT_MAX_LENGTH = 5000
TEXT_ERRORS = {
    "max_length": _("内容过长：最多 %(limit_value)d 个字，现有 %(show_value)d 个字。"),
    # PostgreSQL cannot store a NUL character; it only ever arrives by pasting binary data.
    "null_characters_not_allowed": _("内容含有空字符（\\x00），请删除后重新提交。"),
}


def long_text(label: StrOrPromise, *, rows: int = 3, **kwargs: Any) -> forms.CharField:
    """A multi-line free-text field, capped at ``TEXT_MAX_LENGTH``."""
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=TEXT_ERRORS,
        **kwargs,
    )


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Zero or more evidence files, each checked by its content, extension and size
    (``utilities.uploads``) before anything is stored."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("佐证材料"))
        kwargs.setdefault(
            "help_text",
            _("可多选；支持 %(types)s，单个文件不超过 %(limit)s。")
            % {
                "types": "、".join(settings.ATTACHMENT_EXTENSIONS),
                "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            },
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(EvidenceField, self).clean(upload, initial) for upload in uploads]
        for upload in cleaned:
            validate_evidence_file(upload)
        return cleaned


class RecordsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several records by id. An id beyond any database integer is refused here: SQLite
    would overflow on it in the ``IN`` query instead of finding nothing."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk).strip()
            if text.lstrip("-").isdecimal() and not -(2**63) <= int(text) < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super().clean(value)


def _regions_of(campaign: Campaign) -> Any:
    return campaign.regions()


class RawReportForm(PleaseChooseMixin, forms.ModelForm):  # type: ignore[type-arg]
    text = long_text(_("反映内容"))

    class Meta:
        model = RawReport
        fields = ["channel", "text", "reporter", "region", "received_on"]
        widgets = {"received_on": DateInput()}
        error_messages = {"reporter": TEXT_ERRORS}

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions_of(campaign)  # type: ignore[attr-defined]
        self.fields["received_on"].initial = timezone.localdate()


class ConsolidateForm(PleaseChooseMixin, forms.Form):
    """Selected raw reports become a new problem, or join an existing one."""

    reports = RecordsField(
        label=_("原始问题"), queryset=RawReport.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    target = forms.ModelChoiceField(
        label=_("归入已有问题"),
        queryset=Problem.objects.none(),
        required=False,
        widget=ProblemPicker,
        help_text=_("查找并选中后，所选原始问题归入该问题；不选则新建问题。"),
    )
    title = forms.CharField(
        label=_("问题"), max_length=100, required=False, error_messages=TEXT_ERRORS
    )
    description = long_text(_("问题描述"), required=False)
    kind = forms.ChoiceField(label=_("问题类别"), choices=[("", ""), *Kind.choices], required=False)
    area = forms.ModelChoiceField(
        label=_("问题领域"), queryset=ProblemArea.objects.none(), required=False
    )
    region = forms.ModelChoiceField(
        label=_("涉及地区"), queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["reports"].queryset = campaign.raw_reports.filter(problem__isnull=True)
        fields["target"].queryset = campaign.problems.all()
        fields["target"].widget = ProblemPicker(
            reverse("problems:lookup", args=[campaign.slug]), campaign.pk
        )
        fields["area"].queryset = campaign.topic.areas.all()
        fields["region"].queryset = _regions_of(campaign)
        fields["region"].initial = campaign.region_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("target"):
            for field in ("title", "kind", "region"):
                if not data.get(field):
                    self.add_error(field, _("新建问题时此项必填。"))
        return data


class ActionForm(PleaseChooseMixin, forms.Form):
    """Several action forms share one page; each gets its own element ids."""

    id_prefix = "action"

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        self.problem = problem


class AssignForm(ActionForm):
    id_prefix = "assign"
    assignee = forms.ModelChoiceField(label=_("牵头单位"), queryset=Organisation.objects.none())
    co_departments = forms.ModelMultipleChoiceField(
        label=_("协办部门"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("整改时限"), widget=DateInput())
    requirements = long_text(_("整改要求"), required=False)

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, problem=problem, **kwargs)
        campaign = problem.campaign
        departments = Organisation.objects.filter(
            region=campaign.region, kind=OrganisationKind.DEPARTMENT
        )
        lower_congresses = Organisation.objects.filter(
            region__parent=campaign.region, kind=OrganisationKind.CONGRESS
        )
        fields: Any = self.fields
        fields["assignee"].queryset = (departments | lower_congresses).order_by("kind", "name")
        fields["co_departments"].queryset = departments.order_by("name")


class ProgressForm(ActionForm):
    id_prefix = "progress"
    text = long_text(_("整改进展"), rows=4)
    reported_on = forms.DateField(label=_("报送日期"), widget=DateInput(), required=False)
    rectification_type = forms.ChoiceField(
        label=_("整改类型"), choices=[("", ""), *RectificationType.choices], required=False
    )
    evidence = EvidenceField()


class ClaimForm(ActionForm):
    id_prefix = "claim"
    text = long_text(_("整改完成情况"), rows=4)
    rectification_type = forms.ChoiceField(
        label=_("整改类型"), choices=[("", ""), *RectificationType.choices], required=False
    )
    evidence = EvidenceField()


class ReassignForm(ActionForm):
    """改派 to another department of this level or another lower congress."""

    id_prefix = "reassign"
    assignee = forms.ModelChoiceField(label=_("改派给"), queryset=Organisation.objects.none())
    deadline = forms.DateField(
        label=_("整改时限"), widget=DateInput(), required=False, help_text=_("不填则沿用原时限。")
    )
    reason = long_text(_("改派理由"))

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, problem=problem, **kwargs)
        fields: Any = self.fields
        fields["assignee"].queryset = AssignForm(problem=problem).fields["assignee"].queryset  # type: ignore[attr-defined]


class ExtensionForm(ActionForm):
    """延期申请 by the assignee."""

    id_prefix = "extend"
    deadline = forms.DateField(label=_("申请延至"), widget=DateInput())
    reason = long_text(_("延期理由"))


class ExtensionDecisionForm(ActionForm):
    id_prefix = "decide"
    GRANT, REFUSE = "grant", "refuse"
    decision = forms.ChoiceField(
        label=_("审批意见"),
        choices=[(GRANT, _("同意延期")), (REFUSE, _("不同意延期"))],
        widget=forms.RadioSelect,
    )
    note = long_text(_("说明"), required=False, help_text=_("不同意时必须说明理由。"))


class ReviewForm(ActionForm):
    id_prefix = "review"
    ACCEPT, RETURN = "accept", "return"
    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[(ACCEPT, _("确认办结")), (RETURN, _("退回整改"))],
        widget=forms.RadioSelect,
    )
    note = long_text(_("说明"), required=False, help_text=_("退回时必须说明理由。"))
