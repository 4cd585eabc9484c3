"""Demo data of this app: Zhumadian's bulletin, drafted from the demo's live data and issued
by ``zmd-staff`` with the seed bulletin's issue line, and two weekly notices for two
consecutive weeks of the replayed history (the second reports the week's completions)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from oversight.accounts.models import User
from oversight.campaigns.models import Campaign

from . import actions
from .models import Document

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAMPAIGN = "zhumadian-2024"
STAFF = "zmd-staff"
BULLETIN_DAY = datetime.date(2024, 11, 27)
# The demo's history: assigned 20 Sep 2024, claims on 4 Oct, acceptances on 7 Oct.
NOTICE_WEEKS = (datetime.date(2024, 10, 6), datetime.date(2024, 10, 13))


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(17), tzinfo=SHANGHAI)


@transaction.atomic
def load_demo() -> None:
    """Safe to run again: nothing is added once the campaign has documents."""
    campaign = Campaign.objects.filter(slug=CAMPAIGN).first()
    staff = User.objects.filter(username=STAFF).first()
    if campaign is None or staff is None or Document.objects.filter(campaign=campaign).exists():
        return
    for week_ending in NOTICE_WEEKS:
        day = week_ending + datetime.timedelta(days=1)
        notice = actions.create_notice_draft(
            actor=staff, campaign=campaign, week_ending=week_ending, today=day
        )
        actions.issue(actor=staff, document=notice, at=_at(day))
    bulletin = actions.create_bulletin_draft(actor=staff, campaign=campaign, today=BULLETIN_DAY)
    content = {**bulletin.content, "issue_number": "2024年第59期"}
    bulletin = actions.update_draft(actor=staff, document=bulletin, content=content)
    actions.issue(actor=staff, document=bulletin, at=_at(BULLETIN_DAY))
