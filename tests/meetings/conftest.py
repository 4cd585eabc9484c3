"""Meetings, inquiries and opinions of the shared test campaign, built through the actions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from oversight.accounts.models import User
from oversight.campaigns.models import Campaign
from oversight.meetings import actions
from oversight.meetings.models import Meeting, Opinion, OpinionItem
from oversight.topics.models import MeetingKind
from tests.conftest import org

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def kind(campaign: Campaign, code: str) -> MeetingKind:
    return campaign.topic.meeting_kinds.get(code=code)


@pytest.fixture
def make_meeting(campaign: Campaign, staff: User) -> Callable[..., Meeting]:
    def build(code: str = "chair", title: str = "主任会议", **kwargs: Any) -> Meeting:
        kwargs.setdefault("held_on", datetime.date(2024, 6, 12))
        return actions.create_meeting(
            actor=staff, campaign=campaign, kind=kind(campaign, code), title=title, **kwargs
        )

    return build


@pytest.fixture
def opinion(campaign: Campaign, staff: User) -> Opinion:
    return actions.create_opinion(
        actor=staff,
        campaign=campaign,
        title="关于养老服务工作情况报告的审议意见",
        adopted_on=datetime.date(2024, 7, 5),
        sent_on=datetime.date(2024, 7, 10),
    )


@pytest.fixture
def item_a(opinion: Opinion, staff: User, liaison_a: User) -> OpinionItem:
    """An item for 民政局 (liaison_a's department), due in the future."""
    return actions.add_opinion_item(
        actor=staff,
        opinion=opinion,
        text="发布基本养老服务清单",
        responsible=org("411700", "minzheng"),
        deadline=datetime.date.today() + datetime.timedelta(days=30),
    )
