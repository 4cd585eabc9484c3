"""The catalogue read from the topic's data file, comparisons and derived arithmetic."""

from decimal import Decimal

import pytest

from oversight.indicators.catalogue import Standard, _parse, catalogue, compare
from oversight.indicators.compliance import derive, evaluate
from oversight.indicators.models import IndicatorValue

from .conftest import enter, facilities


def test_the_catalogue_comes_from_the_topic_data_file():
    indicators = catalogue("elderly-care")
    land = indicators["land-per-capita"]
    assert (land.unit, land.kind, land.obtained) == ("平方米/人", "per_capita", "entered")
    standard = land.standard_for("county")
    assert standard is not None
    assert (standard.comparison, standard.threshold) == (">=", Decimal("0.2"))
    assert standard.basis == "养老服务设施用地人均不低于0.2平方米"
    assert land.standard_for("province") is None
    lottery = indicators["lottery-share"].standard_for("city")
    assert lottery is not None and lottery.basis == "福利彩票公益金不低于55%用于支持发展养老服务"
    meal = indicators["meal-operating"]
    assert meal.target_for("410600", "2024").value == 16
    assert meal.target_for("411700", "2024") is None
    assert indicators["street-centre-operating-rate"].measure == "operating_rate"


@pytest.mark.parametrize(
    ("comparison", "value", "expected"),
    [
        (">=", "0.2", True),
        (">=", "0.19", False),
        ("<=", "0.2", True),
        ("<=", "0.21", False),
        (">", "0.21", True),
        (">", "0.2", False),
        ("<", "0.19", True),
        ("<", "0.2", False),
        ("==", "0.20", True),
        ("==", "0.2001", False),
    ],
)
def test_every_comparison_kind(comparison, value, expected):
    assert compare(Decimal(value), comparison, Decimal("0.2")) is expected
    standard = Standard(comparison, Decimal("0.2"), ("county",), "依据")
    assert standard.met_by(Decimal(value)) is expected


def test_derived_arithmetic():
    rate = catalogue("elderly-care")["meal-completion-rate"]
    assert derive(rate, [Decimal(435), Decimal(430)]) == Decimal("101.1628")
    assert derive(rate, [Decimal(1), Decimal(0)]) is None
    difference = _parse(
        "t",
        {"code": "d", "name": "差", "unit": "个", "kind": "count", "higher_is_better": True,
         "obtained": "derived", "derived": {"op": "difference", "of": ["a", "b"]}},
        {"a": rate, "b": rate},
    )  # fmt: skip
    assert derive(difference, [Decimal(41), Decimal(18)]) == Decimal(23)
    total = _parse(
        "t",
        {"code": "s", "name": "和", "unit": "个", "kind": "count", "higher_is_better": True,
         "obtained": "derived", "derived": {"op": "sum", "of": ["a", "b"], "scale": 2}},
        {"a": rate, "b": rate},
    )  # fmt: skip
    assert derive(total, [Decimal(1), Decimal("2.5")]) == Decimal(7)


def test_a_derived_indicator_must_refer_to_earlier_ones():
    with pytest.raises(ValueError, match="derived"):
        _parse(
            "t",
            {"code": "r", "name": "率", "unit": "%", "kind": "ratio", "higher_is_better": True,
             "obtained": "derived", "derived": {"op": "ratio", "of": ["later", "x"]}},
            {},
        )  # fmt: skip


def test_a_derived_rate_from_an_entered_count_and_a_registry_count(staff, topic, zhumadian):
    enter(staff, topic, "411700", "meal-planned", 430)
    facilities(staff, topic, "411727", "meal", 435, prefix="助餐点")
    evaluation = evaluate(topic, [zhumadian], values=IndicatorValue.objects.all(), period="2024")
    cell = evaluation.cell(zhumadian, catalogue("elderly-care")["meal-completion-rate"])
    assert cell.value == Decimal("101.1628")
    assert cell.value_text == "101.2%"
    assert cell.complies is True
    enter(staff, topic, "411700", "meal-planned", 500)
    evaluation = evaluate(topic, [zhumadian], values=IndicatorValue.objects.all(), period="2024")
    cell = evaluation.cell(zhumadian, catalogue("elderly-care")["meal-completion-rate"])
    assert cell.value == Decimal(87)
    assert cell.complies is False
    assert cell.basis == "老年助餐点按规划全部建成"


@pytest.fixture
def zhumadian(reference):
    return reference["zhumadian"]
