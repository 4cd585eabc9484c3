"""Reference data shipped with the project: every region gets its congress and departments."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.organisations.models import Kind, Organisation
from oversight.regions.models import Level, Region
from oversight.regions.services import load_regions
from tests.conftest import org


def test_load_reference_covers_every_region(db):
    out = StringIO()
    call_command("load_reference", stdout=out)
    cities = Region.objects.filter(level=Level.CITY)
    assert cities.count() == 18  # 17 prefecture cities and Jiyuan
    assert Region.objects.filter(parent__code="411700").count() == 10
    assert Region.objects.filter(parent__code="410600").count() == 5
    # Every county-level division of Henan: 156 under the cities, plus Jiyuan (a city here).
    assert Region.objects.filter(level=Level.COUNTY, parent__level=Level.CITY).count() == 156
    assert Region.objects.get(code="410308").name == "孟津区"  # 2021: 孟津县 and 吉利区 merged
    assert Region.objects.get(code="419001").parent.code == "410000"
    for region in Region.objects.all():
        assert Organisation.objects.filter(region=region, kind=Kind.CONGRESS).count() == 1
    assert Organisation.objects.get(region__code="419001", kind=Kind.CONGRESS).name == (
        "济源市人大工委"
    )
    assert Organisation.objects.filter(region__code="411727", kind=Kind.DEPARTMENT).count() == 12
    # The province has its own names, and no department where it has none (城市管理).
    province = Organisation.objects.filter(region__code="410000", kind=Kind.DEPARTMENT)
    assert "河南省民政厅" in set(province.values_list("name", flat=True))
    assert not province.filter(code="chengguan").exists()
    assert "机构" in out.getvalue()

    before = Organisation.objects.count()
    call_command("load_reference", stdout=StringIO())
    assert Organisation.objects.count() == before


def test_a_role_must_fit_the_kind_of_organisation(reference):
    user = User(username="x", role=Role.CONGRESS_MEMBER, organisation=org("411700", "minzheng"))
    with pytest.raises(ValidationError, match="类型不符"):
        user.full_clean()
    liaison = User(username="y", role=Role.LIAISON, organisation=org("411700", "congress"))
    with pytest.raises(ValidationError, match="类型不符"):
        liaison.full_clean()


def test_a_campaign_is_run_by_its_own_regions_congress(reference):
    campaign = Campaign(
        slug="mismatch",
        name="错配",
        topic=reference["topic"],
        congress=org("410600", "congress"),
        region=reference["zhumadian"],
        starts_on="2024-01-01",
        ends_on="2024-12-31",
    )
    with pytest.raises(ValidationError, match="本行政区划的人大常委会"):
        campaign.full_clean()


def test_reloading_regions_restores_changed_rows_and_adds_none(reference):
    Region.objects.filter(code="411727").update(name="改过的名字")
    before = Region.objects.count()
    assert load_regions() == before
    assert Region.objects.count() == before
    assert Region.objects.get(code="411727").name == "汝南县"
