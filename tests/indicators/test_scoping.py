"""Who sees which values: congress users their region and below; a department its own
region's figures; outside scope → 404."""

from django.urls import reverse

from oversight.facilities.models import Facility
from oversight.indicators.models import IndicatorValue

from .conftest import enter, facilities


def page(client, code):
    return client.get(reverse("indicators:compliance", args=["elderly-care", code]))


def seed(staff, topic):
    enter(staff, topic, "411700", "land-per-capita", "0.23")
    enter(staff, topic, "411727", "land-per-capita", "0.51")
    enter(staff, topic, "411721", "land-per-capita", "0.37")
    facilities(staff, topic, "411727", "meal", 2, prefix="汝南")
    facilities(staff, topic, "411721", "meal", 3, prefix="西平")


def test_a_county_sees_its_own_values_and_none_of_a_siblings(client, staff, county_user, topic):
    seed(staff, topic)
    visible = IndicatorValue.objects.visible_to(county_user)
    assert {v.region.code for v in visible} == {"411727"}
    assert {f.region.code for f in Facility.objects.visible_to(county_user)} == {"411727"}
    client.force_login(county_user)
    response = page(client, "411727")
    assert response.status_code == 200
    assert "0.51" in response.content.decode()
    assert "0.37" not in response.content.decode()
    assert page(client, "411721").status_code == 404
    assert page(client, "411700").status_code == 404


def test_city_congress_sees_the_city_and_its_counties(client, member, staff, topic):
    seed(staff, topic)
    client.force_login(member)
    response = page(client, "411700")
    assert response.status_code == 200
    content = response.content.decode()
    assert all(value in content for value in ("0.23", "0.51", "0.37"))
    assert page(client, "411727").status_code == 200
    assert page(client, "410600").status_code == 404


def test_a_department_sees_its_own_regions_values_only(client, staff, liaison_a, topic):
    seed(staff, topic)
    assert {v.region.code for v in IndicatorValue.objects.visible_to(liaison_a)} == {"411700"}
    client.force_login(liaison_a)
    response = page(client, "411700")
    assert response.status_code == 200
    content = response.content.decode()
    assert "0.23" in content
    assert "0.51" not in content and 'data-testid="child-table"' not in content
    assert page(client, "411727").status_code == 404


def test_another_city_is_not_found(client, staff, outsider, topic):
    seed(staff, topic)
    client.force_login(outsider)
    assert page(client, "411700").status_code == 404
    assert page(client, "411727").status_code == 404
    assert not IndicatorValue.objects.visible_to(outsider).exists()
    assert page(client, "410600").status_code == 200


def test_the_campaign_link_leads_to_the_campaigns_region(client, staff, campaign):
    client.force_login(staff)
    response = client.get(reverse("indicators:campaign", args=[campaign.slug]))
    assert response["Location"] == reverse("indicators:compliance", args=["elderly-care", "411700"])
    dashboard = client.get(reverse("campaigns:dashboard", args=[campaign.slug]))
    assert reverse("indicators:campaign", args=[campaign.slug]) in dashboard.content.decode()
