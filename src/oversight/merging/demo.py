"""Demo data of this app: a practice copy of Zhumadian's intake (归并演练).

The 203 raw reports of the Zhumadian campaign, recorded again but left unmerged in a
campaign of their own, so a user can watch the merger propose the groups that staff made by
hand in the real campaign. Built with the demo loader's own reading and campaign creation,
and ``record_raw_report``.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from oversight.accounts.models import User
from oversight.campaigns.models import Campaign
from oversight.demo import loader
from oversight.problems.actions import record_raw_report
from oversight.regions.models import Region
from oversight.topics.models import Topic

SOURCE_FILE = "zhumadian-2024.toml"
PRACTICE_SLUG = "zhumadian-2024-practice"
PRACTICE_SUFFIX = "（归并演练）"


@transaction.atomic
def load_practice_campaign() -> Campaign | None:
    """Returns None when the practice campaign already exists."""
    if Campaign.objects.filter(slug=PRACTICE_SLUG).exists():
        return None
    data = loader._read(loader.DATA_DIR / SOURCE_FILE)
    meta = {
        **data["campaign"],
        "slug": PRACTICE_SLUG,
        "name": data["campaign"]["name"] + PRACTICE_SUFFIX,
        "illustrative": True,
    }
    region = Region.objects.get(code=meta["region"])
    campaign = loader._create_campaign(meta, region, Topic.objects.get(slug=meta["topic"]))
    staff = User.objects.get(username=f"{loader.CITY_PREFIX[region.code]}-staff")
    regions = {r.code: r for r in Region.objects.filter(region.subtree_q())}
    raw = [(problem["region"], report) for problem in data["problems"] for report in problem["raw"]]
    # Mixed up, as reports arrive from different channels at different times.
    random.Random(2024).shuffle(raw)
    for index, (code, report) in enumerate(raw):
        record_raw_report(
            actor=staff,
            campaign=campaign,
            channel=report["channel"],
            text=report["text"],
            region=regions[code],
            received_on=meta["starts_on"] + datetime.timedelta(days=30 + index // 3),
        )
    return campaign


def load_demo() -> None:
    """Safe to run again."""
    load_practice_campaign()
