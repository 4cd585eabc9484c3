from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Kind


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of ``day`` in the site's time zone: a range on the indexed column."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditEntryFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Kind.choices)
    username = django_filters.CharFilter(label=_("用户名"), lookup_expr="icontains", max_length=150)
    since = django_filters.DateFilter(
        label=_("起始日期"), method="filter_since", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("截止日期"), method="filter_until", widget=forms.DateInput(attrs={"type": "date"})
    )
    address = django_filters.CharFilter(
        label=_("客户端地址"), field_name="ip_address", lookup_expr="startswith", max_length=45
    )

    class Meta:
        model = AuditEntry
        fields = ["kind", "username", "since", "until", "address"]

    def filter_since(
        self, queryset: QuerySet[AuditEntry], name: str, value: datetime.date
    ) -> QuerySet[AuditEntry]:
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_until(
        self, queryset: QuerySet[AuditEntry], name: str, value: datetime.date
    ) -> QuerySet[AuditEntry]:
        return queryset.filter(created_at__lt=_day_start(value + datetime.timedelta(days=1)))
