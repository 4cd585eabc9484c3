"""Forms validate input shape; the rules themselves live in ``actions``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.models import Organisation
from oversight.problems.forms import TEXT_ERRORS, TEXT_MAX_LENGTH, DateInput

from .actions import TITLE_MAX_LENGTH
from .models import (
    DEFAULT_BASIC_THRESHOLD,
    DEFAULT_COUNTED,
    DEFAULT_SATISFIED_THRESHOLD,
    Choice,
    EvaluationSession,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A vote's field per department: ``d`` and the department's id.
DEPARTMENT_FIELD = re.compile(r"d(\d{1,18})")


def percent_field(label: StrOrPromise, initial: Decimal) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        initial=initial * 100,
        help_text=_("百分数，例如 80 表示 80%。"),
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("测评名称"), max_length=TITLE_MAX_LENGTH)
    held_on = forms.DateField(label=_("测评日期"), widget=DateInput)
    departments = forms.ModelMultipleChoiceField(
        label=_("测评部门"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个测评部门。")},
    )
    voters = forms.ModelMultipleChoiceField(
        label=_("投票名单"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("投票名单不能为空。")},
    )
    counted_choices = forms.MultipleChoiceField(
        label=_("计入满意率的评价"),
        choices=[
            (Choice.SATISFIED.value, Choice.SATISFIED.label),
            (Choice.BASICALLY_SATISFIED.value, Choice.BASICALLY_SATISFIED.label),
        ],
        initial=DEFAULT_COUNTED,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一种计入满意率的评价。")},
    )
    satisfied_threshold = percent_field(_("满意率不低于（%）评为满意"), DEFAULT_SATISFIED_THRESHOLD)
    basic_threshold = percent_field(_("满意率不低于（%）评为基本满意"), DEFAULT_BASIC_THRESHOLD)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        error_messages=TEXT_ERRORS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = self.fields["departments"]
        voters = self.fields["voters"]
        assert isinstance(departments, forms.ModelMultipleChoiceField)
        assert isinstance(voters, forms.ModelMultipleChoiceField)
        departments.queryset = Organisation.objects.filter(
            region=campaign.region, kind=OrganisationKind.DEPARTMENT
        ).order_by("pk")
        voters.queryset = User.objects.filter(
            organisation=campaign.congress, role=Role.CONGRESS_MEMBER, is_active=True
        ).order_by("username")
        # The whole committee by default: staff untick who is absent.
        voters.initial = list(voters.queryset)
        self.fields["held_on"].initial = timezone.localdate()

    def action_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "held_on": data["held_on"],
            "departments": list(data["departments"]),
            "voters": list(data["voters"]),
            "counted_choices": data["counted_choices"],
            "satisfied_threshold": data["satisfied_threshold"] / 100,
            "basic_threshold": data["basic_threshold"] / 100,
            "note": data["note"],
        }


class VoteForm(forms.Form):
    """One radio group per department of the session, submitted together."""

    def __init__(self, *args: Any, session: EvaluationSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.departments = list(session.departments.order_by("pk"))
        for department in self.departments:
            self.fields[f"d{department.pk}"] = forms.ChoiceField(
                label=department.name,
                choices=Choice.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext("请选择对%(name)s的评价。") % {"name": department.name},
                    "invalid_choice": gettext("评价只能是满意、基本满意或不满意。"),
                },
            )

    def choices(self) -> dict[int, str]:
        """Department id → choice. A department the form does not know (a forged field) is
        passed on as well, for the action to refuse the whole vote."""
        chosen = {
            department.pk: self.cleaned_data[f"d{department.pk}"] for department in self.departments
        }
        for key in self.data:
            match = DEPARTMENT_FIELD.fullmatch(key)
            if match and key not in self.fields:
                chosen[int(match.group(1))] = str(self.data[key])
        return chosen
