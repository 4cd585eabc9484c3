"""Every change of indicator values goes through these functions: atomic, typed, checked.

``record_values`` takes many rows at once (an import, the demo) and writes all or nothing;
``record_value`` one (the compliance page's form).
``raise_shortfall`` turns a value below its standard into a problem of a campaign, through
the problems app's own intake actions, and keeps the link.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.campaigns.models import Campaign
from oversight.facilities.permissions import enterable_regions
from oversight.problems import actions as problem_actions
from oversight.problems.models import Channel, Kind, Problem
from oversight.problems.permissions import can_manage
from oversight.regions.models import Region
from oversight.topics.models import Topic

from . import periods
from .catalogue import catalogue
from .compliance import evaluate
from .models import IndicatorValue, Shortfall, Source

if TYPE_CHECKING:
    from oversight.accounts.models import User

MAX_VALUE = Decimal("999999999999")


@dataclass(frozen=True)
class ValueSpec:
    """One value to record, as typed by a form, a spreadsheet row or the demo."""

    indicator: str
    region: Region
    period: str
    value: Decimal
    source: str
    is_illustrative: bool = False
    note: str = ""


def check_value(topic: Topic, spec: ValueSpec) -> list[str]:
    """What is wrong with ``spec`` (empty when nothing)."""
    errors: list[str] = []
    indicator = catalogue(topic.slug).get(spec.indicator)
    if indicator is None:
        errors.append(_("未知的指标代码“%(code)s”。") % {"code": spec.indicator[:40]})
    elif indicator.obtained != "entered":
        errors.append(
            _("“%(name)s”由系统计算（由其他指标或设施台账得出），不能填报。")
            % {"name": indicator.name}
        )
    try:
        periods.normalise(spec.period)
    except ValidationError as error:
        errors += error.messages
    try:
        value = Decimal(spec.value)
    except (InvalidOperation, TypeError, ValueError):
        errors.append(_("数值无效。"))
    else:
        if not value.is_finite() or abs(value) > MAX_VALUE:
            errors.append(_("数值无效。"))
        elif value < 0:
            errors.append(_("数值不能为负数。"))
        elif indicator is not None and indicator.is_percent and value > 100:
            # A share over the whole: 120% of a budget is a typing error, not a figure.
            errors.append(_("百分比不能超过 100。"))
    if spec.source not in Source.values:
        errors.append(_("未知的数据来源“%(source)s”。") % {"source": spec.source[:20]})
    if len(spec.note) > 200:
        errors.append(_("备注不能超过 200 个字。"))
    return errors


@transaction.atomic
def record_values(
    *,
    actor: User,
    topic: Topic,
    specs: Sequence[ValueSpec],
    at: datetime.datetime | None = None,
) -> list[IndicatorValue]:
    """Record ``specs`` (a value already recorded for the same region, indicator and period
    is replaced), all or none. Raises ``ValidationError`` listing every refused row or
    ``PermissionDenied`` for a region outside the actor's."""
    at = at or timezone.now()
    allowed = enterable_regions(actor)
    errors: list[str] = []
    seen: set[tuple[int, str, str]] = set()
    for number, spec in enumerate(specs, start=1):
        if spec.region.pk not in allowed:
            raise PermissionDenied(_("您不能填报%(region)s的指标。") % {"region": spec.region.name})
        problems = check_value(topic, spec)
        key = (spec.region.pk, spec.indicator, spec.period.strip().upper())
        if key in seen:
            problems.append(_("同一地区、指标和期间重复出现。"))
        seen.add(key)
        if len(specs) > 1:
            problems = [_("第 %(n)s 条：%(error)s") % {"n": number, "error": e} for e in problems]
        errors += problems
    if errors:
        raise ValidationError(errors, code="invalid_value")
    recorded = []
    for spec in specs:
        value, _created = IndicatorValue.objects.update_or_create(
            topic=topic,
            indicator=spec.indicator,
            region=spec.region,
            period=periods.normalise(spec.period),
            defaults={
                "value": Decimal(spec.value),
                "source": spec.source,
                "is_illustrative": spec.is_illustrative,
                "note": spec.note.strip(),
                "entered_by": actor,
                "entered_at": at,
            },
        )
        recorded.append(value)
    return recorded


def record_value(
    *, actor: User, topic: Topic, spec: ValueSpec, at: datetime.datetime | None = None
) -> IndicatorValue:
    return record_values(actor=actor, topic=topic, specs=[spec], at=at)[0]


def campaign_for_shortfall(actor: User, topic: Topic, region: Region) -> Campaign | None:
    """The campaign the actor runs that covers ``region``: its own region's first, else the
    nearest above it (a county's shortfall goes to the city's campaign)."""
    ancestors = [region.pk, region.parent_id, region.parent.parent_id if region.parent else None]
    candidates = Campaign.objects.filter(
        topic=topic, region__in=[pk for pk in ancestors if pk]
    ).select_related("region", "congress")
    ranked = sorted(
        (c for c in candidates if can_manage(actor, c)),
        key=lambda c: (ancestors.index(c.region_id), -c.starts_on.toordinal()),
    )
    return ranked[0] if ranked else None


@transaction.atomic
def raise_shortfall(
    *,
    actor: User,
    topic: Topic,
    region: Region,
    indicator: str,
    period: str,
    at: datetime.datetime | None = None,
) -> Problem:
    """Turn the shortfall of ``indicator`` in ``region`` and ``period`` into a problem of the
    campaign covering the region, with the legal basis in its description."""
    known = catalogue(topic.slug).get(indicator)
    if known is None:
        raise ValidationError(_("未知的指标。"), code="indicator")
    campaign = campaign_for_shortfall(actor, topic, region)
    if campaign is None:
        raise PermissionDenied(_("只有组织该地区联动监督的人大工作人员可以将未达标项转为问题。"))
    cell = evaluate(
        topic, [region], values=IndicatorValue.objects.all(), period=period, indicators=[known]
    ).cell(region, known)
    if cell.complies is not False:
        raise ValidationError(_("该指标在本期间没有未达标，无需转为问题。"), code="complies")
    if Shortfall.objects.filter(
        topic=topic, indicator=indicator, region=region, period=cell.period
    ).exists():
        raise ValidationError(_("该未达标项已转为问题。"), code="duplicate")
    title = _("%(region)s%(name)s未达标") % {"region": region.name, "name": known.name}
    text = _("%(period)s%(title)s：实际 %(value)s，要求 %(requirement)s。依据：%(basis)s") % {
        "period": periods.label(cell.period),
        "title": title,
        "value": cell.value_text,
        "requirement": cell.requirement_text,
        "basis": cell.basis,
    }
    report = problem_actions.record_raw_report(
        actor=actor, campaign=campaign, channel=Channel.INSPECTION, text=text, region=region
    )
    area = campaign.topic.areas.filter(code=known.area).first()
    problem = problem_actions.consolidate(
        actor=actor,
        campaign=campaign,
        reports=[report],
        title=title[:100],
        description=text,
        kind=Kind.COMMON,
        region=region,
        area=area,
        at=at,
    )
    Shortfall.objects.create(
        topic=topic,
        indicator=indicator,
        region=region,
        period=cell.period,
        problem=problem,
        created_by=actor,
        created_at=at or timezone.now(),
    )
    return problem
