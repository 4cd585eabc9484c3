"""Demo data of this app, built from the bulletins through the app's own actions.

Entered values only: the registry-computed indicators come from the facilities that
``facilities.demo`` registers, and the derived ones are computed. Where the bulletin gives a
city total or says only “each county meets the standard”, the county values are illustrative.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from oversight.accounts.models import User
from oversight.regions.models import Region
from oversight.topics.models import Topic

from .actions import ValueSpec, record_values
from .models import IndicatorValue, Source

ENTERED_AT = datetime.datetime(2024, 11, 27, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
BULLETIN = Source.BULLETIN

# (region, indicator, period, value, source, illustrative, note)
ZHUMADIAN = [
    ("411700", "land-per-capita", "2024", "0.23", BULLETIN, False, "市中心城区34.5公顷"),
    ("411727", "land-per-capita", "2024", "0.51", BULLETIN, False, "14.79公顷，占建设用地0.42%"),
    ("411721", "land-per-capita", "2024", "0.22", BULLETIN, True, ""),
    ("411722", "land-per-capita", "2024", "0.21", BULLETIN, True, ""),
    ("411723", "land-per-capita", "2024", "0.24", BULLETIN, True, ""),
    ("411724", "land-per-capita", "2024", "0.20", BULLETIN, True, ""),
    ("411725", "land-per-capita", "2024", "0.26", BULLETIN, True, ""),
    ("411726", "land-per-capita", "2024", "0.23", BULLETIN, True, ""),
    ("411728", "land-per-capita", "2024", "0.25", BULLETIN, True, ""),
    ("411729", "land-per-capita", "2024", "0.22", BULLETIN, True, ""),
    ("411700", "lottery-share", "2024", "71.16", BULLETIN, False, "市本级预算另安排111.5万元"),
    ("411700", "meal-planned", "2024", "430", BULLETIN, False, ""),
    ("411700", "handover-rate", "2023", "18", BULLETIN, False, "整改前已移交4个"),
    ("411700", "handover-rate", "2024", "41", BULLETIN, False, "立行立改移交8个"),
    ("411700", "family-doctor-rate", "2024", "85.69", Source.STATISTICS, False, "签约69.27万人"),
]  # fmt: skip
HEBI = [
    ("410600", "meal-funds", "2024", "515", BULLETIN, False, "争取上级老年助餐资金"),
]

CITIES = {"411700": ("zmd-staff", ZHUMADIAN), "410600": ("hebi-staff", HEBI)}


def load_demo() -> None:
    """Called by ``oversight demo`` after the campaigns are loaded; safe to run again."""
    topic = Topic.objects.get(slug="elderly-care")
    for code, (username, rows) in CITIES.items():
        city = Region.objects.get(code=code)
        if IndicatorValue.objects.filter(topic=topic).filter(city.subtree_q("region")).exists():
            continue
        regions = {r.code: r for r in Region.objects.filter(city.subtree_q())}
        specs = [
            ValueSpec(
                indicator=indicator,
                region=regions[region],
                period=period,
                value=Decimal(value),
                source=source,
                is_illustrative=illustrative,
                note=note,
            )
            for region, indicator, period, value, source, illustrative, note in rows
        ]
        actor = User.objects.get(username=username)
        record_values(actor=actor, topic=topic, specs=specs, at=ENTERED_AT)
