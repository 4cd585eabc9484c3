"""The demo's extractions: each city's bulletin read by its staff, the figures the demo
already holds as indicator values accepted (linked, not rewritten), the rest to review."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.demo.loader import DATA_DIR, load_campaign
from oversight.figures import demo
from oversight.figures.models import Decision, Extraction
from oversight.indicators import demo as indicators_demo
from oversight.indicators.models import IndicatorValue
from oversight.organisations.services import load_reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    """The campaigns and the indicator values through their demo loaders, then this app's
    demo twice."""
    load_reference_data()
    for path in sorted(DATA_DIR.glob("*.toml")):
        load_campaign(path)
    indicators_demo.load_demo()
    demo.load_demo()
    demo.load_demo()


def test_hebi_staff_extracted_the_bulletin(loaded: None) -> None:
    extraction = Extraction.objects.get(campaign__slug="hebi-2024")
    assert extraction.created_by.username == "hebi-staff"
    changes = {
        (c.value, c.before, c.unit) for c in extraction.candidates.filter(before__isnull=False)
    }
    assert changes == {(96, 76, "%"), (84, 66, "%"), (39, 2, "张")}
    accepted = extraction.candidates.get(decision=Decision.ACCEPTED)
    assert (accepted.indicator, accepted.region.code, accepted.period) == (
        "meal-funds",
        "410600",
        "2024",
    )
    assert accepted.indicator_value.value == Decimal("515")
    assert extraction.candidates.filter(decision=Decision.PENDING).count() == 40


def test_accepting_wrote_no_value_the_demo_did_not_hold(loaded: None) -> None:
    """Every accepted candidate points at the value ``indicators.demo`` recorded, untouched."""
    accepted = Extraction.objects.get(campaign__slug="zhumadian-2024").candidates.filter(
        decision=Decision.ACCEPTED
    )
    assert accepted.count() == 6
    assert {c.indicator_value.entered_by.username for c in accepted} == {"zmd-staff"}
    assert {c.indicator_value.entered_at for c in accepted} == {indicators_demo.ENTERED_AT}
    runan = accepted.get(region__code="411727")
    assert (runan.indicator, runan.value) == ("land-per-capita", Decimal("0.51"))
    assert all(c.indicator_value.value == c.value for c in accepted)


def test_it_is_idempotent(loaded: None) -> None:
    assert Extraction.objects.count() == 2
    values = IndicatorValue.objects.count()
    demo.load_demo()
    assert Extraction.objects.count() == 2
    assert IndicatorValue.objects.count() == values


def test_the_whole_demo_loads_it() -> None:
    call_command("demo", "--no-serve", stdout=StringIO())
    assert Extraction.objects.filter(created_by__username="hebi-staff").count() == 1
    assert Extraction.objects.filter(created_by__username="zmd-staff").count() == 1
