"""Fixtures for linked supervision across province, city and county.

Import with ``from tests.linking import *`` in a test module. On top of tests/conftest.py's
users (staff of 驻马店, county_user of 汝南县, outsider of 鹤壁):

- province: 河南省 campaign, the parent of ``campaign`` (驻马店's)
- province_staff: staff of 河南省人大常委会
- county_liaison: liaison of 汝南县民政局 (a department of a county)
- sibling_county_user: staff of 西平县人大常委会, a sibling county of 汝南县
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.organisations.services import ensure_departments
from oversight.problems import actions
from oversight.problems.models import Problem, RectificationType
from oversight.regions.models import Region
from tests.conftest import make_user, org

__all__ = [
    "county_liaison",
    "deadline",
    "pdf",
    "province",
    "province_staff",
    "report_in_writing",
    "sibling_county_user",
]

RUNAN, XIPING, ZHUMADIAN, HENAN = "411727", "411721", "411700", "410000"


def deadline(days: int = 30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def pdf(name: str = "书面报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")


def report_in_writing(user: User, problem: Problem, text: str = "已整改到位") -> Any:
    """A lower congress's written report (书面报告) with the report document attached."""
    return actions.claim_completion(
        actor=user,
        problem=problem,
        text=text,
        evidence=[pdf()],
        rectification_type=RectificationType.IMMEDIATE,
    )


@pytest.fixture
def province(reference: dict[str, Any], campaign: Campaign) -> Campaign:
    top = Campaign.objects.create(
        slug="henan-test",
        name="河南省联动监督（测试）",
        topic=reference["topic"],
        congress=org(HENAN, "congress"),
        region=Region.objects.get(code=HENAN),
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    campaign.parent = top
    campaign.save(update_fields=["parent"])
    return top


@pytest.fixture
def province_staff(reference: dict[str, Any]) -> User:
    return make_user("province_staff", org(HENAN, "congress"), Role.CONGRESS_STAFF)


@pytest.fixture
def county_liaison(reference: dict[str, Any]) -> User:
    ensure_departments(Region.objects.get(code=RUNAN), reference["topic"])
    return make_user("county_liaison", org(RUNAN, "minzheng"), Role.LIAISON)


@pytest.fixture
def sibling_county_user(reference: dict[str, Any]) -> User:
    return make_user("sibling_county", org(XIPING, "congress"), Role.COUNTY_STAFF)
