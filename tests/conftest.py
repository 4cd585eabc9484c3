"""Shared fixtures: the reference data, one campaign, and named users on each side of the line.

- staff: 驻马店市人大常委会 staff, who runs the campaign
- member: a member of the same congress (read-only)
- liaison_a / liaison_b: liaisons of 驻马店市民政局 and 驻马店市卫生健康委员会
- county_user: staff of 汝南县人大常委会
- outsider: staff of 鹤壁市人大常委会, another city
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.organisations.models import Organisation
from oversight.organisations.services import ensure_congresses, ensure_departments
from oversight.problems import actions
from oversight.problems.models import Channel, Kind, Problem, RectificationType, Status
from oversight.regions.models import Region
from oversight.regions.services import load_regions
from oversight.topics.models import Topic
from oversight.topics.services import load_all_topics

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache, which outlives a test's transaction."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference(db: None) -> dict[str, Any]:
    load_regions()
    load_all_topics()
    ensure_congresses()
    topic = Topic.objects.get(slug="elderly-care")
    zhumadian = Region.objects.get(code="411700")
    hebi = Region.objects.get(code="410600")
    ensure_departments(zhumadian, topic)
    ensure_departments(hebi, topic)
    return {"topic": topic, "zhumadian": zhumadian, "hebi": hebi}


def org(region_code: str, code: str) -> Organisation:
    return Organisation.objects.get(region__code=region_code, code=code)


def make_user(username: str, organisation: Organisation, role: str) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, organisation=organisation, role=role, full_name=username
    )


@pytest.fixture
def campaign(reference: dict[str, Any]) -> Campaign:
    return Campaign.objects.create(
        slug="zhumadian-test",
        name="驻马店市联动监督（测试）",
        topic=reference["topic"],
        congress=org("411700", "congress"),
        region=reference["zhumadian"],
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 12, 31),
    )


@pytest.fixture
def staff(reference: dict[str, Any]) -> User:
    return make_user("staff", org("411700", "congress"), Role.CONGRESS_STAFF)


@pytest.fixture
def member(reference: dict[str, Any]) -> User:
    return make_user("member", org("411700", "congress"), Role.CONGRESS_MEMBER)


@pytest.fixture
def liaison_a(reference: dict[str, Any]) -> User:
    return make_user("liaison_a", org("411700", "minzheng"), Role.LIAISON)


@pytest.fixture
def liaison_b(reference: dict[str, Any]) -> User:
    return make_user("liaison_b", org("411700", "weijian"), Role.LIAISON)


@pytest.fixture
def county_user(reference: dict[str, Any]) -> User:
    return make_user("county", org("411727", "congress"), Role.COUNTY_STAFF)


@pytest.fixture
def outsider(reference: dict[str, Any]) -> User:
    return make_user("outsider", org("410600", "congress"), Role.CONGRESS_STAFF)


def merge(
    staff: User, campaign: Campaign, reports: list[Any], title: str, kind: str = "common"
) -> Problem:
    """Raw reports into a new problem of the campaign, located in the campaign's region."""
    return actions.consolidate(
        actor=staff,
        campaign=campaign,
        reports=reports,
        title=title,
        kind=kind,
        region=campaign.region,
    )


ProblemFactory = Callable[..., Problem]


@pytest.fixture
def make_problem(campaign: Campaign, staff: User) -> ProblemFactory:
    """Build a problem through the real actions, up to the requested status."""

    def build(
        status: str = Status.PENDING,
        assignee: Organisation | None = None,
        title: str = "养老机构消防设施不达标",
        channel: str = Channel.INSPECTION,
        region: Region | None = None,
        kind: str = Kind.COMMON,
    ) -> Problem:
        report = actions.record_raw_report(
            actor=staff, campaign=campaign, channel=channel, text=f"反映：{title}"
        )
        problem = actions.consolidate(
            actor=staff,
            campaign=campaign,
            reports=[report],
            title=title,
            kind=kind,
            region=region or campaign.region,
        )
        if status == Status.PENDING:
            return problem
        assignee = assignee or org("411700", "minzheng")
        actions.assign(
            actor=staff,
            problem=problem,
            assignee=assignee,
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        )
        if status == Status.ASSIGNED:
            return problem
        liaison = User.objects.filter(organisation=assignee).first() or make_user(
            f"liaison-{assignee.pk}-{problem.pk}", assignee, Role.LIAISON
        )
        actions.report_progress(actor=liaison, problem=problem, text="已开展排查")
        if status == Status.IN_PROGRESS:
            return problem
        actions.claim_completion(
            actor=liaison,
            problem=problem,
            text="已整改到位",
            rectification_type=RectificationType.IMMEDIATE,
        )
        if status == Status.COMPLETION_REQUESTED:
            return problem
        actions.accept_completion(actor=staff, problem=problem)
        return problem

    return build


# Property-based tests (hypothesis) keep no example database: not in the repository, not in /tmp.
hypothesis_settings.register_profile("oversight", database=None, deadline=None)
hypothesis_settings.load_profile("oversight")
