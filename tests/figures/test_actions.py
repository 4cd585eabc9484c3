"""The rules of extracting and deciding, at the actions: who, which indicator, which region,
and what happens to a value already recorded."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.figures import actions
from oversight.figures.models import Decision, Extraction
from oversight.indicators.actions import ValueSpec, record_value
from oversight.indicators.models import IndicatorValue, Source
from oversight.regions.models import Region

from .conftest import PARAGRAPH, candidate_of

pytestmark = pytest.mark.django_db

EARLIER = datetime.datetime(2024, 11, 1, tzinfo=datetime.UTC)


def city() -> Region:
    return Region.objects.get(code="411700")


def accept(staff, candidate, indicator="lottery-share", region=None, **kwargs):  # type: ignore[no-untyped-def]
    return actions.accept_candidate(
        actor=staff,
        candidate=candidate,
        indicator=indicator,
        region=region or city(),
        period="2024",
        **kwargs,
    )


def recorded(staff, reference, value: str, note: str = "统计局数据") -> IndicatorValue:  # type: ignore[no-untyped-def]
    spec = ValueSpec("lottery-share", city(), "2024", Decimal(value), Source.STATISTICS, note=note)
    return record_value(actor=staff, topic=reference["topic"], spec=spec, at=EARLIER)


@pytest.mark.parametrize("who", ["member", "liaison_a", "outsider", "county_user"])
def test_only_the_campaigns_staff_extract(campaign, request, who):
    with pytest.raises(PermissionDenied):
        actions.extract_figures(
            actor=request.getfixturevalue(who), campaign=campaign, text=PARAGRAPH, title="x"
        )
    assert not Extraction.objects.exists()


def test_an_empty_text_is_refused(campaign, staff):
    with pytest.raises(ValidationError) as refused:
        actions.extract_figures(actor=staff, campaign=campaign, text=" \n ", title="")
    assert refused.value.code == "no_text"
    assert not Extraction.objects.exists()


def test_the_same_number_already_recorded_is_linked_not_rewritten(staff, reference, extraction):
    existing = recorded(staff, reference, "71.16")
    value = accept(staff, candidate_of(extraction, "71.16", "%"))
    assert value == existing
    value.refresh_from_db()
    assert (value.source, value.note, value.entered_at) == (
        Source.STATISTICS,
        "统计局数据",
        EARLIER,
    )


def test_another_number_is_replaced_only_when_asked(staff, reference, extraction):
    recorded(staff, reference, "60")
    rate = candidate_of(extraction, "71.16", "%")
    with pytest.raises(ValidationError) as refused:
        accept(staff, rate)
    assert refused.value.code == "exists"
    assert "已有数值 60" in refused.value.messages[0]
    rate.refresh_from_db()
    assert rate.decision == Decision.PENDING
    value = accept(staff, rate, replace=True)
    assert (value.value, value.source) == (Decimal("71.16"), Source.BULLETIN)
    assert IndicatorValue.objects.count() == 1


@pytest.mark.parametrize(
    "indicator, value, unit, code",
    [
        ("meal-funds", "71.16", "%", "unit"),  # 万元 for a percent
        ("street-centre-operating-rate", "96", "%", "indicator"),  # computed from the registry
        ("no-such-indicator", "71.16", "%", "indicator"),
    ],
)
def test_the_indicator_must_be_entered_and_fit(staff, extraction, indicator, value, unit, code):
    candidate = candidate_of(extraction, value, unit)
    with pytest.raises(ValidationError) as refused:
        accept(staff, candidate, indicator=indicator)
    assert refused.value.code == code
    assert not IndicatorValue.objects.exists()


def test_the_region_must_be_the_campaigns(staff, extraction):
    with pytest.raises(ValidationError) as refused:
        accept(
            staff, candidate_of(extraction, "71.16", "%"), region=Region.objects.get(code="410600")
        )
    assert refused.value.code == "region"
    assert not IndicatorValue.objects.exists()


def test_a_candidate_is_accepted_once(staff, extraction):
    rate = candidate_of(extraction, "71.16", "%")
    accept(staff, rate)
    with pytest.raises(ValidationError):
        accept(staff, rate)
    with pytest.raises(ValidationError):
        actions.dismiss_candidate(actor=staff, candidate=rate)
    with pytest.raises(ValidationError):
        actions.reopen_candidate(actor=staff, candidate=rate)


def test_a_member_cannot_decide(member, extraction):
    rate = candidate_of(extraction, "71.16", "%")
    with pytest.raises(PermissionDenied):
        accept(member, rate)
    with pytest.raises(PermissionDenied):
        actions.dismiss_candidate(actor=member, candidate=rate)
    assert not IndicatorValue.objects.exists()


def test_a_long_sentence_is_shortened_around_the_figure_in_the_note(campaign, staff):
    text = (
        "在加强资金扶持上，"
        + "严格落实有关规定，" * 30
        + "福利彩票公益金用于养老服务比例已达到71.16%，"
        + "继续加大投入，" * 30
        + "。"
    )
    extraction = actions.extract_figures(actor=staff, campaign=campaign, text=text, title="长句")
    value = accept(staff, candidate_of(extraction, "71.16", "%"))
    assert len(value.note) <= 200
    assert "71.16%" in value.note
    assert value.note.startswith("…") and value.note.endswith("…")
