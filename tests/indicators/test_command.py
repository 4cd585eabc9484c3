"""``oversight indicators REGION --json`` on the demo: the bulletins' figures."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.facilities import demo as facilities_demo
from oversight.facilities.models import Facility
from oversight.indicators import demo as indicators_demo
from oversight.indicators.models import IndicatorValue


def indicators(code, *args):
    out = StringIO()
    call_command("indicators", code, "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def by_code(entries):
    return {entry["code"]: entry for entry in entries}


@pytest.mark.django_db
def test_demo_figures_through_the_command():
    call_command("demo", "--no-serve", stdout=StringIO())
    zhumadian = indicators("411700")
    assert zhumadian["region"] == "411700"
    own = by_code(zhumadian["indicators"])
    land = own["land-per-capita"]
    assert (land["value"], land["complies"], land["period"], land["unit"]) == (
        0.23, True, "2024", "平方米/人",
    )  # fmt: skip
    assert land["standard"] == {
        "comparison": ">=",
        "threshold": 0.2,
        "basis": "养老服务设施用地人均不低于0.2平方米",
    }
    lottery = own["lottery-share"]
    assert (lottery["value"], lottery["standard"]["threshold"], lottery["complies"]) == (
        71.16, 55.0, True,
    )  # fmt: skip
    assert own["meal-built"]["value"] == 435
    assert own["meal-planned"]["value"] == 430
    assert own["handover-rate"]["value"] == 41 and own["handover-rate"]["baseline"] == 18
    assert own["medical-care-both-licences"]["value"] == 56
    assert own["family-doctor-rate"]["value"] == 85.69
    assert own["family-doctor-rate"]["standard"] is None
    assert own["family-doctor-rate"]["complies"] is None
    counties = {child["region"]: by_code(child["indicators"]) for child in zhumadian["children"]}
    assert len(counties) == 10
    lands = {
        code: c["land-per-capita"]["value"]
        for code, c in counties.items()
        if c.get("land-per-capita")
    }
    assert len(lands) == 9 and lands["411727"] == 0.51
    assert all(value >= 0.2 for value in lands.values())
    assert all(c["medical-care-both-licences"]["complies"] for c in counties.values())

    hebi = by_code(indicators("410600")["indicators"])
    assert round(hebi["street-centre-operating-rate"]["value"]) == 96
    assert round(hebi["street-centre-operating-rate"]["baseline"]) == 76
    assert round(hebi["day-care-operating-rate"]["value"]) == 84
    assert round(hebi["day-care-operating-rate"]["baseline"]) == 66
    meal = hebi["meal-operating"]
    assert (meal["value"], meal["standard"]["threshold"], meal["complies"]) == (180, 16, True)
    assert meal["value"] / meal["standard"]["threshold"] == 11.25  # 1125% of the target
    assert (
        hebi["medical-care-both-licences"]["value"],
        hebi["medical-care-both-licences"]["baseline"],
    ) == (7, 6)
    assert (hebi["family-beds"]["value"], hebi["family-beds"]["baseline"]) == (39, 2)
    assert hebi["township-homes-converted"]["value"] == 4

    earlier = by_code(indicators("411700", "--period", "2023")["indicators"])
    assert earlier["handover-rate"]["value"] == 18 and "lottery-share" not in earlier

    # The breakdowns the bulletins do not give are marked illustrative; loading is idempotent.
    assert IndicatorValue.objects.filter(region__code="411721", is_illustrative=True).exists()
    assert not IndicatorValue.objects.get(region__code="411727").is_illustrative
    counts = (Facility.objects.count(), IndicatorValue.objects.count())
    facilities_demo.load_demo()
    indicators_demo.load_demo()
    assert (Facility.objects.count(), IndicatorValue.objects.count()) == counts
