from __future__ import annotations

from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind as OrganisationKind
from oversight.organisations.models import Organisation
from oversight.regions.models import Region

from .models import Channel, Kind, Problem, ProblemQuerySet, RawReport, Status


class OrderingFilter(django_filters.OrderingFilter):
    descending_fmt = _("%s（降序）")


# Longer searches are not questions a person types; on SQLite they even exceed LIKE's limits.
SEARCH_MAX_LENGTH = 100


class ProblemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": _("搜索内容最多 %(limit_value)d 个字，现有 %(show_value)d 个字。"),
            "null_characters_not_allowed": _("搜索内容含有空字符（\\x00）。"),
        },
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    kind = django_filters.ChoiceFilter(label=_("问题类别"), choices=Kind.choices)
    channel = django_filters.ChoiceFilter(
        label=_("来源渠道"), choices=Channel.choices, method="filter_channel"
    )
    assignee = django_filters.ModelChoiceFilter(
        label=_("承办单位"),
        field_name="assignment__assignee",
        queryset=Organisation.objects.none(),
    )
    region = django_filters.ModelChoiceFilter(label=_("地区"), queryset=Region.objects.none())
    overdue = django_filters.BooleanFilter(
        label=_("仅看逾期"), method="filter_overdue", widget=forms.CheckboxInput
    )
    sort = OrderingFilter(
        label=_("排序"),
        empty_label=_("默认顺序"),
        fields=(
            ("number", "number"),
            ("status", "status"),
            ("assignment__deadline", "deadline"),
            ("assignment__assignee__name", "assignee"),
        ),
        field_labels={
            "number": _("编号"),
            "status": _("状态"),
            "assignment__deadline": _("整改时限"),
            "assignment__assignee__name": _("承办单位"),
        },
    )

    class Meta:
        model = Problem
        fields = ["q", "status", "kind", "channel", "assignee", "region", "overdue"]

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        filters: Any = self.filters
        # From the reference tables, not from the problems: the campaign's own departments
        # and the congresses of the regions right below it (a DISTINCT over every problem
        # would grow with the campaign).
        region = campaign.region
        filters["assignee"].queryset = Organisation.objects.filter(
            Q(region=region, kind=OrganisationKind.DEPARTMENT)
            | Q(region__parent=region, kind=OrganisationKind.CONGRESS)
        ).order_by("kind", "name")
        filters["region"].queryset = campaign.regions()

    def search(self, queryset: QuerySet[Problem], name: str, value: str) -> QuerySet[Problem]:
        return cast(ProblemQuerySet, queryset).search(value)

    def filter_channel(
        self, queryset: QuerySet[Problem], name: str, value: str
    ) -> QuerySet[Problem]:
        reported = RawReport.objects.filter(problem=OuterRef("pk"), channel=value)
        if value == Channel.UPPER_LEVEL:  # a linked problem came from the level above
            return queryset.filter(Exists(reported) | Q(upper__isnull=False))
        return queryset.filter(Exists(reported))

    def filter_overdue(self, queryset: QuerySet[Problem], name: str, value: bool | None) -> Any:
        if value:
            return queryset.overdue(timezone.localdate())  # type: ignore[attr-defined]
        return queryset
