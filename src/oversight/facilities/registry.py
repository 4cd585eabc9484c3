"""Counts and rates computed from the registry at the end of a period, rolled up the tree.

Two queries whatever the number of regions and dates asked about: the regions below those
asked about, with their ancestors, then one aggregate of the facilities grouped by region and
kind that counts at every date at once; a city's and the province's totals are sums in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from oversight.regions.models import Region
from oversight.topics.models import Topic

from .models import Facility

MEASURES = ("built", "operating", "operating_rate", "both_licences", "converted")


@dataclass
class Tally:
    built: int = 0
    operating: int = 0
    both_licences: int = 0
    converted: int = 0

    def add(self, other: Tally) -> None:
        self.built += other.built
        self.operating += other.operating
        self.both_licences += other.both_licences
        self.converted += other.converted

    def measure(self, name: str) -> Decimal | None:
        if name == "operating_rate":
            if not self.built:
                return None
            return (Decimal(self.operating) * 100 / Decimal(self.built)).quantize(Decimal("0.0001"))
        return Decimal(getattr(self, name))


@dataclass
class RegistryFigures:
    """Tallies by (region id, kind) for the regions asked about, and which (region, kind)
    pairs the registry holds at all. A kind with no row in a region nor in its parent has no
    figure there (the registry was not kept for it) rather than a zero; a county with none
    where its city keeps that kind counts zero."""

    tallies: dict[tuple[int, str], Tally]
    covered: set[tuple[int, str]]

    def value(self, region: Region, kind: str, measure: str) -> Decimal | None:
        if (region.pk, kind) not in self.covered and (region.parent_id, kind) not in self.covered:
            return None
        return self.tallies.get((region.pk, kind), Tally()).measure(measure)


def registry_figures(topic: Topic, regions: Iterable[Region], on: datetime.date) -> RegistryFigures:
    """The tallies of ``regions`` (each with everything below it) as they stood on ``on``."""
    return registry_figures_on(topic, regions, [on])[on]


def registry_figures_on(
    topic: Topic, regions: Iterable[Region], dates: Iterable[datetime.date]
) -> dict[datetime.date, RegistryFigures]:
    """``registry_figures`` on each of ``dates``, from one aggregate whatever their number:
    a compliance table of eight periods reads the registry once, not eight times."""
    days = sorted(set(dates))
    regions = list(regions)
    wanted = {region.pk for region in regions}
    if not wanted or not days:
        return {day: RegistryFigures({}, set()) for day in days}
    counts: dict[str, Count] = {}
    for index, on in enumerate(days):
        standing = Q(ceased_on__isnull=True) | Q(ceased_on__gt=on)
        operating = Q(operating_since__lte=on) & standing
        counts[f"built_{index}"] = Count("pk", filter=Q(built_on__lte=on) & standing)
        counts[f"operating_{index}"] = Count("pk", filter=operating)
        counts[f"both_licences_{index}"] = Count(
            "pk", filter=operating & Q(medical_licence=True, care_licence=True)
        )
        counts[f"converted_{index}"] = Count("pk", filter=Q(converted_on__lte=on))
    # Each facility region's ancestors from the small region table, so that the facilities
    # are filtered by their own region column and grouped by it alone (a hash aggregate):
    # an OR across three joins, grouped by the joined columns too, read and sorted them all.
    lineage = _lineage(regions)
    rows = (
        Facility.objects.filter(topic=topic, region__in=list(lineage))
        .values("region_id", "kind")
        .annotate(**counts)
        .values_list("region_id", "kind", *counts)
        .order_by()
    )
    tallies: list[dict[tuple[int, str], Tally]] = [defaultdict(Tally) for _ in days]
    covered: set[tuple[int, str]] = set()
    for region_id, kind, *figures in rows:
        keys = [(r, kind) for r in lineage[region_id] if r in wanted]
        covered.update(keys)
        for index, by_region in enumerate(tallies):
            built, operating, both, converted = figures[4 * index : 4 * index + 4]
            for key in keys:
                tally = by_region[key]
                tally.built += built
                tally.operating += operating
                tally.both_licences += both
                tally.converted += converted
    return {
        day: RegistryFigures(dict(by_region), set(covered))
        for day, by_region in zip(days, tallies, strict=True)
    }


def _lineage(regions: Iterable[Region]) -> dict[int, tuple[int, int | None, int | None]]:
    """Every region of ``regions`` and below, by id, with itself, its parent and its
    grandparent (three levels are all there are: ``Region.subtree_q``)."""
    ids = [region.pk for region in regions]
    found = (
        Region.objects.filter(Q(pk__in=ids) | Q(parent__in=ids) | Q(parent__parent__in=ids))
        .values_list("pk", "parent_id", "parent__parent_id")
        .order_by()
    )
    return {pk: (pk, parent, grandparent) for pk, parent, grandparent in found}
