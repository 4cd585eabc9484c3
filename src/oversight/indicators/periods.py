"""Reporting periods: a year (``2024``) or a quarter (``2024Q3``), compared by their end."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PERIOD = re.compile(r"^(\d{4})(?:Q([1-4]))?$")
QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def normalise(text: str) -> str:
    """``2024``, ``2024q3`` or ``２０２４Ｑ３`` (full-width, as in the bulletins) → canonical."""
    text = text.strip().translate({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}).upper()
    text = text.replace("年", "").replace("第", "").replace("季度", "")
    if not PERIOD.match(text):
        raise ValidationError(
            _("期间“%(period)s”无效：请写年度（如 2024）或季度（如 2024Q3）。"),
            code="period",
            params={"period": text[:20]},
        )
    return text


def end_of(period: str) -> datetime.date:
    match = PERIOD.match(period)
    if match is None:
        raise ValueError(period)
    year = int(match.group(1))
    month, day = QUARTER_END[int(match.group(2) or 4)]
    return datetime.date(year, month, day)


def sort_key(period: str) -> tuple[datetime.date, int]:
    """By end date; a year after its fourth quarter (it covers more)."""
    return (end_of(period), len(period) == 4)


def label(period: str) -> str:
    match = PERIOD.match(period)
    if match is None:
        return period
    if match.group(2):
        return _("%(year)s年第%(quarter)s季度") % {
            "year": match.group(1),
            "quarter": match.group(2),
        }
    return _("%(year)s年") % {"year": match.group(1)}
