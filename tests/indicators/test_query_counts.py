"""The compliance table runs the same number of queries whatever the number of regions."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.regions.models import Region

from .conftest import enter, facilities


def queries(client, code):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("indicators:compliance", args=["elderly-care", code]))
    assert response.status_code == 200
    return len(context), response


def test_query_count_is_flat_in_the_number_of_regions(client, staff, topic):
    client.force_login(staff)
    enter(staff, topic, "411700", "handover-rate", 18, period="2023")
    enter(staff, topic, "411727", "land-per-capita", "0.51")
    facilities(staff, topic, "411727", "meal", 2)
    few, response = queries(client, "411700")
    assert len(response.context["child_rows"]) == 10
    for county in Region.objects.filter(parent__code="411700").exclude(code="411727"):
        enter(staff, topic, county.code, "land-per-capita", "0.15")
        facilities(staff, topic, county.code, "meal", 3, prefix=county.code)
        facilities(staff, topic, county.code, "street-centre", 2, prefix=county.code)
    many, response = queries(client, "411700")
    assert len(response.context["shortfalls"]) == 9
    assert many == few


def test_province_and_county_pages_cost_the_same(client, topic, reference):
    from oversight.accounts.models import Role
    from tests.conftest import make_user, org

    province_staff = make_user("henan", org("410000", "congress"), Role.CONGRESS_STAFF)
    client.force_login(province_staff)
    enter(province_staff, topic, "411700", "land-per-capita", "0.23", period="2023")
    enter(province_staff, topic, "411727", "land-per-capita", "0.51")
    facilities(province_staff, topic, "411727", "meal", 2)
    province, response = queries(client, "410000")
    assert len(response.context["child_rows"]) == 18
    city, response = queries(client, "411700")
    assert len(response.context["child_rows"]) == 10
    assert province == city
