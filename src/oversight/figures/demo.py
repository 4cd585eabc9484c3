"""Demo data of this app, built from the bulletins through the app's own actions.

Each city's staff has read its bulletin for figures. Candidates whose figure is an entered
indicator of the catalogue are accepted; as ``indicators.demo`` already holds those values
(taken from the same bulletins), accepting links them without writing anything new. The
other candidates are left to review: most are figures the catalogue computes from the
facility registry (operating rates, family beds) or has no indicator for.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from oversight.accounts.models import User
from oversight.campaigns.models import Campaign
from oversight.regions.models import Region

from . import actions
from .models import Candidate, Extraction, SourceKind

DATA = Path(__file__).parent / "data"
EXTRACTED_AT = datetime.datetime(2024, 11, 28, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

# (campaign, staff, file, title, accepted: (value, unit) → (indicator, region, period))
BULLETINS = [
    (
        "hebi-2024",
        "hebi-staff",
        "hebi-bulletin-47.txt",
        "联动监督专辑（四十七）：鹤壁",
        {("515", "万元"): ("meal-funds", "410600", "2024")},
    ),
    (
        "zhumadian-2024",
        "zmd-staff",
        "zhumadian-bulletin-59.txt",
        "联动监督专辑（五十八）：驻马店",
        {
            ("41", "%"): ("handover-rate", "411700", "2024"),
            ("85.69", "%"): ("family-doctor-rate", "411700", "2024"),
            ("430", "所"): ("meal-planned", "411700", "2024"),
            ("0.23", "平方米"): ("land-per-capita", "411700", "2024"),
            ("0.51", "平方米"): ("land-per-capita", "411727", "2024"),
            ("71.16", "%"): ("lottery-share", "411700", "2024"),
        },
    ),
]


def load_demo() -> None:
    """Called by ``oversight demo`` after the campaigns are loaded; safe to run again."""
    for slug, username, file_name, title, accepted in BULLETINS:
        campaign = Campaign.objects.select_related("topic", "region").get(slug=slug)
        if Extraction.objects.filter(campaign=campaign, title=title).exists():
            continue
        actor = User.objects.get(username=username)
        extraction = actions.extract_figures(
            actor=actor,
            campaign=campaign,
            text=(DATA / file_name).read_text(encoding="utf-8"),
            title=title,
            source_kind=SourceKind.TXT,
            at=EXTRACTED_AT,
        )
        for (value, unit), (indicator, region, period) in accepted.items():
            candidate = Candidate.objects.get(
                extraction=extraction, value=Decimal(value), unit=unit
            )
            actions.accept_candidate(
                actor=actor,
                candidate=candidate,
                indicator=indicator,
                region=Region.objects.get(code=region),
                period=period,
                at=EXTRACTED_AT,
            )
