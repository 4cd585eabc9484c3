"""Reading a bulletin for its figures and deciding on each: atomic, typed, checked.

``extract_figures`` stores the text and every candidate found in it; ``accept_candidate``
records the figure as an indicator value through ``indicators.actions.record_values``;
``dismiss_candidate`` and ``reopen_candidate`` set a candidate aside and back.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.campaigns.models import Campaign
from oversight.indicators import periods
from oversight.indicators.actions import ValueSpec, record_values
from oversight.indicators.catalogue import catalogue
from oversight.indicators.models import IndicatorValue, Source
from oversight.problems.permissions import require_manager
from oversight.regions.models import Region

from . import matching
from .extract import extract
from .models import Candidate, Decision, Extraction, SourceKind
from .reading import check_text

if TYPE_CHECKING:
    from oversight.accounts.models import User

NOTE_LENGTH = 200
TITLE_LENGTH = 200


def _check_manager(actor: User, campaign: Campaign) -> None:
    require_manager(
        actor, campaign, _("只有组织本次联动监督的人大工作人员可以提取和采用简报数据。")
    )


@transaction.atomic
def extract_figures(
    *,
    actor: User,
    campaign: Campaign,
    text: str,
    title: str,
    source_kind: str = SourceKind.PASTED,
    at: datetime.datetime | None = None,
) -> Extraction:
    """Store ``text`` and the figures found in it as candidates awaiting review."""
    _check_manager(actor, campaign)
    text = check_text(text)
    if source_kind not in SourceKind.values:
        raise ValidationError(_("未知的来源。"), code="source_kind")
    title = title.strip()[:TITLE_LENGTH] or _("粘贴的简报")
    extraction = Extraction.objects.create(
        campaign=campaign,
        title=title,
        source_kind=source_kind,
        text=text,
        created_by=actor,
        created_at=at or timezone.now(),
    )
    Candidate.objects.bulk_create(
        Candidate(
            extraction=extraction,
            position=position,
            subject=figure.subject[:100],
            value=figure.value,
            unit=figure.unit,
            before=figure.before,
            qualifier=figure.qualifier[:30],
            sentence=figure.sentence,
            offset=figure.position,
            length=figure.end - figure.position,
        )
        for position, figure in enumerate(extract(text), start=1)
    )
    return extraction


def _locked(candidate: Candidate) -> Candidate:
    return (
        Candidate.objects.select_for_update()
        .select_related("extraction__campaign")
        .get(pk=candidate.pk)
    )


@transaction.atomic
def accept_candidate(
    *,
    actor: User,
    candidate: Candidate,
    indicator: str,
    region: Region,
    period: str,
    replace: bool = False,
    at: datetime.datetime | None = None,
) -> IndicatorValue:
    """Record the candidate's figure as the value of ``indicator`` for ``region`` (the
    campaign's region or one below it) and ``period``. A value already recorded with the same
    number is kept as it is and linked; another number is replaced only with ``replace``."""
    candidate = _locked(candidate)
    campaign = candidate.extraction.campaign
    _check_manager(actor, campaign)
    if candidate.decision == Decision.ACCEPTED:
        raise ValidationError(_("该数据已采用。"), code="decided")
    known = catalogue(campaign.topic.slug).get(indicator)
    if known is None or known.obtained != "entered":
        raise ValidationError(_("请选择可填报的指标。"), code="indicator")
    if not matching.unit_fits(known, candidate.unit):
        raise ValidationError(
            _("“%(name)s”的单位是%(wanted)s，与数据的单位%(unit)s不符。")
            % {"name": known.name, "wanted": known.unit, "unit": candidate.unit},
            code="unit",
        )
    if not campaign.regions().filter(pk=region.pk).exists():
        raise ValidationError(
            _("%(region)s不在本次联动监督的范围内。") % {"region": region.name}, code="region"
        )
    period = periods.normalise(period)
    existing = IndicatorValue.objects.filter(
        topic=campaign.topic, indicator=indicator, region=region, period=period
    ).first()
    if existing is not None and existing.value == candidate.value:
        value = existing
    elif existing is not None and not replace:
        raise ValidationError(
            _(
                "%(region)s%(period)s的“%(name)s”已有数值 %(value)s；"
                "如需以简报数据替换，请勾选“替换已有数值”。"
            )
            % {
                "region": region.name,
                "period": periods.label(period),
                "name": known.name,
                "value": f"{existing.value.normalize():f}",
            },
            code="exists",
        )
    else:
        spec = ValueSpec(
            indicator=indicator,
            region=region,
            period=period,
            value=candidate.value,
            source=Source.BULLETIN,
            note=_note(candidate),
        )
        value = record_values(actor=actor, topic=campaign.topic, specs=[spec], at=at)[0]
    candidate.decision = Decision.ACCEPTED
    candidate.indicator = indicator
    candidate.region = region
    candidate.period = period
    candidate.indicator_value = value
    candidate.decided_by = actor
    candidate.decided_at = at or timezone.now()
    candidate.save()
    return value


def _note(candidate: Candidate) -> str:
    """The sentence the value came from, shortened around the figure to fit the note."""
    sentence = candidate.sentence.strip()
    if len(sentence) <= NOTE_LENGTH:
        return sentence
    start = max(0, min(candidate.offset - NOTE_LENGTH // 2, len(sentence) - NOTE_LENGTH + 2))
    excerpt = sentence[start : start + NOTE_LENGTH - 2]
    return ("…" if start else "") + excerpt + "…"


@transaction.atomic
def dismiss_candidate(
    *, actor: User, candidate: Candidate, at: datetime.datetime | None = None
) -> Candidate:
    """Set aside a candidate that is not a figure to keep (a date, a figure of no indicator)."""
    candidate = _locked(candidate)
    _check_manager(actor, candidate.extraction.campaign)
    if candidate.decision != Decision.PENDING:
        raise ValidationError(_("只能排除待审核的数据。"), code="decided")
    candidate.decision = Decision.DISMISSED
    candidate.decided_by = actor
    candidate.decided_at = at or timezone.now()
    candidate.save()
    return candidate


@transaction.atomic
def reopen_candidate(*, actor: User, candidate: Candidate) -> Candidate:
    """Bring a dismissed candidate back to review (an accepted one has become a value: that
    value is corrected on the indicators page)."""
    candidate = _locked(candidate)
    _check_manager(actor, candidate.extraction.campaign)
    if candidate.decision != Decision.DISMISSED:
        raise ValidationError(_("只能恢复已排除的数据。"), code="decided")
    candidate.decision = Decision.PENDING
    candidate.decided_by = None
    candidate.decided_at = None
    candidate.save()
    return candidate
