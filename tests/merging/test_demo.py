"""The practice campaign (归并演练): Zhumadian's raw reports, unmerged, for the merger to group."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from oversight.accounts.models import Role
from oversight.campaigns.models import Campaign
from oversight.merging import demo, services
from oversight.problems.permissions import can_manage
from tests.conftest import make_user, org

pytestmark = pytest.mark.django_db


def test_practice_campaign_holds_every_raw_report_unmerged(reference: Any, client: Any) -> None:
    staff = make_user("zmd-staff", org("411700", "congress"), Role.CONGRESS_STAFF)
    campaign = demo.load_practice_campaign()
    assert campaign is not None
    assert demo.load_practice_campaign() is None  # idempotent
    assert Campaign.objects.filter(slug=demo.PRACTICE_SLUG).count() == 1
    assert campaign.name.endswith("（归并演练）")
    assert campaign.is_illustrative
    assert campaign.region.code == "411700"
    assert campaign.raw_reports.count() == 203
    assert not campaign.raw_reports.filter(problem__isnull=False).exists()
    assert can_manage(staff, campaign)
    client.force_login(staff)
    response = client.get(reverse("merging:proposals", args=[campaign.slug]))
    assert response.status_code == 200
    assert len(services.proposals(campaign)) >= 20
