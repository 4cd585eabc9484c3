"""The facility registry pages: browse a region's facilities, register and edit one."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.facilities.models import Facility, Status
from oversight.regions.models import Region

from .conftest import facilities

D = datetime.date


def list_url(code, **params):
    url = reverse("indicators:facilities:list", args=["elderly-care", code])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def create_url(code):
    return reverse("indicators:facilities:create", args=["elderly-care", code])


def edit_url(code, facility):
    return reverse("indicators:facilities:edit", args=["elderly-care", code, facility.pk])


def form_data(region_code="411727", **changes):
    data = {
        "kind": "meal",
        "name": "汝南县城关助餐点",
        "region": str(Region.objects.get(code=region_code).pk),
        "address": "城关镇人民路 1 号",
        "operator": "",
        "status": Status.OPERATING,
        "built_on": "2023-03-01",
        "operating_since": "2023-04-01",
        "ceased_on": "",
        "converted_on": "",
        "note": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def seed(staff, topic):
    facilities(staff, topic, "411727", "meal", 2, prefix="汝南助餐")
    facilities(staff, topic, "411721", "meal", 3, prefix="西平助餐")
    facilities(staff, topic, "411700", "street-centre", 1, prefix="市直中心")


def names(response):
    return {facility.name for facility, _kind, _editable in response.context["rows"]}


# Happy paths


def test_staff_registers_a_facility_through_the_page(client, staff, topic):
    client.force_login(staff)
    page = client.get(list_url("411700"))
    assert create_url("411700") in page.content.decode()
    assert client.get(create_url("411700")).status_code == 200
    response = client.post(create_url("411700"), form_data())
    assert response.status_code == 302
    assert response["Location"] == list_url("411700")
    facility = Facility.objects.get(name="汝南县城关助餐点")
    assert facility.region.code == "411727"
    assert facility.created_by == staff
    assert facility.operating_since == D(2023, 4, 1)
    listed = client.get(list_url("411700"))
    assert "汝南县城关助餐点" in names(listed)


def test_staff_closes_a_facility_through_the_edit_form(client, staff, topic):
    [facility] = facilities(staff, topic, "411727", "meal", 1, prefix="汝南助餐")
    client.force_login(staff)
    page = client.get(list_url("411700"))
    assert edit_url("411700", facility) in page.content.decode()
    form = client.get(edit_url("411700", facility))
    assert form.status_code == 200
    assert form.context["form"]["name"].value() == facility.name
    data = form_data(
        name=facility.name,
        built_on="2023-01-01",
        operating_since="2023-02-01",
        status=Status.CLOSED,
        ceased_on="2024-06-30",
    )
    response = client.post(edit_url("411700", facility), data)
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.status == Status.CLOSED
    assert facility.ceased_on == D(2024, 6, 30)
    assert Facility.objects.count() == 1


def test_licences_and_conversion_are_recorded(client, staff, topic):
    client.force_login(staff)
    data = form_data(kind="medical-care", name="汝南医养中心", medical_licence="on",
                     care_licence="on")  # fmt: skip
    assert client.post(create_url("411700"), data).status_code == 302
    assert Facility.objects.get(name="汝南医养中心").has_both_licences
    [home] = facilities(staff, topic, "411727", "township-home", 1, prefix="敬老院")
    data = form_data(kind="township-home", name=home.name, built_on="2023-01-01",
                     operating_since="2023-02-01", converted_on="2024-09-30")  # fmt: skip
    assert client.post(edit_url("411700", home), data).status_code == 302
    home.refresh_from_db()
    assert home.converted_on == D(2024, 9, 30)


# Refusals store nothing


def test_a_refused_registration_stores_nothing_and_shows_the_error_by_its_field(
    client, staff, topic
):
    client.force_login(staff)
    response = client.post(create_url("411700"), form_data(operating_since=""))
    assert response.status_code == 400
    assert not Facility.objects.exists()
    form = response.context["form"]
    assert form.errors["operating_since"] == ["运营中的设施须填写开始运营日期。"]
    assert "运营中的设施须填写开始运营日期。" in response.content.decode()
    # A licence on a kind that has none is refused next to the licence.
    response = client.post(create_url("411700"), form_data(medical_licence="on"))
    assert response.status_code == 400
    assert "medical_licence" in response.context["form"].errors
    assert not Facility.objects.exists()


def test_a_duplicate_name_is_refused(client, staff, topic):
    facilities(staff, topic, "411727", "meal", 1, prefix="汝南助餐")
    client.force_login(staff)
    response = client.post(create_url("411700"), form_data(name="汝南助餐0"))
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert Facility.objects.count() == 1


def test_a_refused_edit_changes_nothing(client, staff, topic):
    [facility] = facilities(staff, topic, "411727", "meal", 1, prefix="汝南助餐")
    client.force_login(staff)
    data = form_data(name="改名", status=Status.CLOSED, built_on="2023-01-01",
                     operating_since="2023-02-01", ceased_on="2022-12-31")  # fmt: skip
    response = client.post(edit_url("411700", facility), data)
    assert response.status_code == 400
    assert "ceased_on" in response.context["form"].errors
    facility.refresh_from_db()
    assert facility.name == "汝南助餐0"
    assert facility.status == Status.OPERATING


def test_a_region_outside_the_page_cannot_be_chosen(client, staff, county_user, topic):
    client.force_login(county_user)
    data = form_data(region_code="411721")
    response = client.post(create_url("411727"), data)
    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert not Facility.objects.exists()


# Scoping


def test_a_county_sees_its_own_facilities_and_none_of_a_siblings(client, staff, county_user, topic):
    seed(staff, topic)
    client.force_login(county_user)
    response = client.get(list_url("411727"))
    assert response.status_code == 200
    assert names(response) == {"汝南助餐0", "汝南助餐1"}
    assert "西平" not in response.content.decode()
    assert client.get(list_url("411721")).status_code == 404
    assert client.get(list_url("411700")).status_code == 404
    sibling = Facility.objects.filter(region__code="411721").first()
    assert client.get(edit_url("411727", sibling)).status_code == 404
    assert client.get(edit_url("411721", sibling)).status_code == 404


def test_county_staff_enter_their_own_county(client, staff, county_user, topic):
    client.force_login(county_user)
    page = client.get(list_url("411727"))
    assert create_url("411727") in page.content.decode()
    assert client.post(create_url("411727"), form_data()).status_code == 302
    assert Facility.objects.get().created_by == county_user


def test_another_citys_staff_get_404(client, staff, outsider, topic):
    seed(staff, topic)
    facility = Facility.objects.filter(region__code="411727").first()
    client.force_login(outsider)
    assert client.get(list_url("411700")).status_code == 404
    assert client.get(list_url("411727")).status_code == 404
    assert client.get(create_url("411700")).status_code == 404
    assert client.post(create_url("411700"), form_data()).status_code == 404
    assert client.get(edit_url("411700", facility)).status_code == 404
    assert client.post(edit_url("411700", facility), form_data()).status_code == 404
    assert client.post(edit_url("410600", facility), form_data()).status_code == 404
    own = client.get(list_url("410600"))
    assert own.status_code == 200
    assert not names(own)
    assert Facility.objects.count() == 6


def test_a_member_reads_but_does_not_enter(client, staff, member, topic):
    seed(staff, topic)
    facility = Facility.objects.filter(region__code="411727").first()
    client.force_login(member)
    response = client.get(list_url("411700"))
    assert response.status_code == 200
    assert len(names(response)) == 6
    content = response.content.decode()
    assert create_url("411700") not in content
    assert "/edit/" not in content
    assert client.get(create_url("411700")).status_code == 403
    assert client.post(create_url("411700"), form_data()).status_code == 403
    assert client.get(edit_url("411700", facility)).status_code == 403
    assert client.post(edit_url("411700", facility), form_data(name="改")).status_code == 403
    assert Facility.objects.count() == 6
    assert not Facility.objects.filter(name="改").exists()


def test_a_department_sees_its_own_regions_facilities_only(client, staff, liaison_a, topic):
    seed(staff, topic)
    client.force_login(liaison_a)
    response = client.get(list_url("411700"))
    assert response.status_code == 200
    assert names(response) == {"市直中心0"}
    assert client.get(list_url("411727")).status_code == 404
    assert client.get(create_url("411700")).status_code == 403


# Filters, order, summary


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "street-centre"}, {"市直中心0"}),
        ({"region": "411721"}, {"西平助餐0", "西平助餐1", "西平助餐2"}),
        ({"q": "汝南"}, {"汝南助餐0", "汝南助餐1"}),
        ({"status": Status.BUILT}, {"闲置点0"}),
        ({"kind": "meal", "region": "411727", "q": "1"}, {"汝南助餐1"}),
        ({"kind": "no-such-kind", "region": "410600"}, None),  # ignored: everything
    ],
)
def test_filters(client, staff, topic, params, expected):
    seed(staff, topic)
    facilities(staff, topic, "411727", "meal", 1, status=Status.BUILT, prefix="闲置点")
    client.force_login(staff)
    response = client.get(list_url("411700", **params))
    assert response.status_code == 200
    assert names(response) == (expected or set(Facility.objects.values_list("name", flat=True)))


def test_a_long_search_is_capped(client, staff, topic):
    seed(staff, topic)
    client.force_login(staff)
    response = client.get(list_url("411700", q="汝" * 500))
    assert response.status_code == 200
    assert response.context["filters"].value("q") == "汝" * 100
    assert not names(response)


def test_sorted_by_region_then_name_and_paginated(client, staff, topic):
    facilities(staff, topic, "411727", "meal", 30, prefix="乙")
    facilities(staff, topic, "411721", "meal", 30, prefix="甲")
    client.force_login(staff)
    first = client.get(list_url("411700"))
    rows = [facility for facility, _kind, _editable in first.context["rows"]]
    assert len(rows) == 50
    assert first.context["page"].paginator.count == 60
    keys = [(f.region.code, f.name) for f in rows]
    assert keys == sorted(keys)
    assert rows[0].region.code == "411721"
    second = client.get(list_url("411700", page=2))
    assert len(second.context["rows"]) == 10


def test_counts_and_operating_rate_per_kind(client, staff, topic):
    facilities(staff, topic, "411727", "street-centre", 3, prefix="运营")
    facilities(staff, topic, "411727", "street-centre", 1, status=Status.BUILT, prefix="闲置")
    client.force_login(staff)
    response = client.get(list_url("411700"))
    summary = {row.kind.code: row for row in response.context["summary"]}
    assert (summary["street-centre"].built, summary["street-centre"].operating) == (4, 3)
    assert summary["street-centre"].rate == "75.0%"
    assert summary["family-bed"].rate == "—"
    assert "75.0%" in response.content.decode()
    only_xiping = client.get(list_url("411700", region="411721"))
    assert {row.kind.code: row for row in only_xiping.context["summary"]}[
        "street-centre"
    ].built == 0


def test_query_count_is_flat_in_the_number_of_facilities(client, staff, topic):
    client.force_login(staff)
    facilities(staff, topic, "411727", "meal", 5, prefix="汝南")

    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get(list_url("411700"))
        assert response.status_code == 200
        return len(context)

    few = count()
    facilities(staff, topic, "411721", "street-centre", 30, prefix="西平")
    facilities(staff, topic, "411727", "medical-care", 25, prefix="医养")
    assert Facility.objects.count() == 60
    assert count() == few


# Links


def test_the_registry_and_the_compliance_page_link_to_each_other(client, staff, topic):
    client.force_login(staff)
    compliance = reverse("indicators:compliance", args=["elderly-care", "411700"])
    assert list_url("411700") in client.get(compliance).content.decode()
    assert compliance in client.get(list_url("411700")).content.decode()
