"""Counts and rates computed from the registry at the end of a period, rolled up the tree.

One aggregate query per date, grouped by the facility's region and kind, whatever the number
of regions asked about: the region's ancestors come with each group, so a city's and the
province's totals are sums in Python.
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
    wanted = {region.pk for region in regions}
    if not wanted:
        return RegistryFigures({}, set())
    standing = Q(ceased_on__isnull=True) | Q(ceased_on__gt=on)
    operating = Q(operating_since__lte=on) & standing
    rows = (
        Facility.objects.filter(topic=topic)
        .filter(
            Q(region__in=wanted)
            | Q(region__parent__in=wanted)
            | Q(region__parent__parent__in=wanted)
        )
        .values("region_id", "region__parent_id", "region__parent__parent_id", "kind")
        .annotate(
            built=Count("pk", filter=Q(built_on__lte=on) & standing),
            operating=Count("pk", filter=operating),
            both_licences=Count(
                "pk", filter=operating & Q(medical_licence=True, care_licence=True)
            ),
            converted=Count("pk", filter=Q(converted_on__lte=on)),
        )
        .order_by()
    )
    tallies: dict[tuple[int, str], Tally] = defaultdict(Tally)
    covered: set[tuple[int, str]] = set()
    for row in rows:
        tally = Tally(row["built"], row["operating"], row["both_licences"], row["converted"])
        ancestors = (row["region_id"], row["region__parent_id"], row["region__parent__parent_id"])
        for region_id in ancestors:
            if region_id in wanted:
                tallies[(region_id, row["kind"])].add(tally)
                covered.add((region_id, row["kind"]))
    return RegistryFigures(dict(tallies), covered)
