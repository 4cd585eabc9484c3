"""Helpers for entering values and facilities through the real actions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from oversight.facilities.actions import FacilitySpec, register_facilities
from oversight.facilities.models import Facility, Status
from oversight.indicators.actions import ValueSpec, record_values
from oversight.indicators.models import IndicatorValue, Source
from oversight.regions.models import Region
from tests.browser.conftest import browser, console, output_dir  # noqa: F401 (browser tests)


def enter(actor, topic, region_code, indicator, value, period="2024", **extra) -> IndicatorValue:
    spec = ValueSpec(
        indicator=indicator,
        region=Region.objects.get(code=region_code),
        period=period,
        value=Decimal(str(value)),
        source=extra.pop("source", Source.INSPECTION),
        **extra,
    )
    return record_values(actor=actor, topic=topic, specs=[spec])[0]


def facilities(
    actor,
    topic,
    region_code,
    kind,
    count,
    *,
    status=Status.OPERATING,
    built_on=datetime.date(2023, 1, 1),
    operating_since=datetime.date(2023, 2, 1),
    prefix="设施",
    **extra,
) -> list[Facility]:
    region = Region.objects.get(code=region_code)
    specs = [
        FacilitySpec(
            kind=kind,
            name=f"{prefix}{index}",
            region=region,
            status=status,
            built_on=built_on,
            operating_since=operating_since
            if status in (Status.OPERATING, Status.CLOSED)
            else None,
            **extra,
        )
        for index in range(count)
    ]
    return register_facilities(actor=actor, topic=topic, specs=specs)


@pytest.fixture
def topic(reference):
    return reference["topic"]
