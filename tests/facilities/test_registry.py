"""Counts and rates computed from the registry, never typed in."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.facilities.actions import FacilitySpec, register_facilities
from oversight.facilities.models import Facility, Status
from oversight.facilities.registry import registry_figures
from oversight.indicators.catalogue import catalogue
from oversight.indicators.compliance import evaluate
from oversight.indicators.models import IndicatorValue
from oversight.regions.models import Region

from .conftest import facilities

D = datetime.date


def test_operating_rate_and_counts_from_the_registry(staff, topic):
    facilities(staff, topic, "411727", "street-centre", 3, prefix="运营")
    facilities(staff, topic, "411727", "street-centre", 1, status=Status.BUILT, prefix="闲置")
    facilities(staff, topic, "411721", "street-centre", 1, prefix="西平")
    runan, xiping, city = (Region.objects.get(code=c) for c in ("411727", "411721", "411700"))
    figures = registry_figures(topic, [city, runan, xiping], D(2024, 12, 31))
    assert figures.value(runan, "street-centre", "built") == 4
    assert figures.value(runan, "street-centre", "operating") == 3
    assert figures.value(runan, "street-centre", "operating_rate") == Decimal("75.0000")
    assert figures.value(city, "street-centre", "operating_rate") == Decimal("80.0000")
    # No row of that kind in the region nor its parent: no figure, rather than a zero.
    assert figures.value(runan, "family-bed", "operating") is None


def test_figures_follow_the_dates(staff, topic):
    facilities(staff, topic, "411727", "day-care", 2, built_on=D(2023, 1, 1),
               operating_since=D(2024, 5, 1), prefix="新")  # fmt: skip
    facilities(staff, topic, "411727", "day-care", 2, built_on=D(2022, 1, 1),
               operating_since=D(2022, 2, 1), prefix="老")  # fmt: skip
    facilities(staff, topic, "411727", "day-care", 1, status=Status.CLOSED,
               built_on=D(2020, 1, 1), operating_since=D(2020, 2, 1),
               ceased_on=D(2024, 3, 1), prefix="停")  # fmt: skip
    runan = Region.objects.get(code="411727")
    end_2023 = registry_figures(topic, [runan], D(2023, 12, 31))
    assert end_2023.value(runan, "day-care", "built") == 5
    assert end_2023.value(runan, "day-care", "operating") == 3
    end_2024 = registry_figures(topic, [runan], D(2024, 12, 31))
    assert end_2024.value(runan, "day-care", "built") == 4
    assert end_2024.value(runan, "day-care", "operating_rate") == Decimal(100)


def test_both_licences_and_conversions_are_counted(staff, topic):
    facilities(staff, topic, "411727", "medical-care", 2, medical_licence=True,
               care_licence=True, prefix="双证")  # fmt: skip
    facilities(staff, topic, "411727", "medical-care", 1, medical_licence=True, prefix="单证")
    facilities(staff, topic, "411727", "township-home", 2, converted_on=D(2024, 9, 30),
               prefix="已转型")  # fmt: skip
    facilities(staff, topic, "411727", "township-home", 1, prefix="未转型")
    runan = Region.objects.get(code="411727")
    evaluation = evaluate(topic, [runan], values=IndicatorValue.objects.all(), period="2024")
    indicators = catalogue("elderly-care")
    both = evaluation.cell(runan, indicators["medical-care-both-licences"])
    assert both.value == 2
    assert both.complies is True  # each county at least one
    assert evaluation.cell(runan, indicators["township-homes-converted"]).value == 2
    before = evaluate(topic, [runan], values=IndicatorValue.objects.all(), period="2024Q2")
    assert before.cell(runan, indicators["township-homes-converted"]).value == 0


def test_a_county_without_a_required_institution_falls_short(staff, topic):
    facilities(staff, topic, "411727", "medical-care", 1, medical_licence=True,
               care_licence=True)  # fmt: skip
    xiping, city = Region.objects.get(code="411721"), Region.objects.get(code="411700")
    evaluation = evaluate(topic, [city, xiping], values=IndicatorValue.objects.all(), period="2024")
    cell = evaluation.cell(xiping, catalogue("elderly-care")["medical-care-both-licences"])
    assert cell.value == 0
    assert cell.complies is False
    assert cell.basis == "每个县区至少建立1所医养结合机构"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "spaceship"}, "未知的设施类型"),
        ({"name": " "}, "请填写设施名称"),
        ({"operating_since": None}, "须填写开始运营日期"),
        ({"operating_since": D(2022, 1, 1)}, "不能早于建成日期"),
        ({"status": Status.PLANNED}, "不应有建成或运营日期"),
        ({"medical_licence": True}, "不登记执业许可"),
        ({"converted_on": D(2024, 1, 1)}, "不登记转型"),
        ({"ceased_on": D(2024, 1, 1)}, "只有已停运的设施"),
    ],
)
def test_a_facility_is_checked_before_it_is_registered(staff, topic, changes, message):
    spec = {
        "kind": "meal",
        "name": "助餐点",
        "region": Region.objects.get(code="411727"),
        "status": Status.OPERATING,
        "built_on": D(2023, 1, 1),
        "operating_since": D(2023, 2, 1),
    }
    with pytest.raises(ValidationError) as error:
        register_facilities(actor=staff, topic=topic, specs=[FacilitySpec(**{**spec, **changes})])
    assert message in " ".join(error.value.messages)
    assert not Facility.objects.exists()


def test_only_congress_staff_of_the_region_register(staff, member, county_user, outsider, topic):
    runan = Region.objects.get(code="411727")
    spec = FacilitySpec(kind="meal", name="助餐点", region=runan, status=Status.PLANNED)
    for user in (member, outsider):
        with pytest.raises(PermissionDenied):
            register_facilities(actor=user, topic=topic, specs=[spec])
    xiping_spec = FacilitySpec(
        kind="meal", name="助餐点", region=Region.objects.get(code="411721"), status=Status.PLANNED
    )
    with pytest.raises(PermissionDenied):
        register_facilities(actor=county_user, topic=topic, specs=[xiping_spec])
    register_facilities(actor=county_user, topic=topic, specs=[spec])
    with pytest.raises(ValidationError, match="同类同名"):
        register_facilities(actor=staff, topic=topic, specs=[spec])
    assert Facility.objects.count() == 1
