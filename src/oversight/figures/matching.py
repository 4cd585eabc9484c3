"""Which indicators of a topic's catalogue a figure may become: entered ones whose unit fits."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

from oversight.indicators.catalogue import Indicator

from .extract import COUNT_UNITS, normalise_unit

# A share is a share however the bulletin writes the count it came from.
_SCALED = ("万", "亿")
SUGGESTION_THRESHOLD = 0.4


def unit_fits(indicator: Indicator, unit: str) -> bool:
    """The figure's unit is the indicator's; any classifier of a count fits a count
    (“430 所” of meal points is 430 个); 平方米 fits 平方米/人 (per capita figures)."""
    unit = normalise_unit(unit)
    wanted = normalise_unit(indicator.unit)
    if unit == wanted:
        return True
    if indicator.kind == "count":
        return unit in COUNT_UNITS and wanted in COUNT_UNITS and not unit.startswith(_SCALED)
    return wanted.startswith(f"{unit}/")


def fitting(indicators: Iterable[Indicator], unit: str) -> list[Indicator]:
    return [i for i in indicators if i.obtained == "entered" and unit_fits(i, unit)]


def suggestion(indicators: Iterable[Indicator], subject: str) -> Indicator | None:
    """The fitting indicator whose name is closest to the figure's subject, if close enough."""
    scored = [(SequenceMatcher(None, subject, i.name).ratio(), i) for i in indicators]
    best = max(scored, key=lambda pair: pair[0], default=None)
    return best[1] if best and best[0] >= SUGGESTION_THRESHOLD else None
