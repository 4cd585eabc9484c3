"""The facility registry of a region and below: browse, register, edit.

Every view starts from the user's scope (``scope_q``, ``Facility.objects.visible_to``): a
region or facility outside it is not found (404). Entry is for those ``permissions`` allow
(403 otherwise); the change itself is one action of ``actions.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.regions.models import Region
from oversight.topics.models import Topic
from oversight.utilities.http import AuthenticatedRequest

from . import actions
from .catalogue import FacilityKind, facility_kinds
from .forms import FacilityFilterForm, FacilityForm
from .models import Facility, scope_q
from .permissions import enterable_regions
from .registry import registry_figures

PAGE_SIZE = 50


@dataclass(frozen=True)
class KindSummary:
    """One kind's counts above the list, formatted by the server."""

    kind: FacilityKind
    built: int | None
    operating: int | None
    rate: str


def _topic(slug: str) -> Topic:
    topic = get_object_or_404(Topic, slug=slug)
    if not facility_kinds(topic.slug):
        raise Http404
    return topic


def _visible_regions(request: AuthenticatedRequest) -> QuerySet[Region]:
    scope = scope_q(request.user, "")
    return Region.objects.none() if scope is None else Region.objects.filter(scope)


def _region_for(request: AuthenticatedRequest, code: str) -> Region:
    return get_object_or_404(_visible_regions(request).select_related("parent"), code=code)


def _facilities(request: AuthenticatedRequest, topic: Topic, region: Region) -> QuerySet[Facility]:
    """The facilities of ``region`` and below that the user may see."""
    return (
        Facility.objects.visible_to(request.user)
        .filter(topic=topic)
        .filter(region.subtree_q("region"))
    )


def _entry_regions(request: AuthenticatedRequest, region: Region) -> QuerySet[Region]:
    """The regions of ``region`` and below where the user may register facilities."""
    return (
        _visible_regions(request)
        .filter(region.subtree_q(), pk__in=enterable_regions(request.user))
        .order_by("code")
    )


def _summary(topic: Topic, region: Region, parent: Region | None) -> list[KindSummary]:
    # With the parent asked about too, a kind its parent keeps and the region has none of
    # counts zero rather than "not kept" (``RegistryFigures.value``).
    asked = [region] if parent is None else [region, parent]
    figures = registry_figures(topic, asked, timezone.localdate())
    rows = []
    for kind in facility_kinds(topic.slug).values():
        built = figures.value(region, kind.code, "built")
        operating = figures.value(region, kind.code, "operating")
        rate = figures.value(region, kind.code, "operating_rate")
        rows.append(
            KindSummary(
                kind=kind,
                built=None if built is None else int(built),
                operating=None if operating is None else int(operating),
                rate="—" if rate is None else f"{rate:.1f}%",
            )
        )
    return rows


def facility_list(request: AuthenticatedRequest, topic: str, code: str) -> HttpResponse:
    the_topic = _topic(topic)
    region = _region_for(request, code)
    children = list(_visible_regions(request).filter(parent=region).order_by("code"))
    filters = FacilityFilterForm(request.GET, topic=the_topic, children=children)
    rows = _facilities(request, the_topic, region).select_related("region")
    focus = region
    if kind := filters.value("kind"):
        rows = rows.filter(kind=kind)
    if status := filters.value("status"):
        rows = rows.filter(status=status)
    if child := filters.value("region"):
        focus = next(c for c in children if c.code == child)
        rows = rows.filter(focus.subtree_q("region"))
    if search := filters.value("q"):
        rows = rows.filter(name__icontains=search)
    page = Paginator(rows.order_by("region__code", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    enterable = enterable_regions(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    kinds = facility_kinds(the_topic.slug)
    context = {
        "topic": the_topic,
        "region": region,
        "focus": focus,
        "filters": filters,
        "page": page,
        "rows": [
            (facility, kinds.get(facility.kind), facility.region_id in enterable)
            for facility in page
        ],
        "query": query.urlencode(),
        "summary": _summary(the_topic, focus, region if focus != region else region.parent),
        "on": timezone.localdate(),
        "can_enter": region.pk in enterable,
    }
    return render(request, "facilities/facility_list.html", context)


def facility_create(request: AuthenticatedRequest, topic: str, code: str) -> HttpResponse:
    the_topic = _topic(topic)
    region = _region_for(request, code)
    if region.pk not in enterable_regions(request.user):
        raise PermissionDenied(_("只有本地区及上级人大工作人员可以登记设施。"))
    regions = _entry_regions(request, region)
    form = FacilityForm(
        request.POST or None, topic=the_topic, regions=regions, initial={"region": region}
    )
    if request.method == "POST" and form.is_valid():
        try:
            facility = actions.register_facility(
                actor=request.user, topic=the_topic, spec=form.spec()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已登记设施“%(name)s”。") % {"name": facility.name})
            return redirect("indicators:facilities:list", topic=topic, code=region.code)
    context = {"topic": the_topic, "region": region, "form": form, "facility": None}
    return render(
        request, "facilities/facility_form.html", context, status=400 if form.is_bound else 200
    )


def facility_edit(request: AuthenticatedRequest, topic: str, code: str, pk: int) -> HttpResponse:
    the_topic = _topic(topic)
    region = _region_for(request, code)
    facility = get_object_or_404(
        _facilities(request, the_topic, region).select_related("region"), pk=pk
    )
    if facility.region_id not in enterable_regions(request.user):
        raise PermissionDenied(_("只有本地区及上级人大工作人员可以修改设施。"))
    regions = _entry_regions(request, region)
    form = FacilityForm(request.POST or None, topic=the_topic, regions=regions, instance=facility)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.update_facility(actor=request.user, facility=facility, spec=form.spec())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存设施“%(name)s”。") % {"name": saved.name})
            return redirect("indicators:facilities:list", topic=topic, code=region.code)
    context = {"topic": the_topic, "region": region, "form": form, "facility": facility}
    return render(
        request, "facilities/facility_form.html", context, status=400 if form.is_bound else 200
    )
