"""An evaluation of three Zhumadian departments, with `member` and two more members on the roll.

- `voters`: member, member_2, member_3 (all on the roll)
- `off_roll`: a member of the same congress left off the roll
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from oversight.accounts.models import Role, User
from oversight.campaigns.models import Campaign
from oversight.evaluations import actions
from oversight.evaluations.models import EvaluationSession
from oversight.organisations.models import Organisation
from tests.browser.conftest import browser, console, output_dir  # noqa: F401  (for test_browser)
from tests.conftest import make_user, org

DEPARTMENT_CODES = ["minzheng", "weijian", "caizheng"]


@pytest.fixture
def departments(reference: object) -> list[Organisation]:
    """In the order the pages list them (the order they were created in)."""
    return sorted((org("411700", code) for code in DEPARTMENT_CODES), key=lambda d: d.pk)


@pytest.fixture
def voters(member: User) -> list[User]:
    congress = org("411700", "congress")
    return [
        member,
        make_user("member_2", congress, Role.CONGRESS_MEMBER),
        make_user("member_3", congress, Role.CONGRESS_MEMBER),
    ]


@pytest.fixture
def off_roll(reference: object) -> User:
    return make_user("member_off_roll", org("411700", "congress"), Role.CONGRESS_MEMBER)


@pytest.fixture
def session(
    campaign: Campaign, staff: User, departments: list[Organisation], voters: list[User]
) -> EvaluationSession:
    return actions.open_session(
        actor=staff,
        campaign=campaign,
        title="市直部门整改满意度测评",
        held_on=datetime.date(2024, 11, 15),
        departments=departments,
        voters=voters,
    )


Paper = Callable[..., dict[int, str]]


@pytest.fixture
def paper(departments: list[Organisation]) -> Paper:
    """A full ballot paper: every department of the session with the given choices
    (one choice for all, or one per department)."""

    def build(*choices: str) -> dict[int, str]:
        if len(choices) == 1:
            choices = choices * len(departments)
        return {d.pk: choice for d, choice in zip(departments, choices, strict=True)}

    return build
