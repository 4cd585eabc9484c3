"""Entering or correcting one value on the compliance page, through ``record_value``."""

from decimal import Decimal

from django.urls import reverse

from oversight.indicators.models import IndicatorValue, Source

from .conftest import enter


def page_url(code):
    return reverse("indicators:compliance", args=["elderly-care", code])


def value_url(code):
    return reverse("indicators:value", args=["elderly-care", code])


def data(**changes):
    values = {
        "indicator": "land-per-capita",
        "period": "２０２４Ｑ３",
        "value": "0.27",
        "source": Source.INSPECTION,
        "note": "实地核查",
    }
    values.update(changes)
    return values


def test_staff_enter_a_value_on_the_compliance_page(client, staff, topic):
    client.force_login(staff)
    page = client.get(page_url("411700"))
    assert value_url("411700") in page.content.decode()
    indicator_choices = dict(page.context["value_form"].fields["indicator"].choices)
    assert "land-per-capita" in indicator_choices
    assert "meal-operating" not in indicator_choices  # computed from the registry
    assert "meal-completion-rate" not in indicator_choices  # derived
    response = client.post(value_url("411700"), data(is_illustrative="on"))
    assert response.status_code == 302
    assert response["Location"] == page_url("411700") + "?period=2024Q3"
    value = IndicatorValue.objects.get()
    assert (value.region.code, value.indicator, value.period) == (
        "411700",
        "land-per-capita",
        "2024Q3",
    )
    assert value.value == Decimal("0.27")
    assert value.is_illustrative and value.note == "实地核查" and value.entered_by == staff
    shown = client.get(response["Location"])
    assert "0.27" in shown.content.decode()


def test_staff_correct_a_value(client, staff, topic):
    enter(staff, topic, "411727", "lottery-share", "50", period="2024", note="旧")
    client.force_login(staff)
    page = client.get(page_url("411727") + "?period=2024&correct=lottery-share")
    initial = page.context["value_form"].initial
    assert initial["indicator"] == "lottery-share" and initial["note"] == "旧"
    assert "correct=lottery-share" in page.content.decode()
    response = client.post(
        value_url("411727"), data(indicator="lottery-share", period="2024", value="55.5")
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("55.5") and value.note == "实地核查"


def test_a_refused_value_is_shown_again_with_the_reason_and_nothing_is_stored(client, staff, topic):
    client.force_login(staff)
    # The action's rule: a share over 100%.
    response = client.post(value_url("411700"), data(indicator="lottery-share", value="120"))
    assert response.status_code == 400
    assert "百分比不能超过 100。" in response.content.decode()
    assert "第 1 条" not in response.content.decode()
    assert response.context["value_form"]["value"].value() == "120"
    # The form's: a period that is none, an indicator that is computed.
    response = client.post(value_url("411700"), data(period="2024Q5", indicator="meal-operating"))
    assert response.status_code == 400
    errors = response.context["value_form"].errors
    assert "period" in errors and "indicator" in errors
    response = client.post(value_url("411700"), data(value="-1"))
    assert response.status_code == 400
    assert "数值不能为负数。" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_member_reads_but_does_not_enter(client, staff, member, topic):
    enter(staff, topic, "411700", "land-per-capita", "0.23")
    client.force_login(member)
    page = client.get(page_url("411700"))
    assert page.status_code == 200
    assert page.context["value_form"] is None
    assert value_url("411700") not in page.content.decode()
    assert 'data-testid="correct-link"' not in page.content.decode()
    assert client.post(value_url("411700"), data()).status_code == 403
    assert IndicatorValue.objects.count() == 1


def test_a_county_enters_its_own_values_only(client, county_user, topic):
    client.force_login(county_user)
    assert client.post(value_url("411727"), data()).status_code == 302
    assert client.post(value_url("411721"), data()).status_code == 404
    assert client.post(value_url("411700"), data()).status_code == 404
    assert list(IndicatorValue.objects.values_list("region__code", flat=True)) == ["411727"]


def test_another_citys_staff_get_404(client, outsider, topic):
    client.force_login(outsider)
    assert client.post(value_url("411700"), data()).status_code == 404
    assert client.get(value_url("411700")).status_code == 405
    assert not IndicatorValue.objects.exists()
