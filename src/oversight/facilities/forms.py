"""The registry page's forms: the filters of the list, and one facility to register or edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oversight.regions.models import Region
from oversight.topics.models import Topic
from oversight.utilities.forms import PLEASE_CHOOSE, PleaseChooseMixin

from .actions import FacilitySpec
from .catalogue import facility_kinds
from .models import Facility, Status

SEARCH_MAX = 100
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FacilityFilterForm(forms.Form):
    """The list's filters; a value outside the choices is ignored rather than refused."""

    kind = forms.ChoiceField(label=_("设施类型"), required=False)
    status = forms.ChoiceField(label=_("运营状态"), required=False)
    region = forms.ChoiceField(label=_("所在区划"), required=False)
    q = forms.CharField(label=_("名称"), required=False, max_length=SEARCH_MAX, strip=True)

    def __init__(self, data: Any, *, topic: Topic, children: list[Region]) -> None:
        data = data.copy()
        data["q"] = data.get("q", "")[:SEARCH_MAX]
        super().__init__(data)
        everything = [("", _("全部"))]
        kinds = [(k.code, k.name) for k in facility_kinds(topic.slug).values()]
        self.fields["kind"].choices = everything + kinds  # type: ignore[attr-defined]
        self.fields["status"].choices = everything + list(Status.choices)  # type: ignore[attr-defined]
        regions = [(r.code, r.name) for r in children]
        self.fields["region"].choices = everything + regions  # type: ignore[attr-defined]

    def value(self, name: str) -> str:
        """The filter's value when valid, else empty (no filter)."""
        field = self.fields[name]
        raw = self.data.get(name, "")
        try:
            return str(field.clean(raw))
        except forms.ValidationError:
            return ""


class FacilityForm(PleaseChooseMixin, forms.Form):
    """One facility as typed by congress staff; the rules are the action's
    (``facility_errors``), shown next to the field they concern."""

    kind = forms.ChoiceField(label=_("设施类型"))
    name = forms.CharField(label=_("名称"), max_length=100)
    region = forms.ModelChoiceField(label=_("所在区划"), queryset=Region.objects.none())
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    operator = forms.CharField(label=_("运营方"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("运营状态"), choices=[("", ""), *Status.choices])
    built_on = forms.DateField(label=_("建成日期"), required=False, widget=DATE)
    operating_since = forms.DateField(label=_("开始运营日期"), required=False, widget=DATE)
    ceased_on = forms.DateField(label=_("停运日期"), required=False, widget=DATE)
    medical_licence = forms.BooleanField(label=_("已取得医疗机构执业许可"), required=False)
    care_licence = forms.BooleanField(label=_("已办理养老机构备案"), required=False)
    converted_on = forms.DateField(
        label=_("转型日期"),
        required=False,
        widget=DATE,
        help_text=_("乡镇敬老院转型为区域养老服务中心的日期。"),
    )
    is_illustrative = forms.BooleanField(
        label=_("示意数据"),
        required=False,
        help_text=_("简报只给出总数，本条为据此编写的示意明细。"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        topic: Topic,
        regions: QuerySet[Region],
        instance: Facility | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs.setdefault("initial", {}).update(
                {name: getattr(instance, name) for name in FacilitySpec.__dataclass_fields__}
            )
        super().__init__(*args, **kwargs)
        kinds = [(k.code, k.name) for k in facility_kinds(topic.slug).values()]
        self.fields["kind"].choices = [("", PLEASE_CHOOSE), *kinds]  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]

    def spec(self) -> FacilitySpec:
        data = self.cleaned_data
        return FacilitySpec(
            kind=data["kind"],
            name=data["name"],
            region=data["region"],
            status=data["status"],
            address=data["address"],
            operator=data["operator"],
            built_on=data["built_on"],
            operating_since=data["operating_since"],
            ceased_on=data["ceased_on"],
            medical_licence=data["medical_licence"],
            care_licence=data["care_licence"],
            converted_on=data["converted_on"],
            is_illustrative=data["is_illustrative"],
            note=data["note"],
        )
