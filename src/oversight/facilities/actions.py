"""Every change of the facility registry goes through these functions: atomic and checked.

``register_facilities`` takes many rows at once (an import, the demo) and writes all or
nothing: one refused row refuses the batch. ``register_facility`` and ``update_facility``
serve the registry page's form: their refusals name the field concerned.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.regions.models import Region
from oversight.topics.models import Topic

from .catalogue import facility_kinds
from .models import Facility, Status
from .permissions import enterable_regions

if TYPE_CHECKING:
    from oversight.accounts.models import User


@dataclass(frozen=True)
class FacilitySpec:
    """One facility to register, as typed by a form, a spreadsheet row or the demo."""

    kind: str
    name: str
    region: Region
    status: str
    address: str = ""
    operator: str = ""
    built_on: datetime.date | None = None
    operating_since: datetime.date | None = None
    ceased_on: datetime.date | None = None
    medical_licence: bool = False
    care_licence: bool = False
    converted_on: datetime.date | None = None
    is_illustrative: bool = False
    note: str = ""


def facility_errors(topic: Topic, spec: FacilitySpec) -> dict[str, list[str]]:
    """What is wrong with ``spec``, by the field it concerns (empty when nothing): checked
    before anything is written, and shown next to the field of the form that typed it."""
    errors: dict[str, list[str]] = defaultdict(list)
    kinds = facility_kinds(topic.slug)
    kind = kinds.get(spec.kind)
    if kind is None:
        errors["kind"].append(
            _("未知的设施类型“%(kind)s”，可用：%(known)s。")
            % {"kind": spec.kind, "known": "、".join(kinds)}
        )
    if not spec.name.strip():
        errors["name"].append(_("请填写设施名称。"))
    elif len(spec.name.strip()) > 100:
        errors["name"].append(_("设施名称不能超过 100 个字。"))
    if len(spec.address) > 200:
        errors["address"].append(_("地址不能超过 200 个字。"))
    if len(spec.operator) > 100:
        errors["operator"].append(_("运营方不能超过 100 个字。"))
    if len(spec.note) > 200:
        errors["note"].append(_("备注不能超过 200 个字。"))
    if spec.status not in Status.values:
        errors["status"].append(_("未知的运营状态“%(status)s”。") % {"status": spec.status})
    for field, message in _date_errors(spec):
        errors[field].append(message)
    if kind is not None and not kind.licences and (spec.medical_licence or spec.care_licence):
        errors["medical_licence"].append(
            _("“%(kind)s”不登记执业许可与养老备案。") % {"kind": kind.name}
        )
    if kind is not None and not kind.convertible and spec.converted_on is not None:
        errors["converted_on"].append(_("“%(kind)s”不登记转型。") % {"kind": kind.name})
    return dict(errors)


def check_facility(topic: Topic, spec: FacilitySpec) -> list[str]:
    """What is wrong with ``spec`` (empty when nothing), as one list (a spreadsheet row)."""
    return [message for messages in facility_errors(topic, spec).values() for message in messages]


def _date_errors(spec: FacilitySpec) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if spec.status == Status.OPERATING and spec.operating_since is None:
        errors.append(("operating_since", _("运营中的设施须填写开始运营日期。")))
    if spec.status == Status.CLOSED and spec.ceased_on is None:
        errors.append(("ceased_on", _("已停运的设施须填写停运日期。")))
    if spec.status in (Status.BUILT, Status.OPERATING, Status.CLOSED) and spec.built_on is None:
        errors.append(("built_on", _("已建成的设施须填写建成日期。")))
    if spec.status in (Status.PLANNED, Status.BUILDING) and (spec.built_on or spec.operating_since):
        errors.append(("status", _("规划或在建的设施不应有建成或运营日期。")))
    if spec.status == Status.BUILT and spec.operating_since is not None:
        errors.append(("operating_since", _("已建成未运营的设施不应有开始运营日期。")))
    if spec.status != Status.CLOSED and spec.ceased_on is not None:
        errors.append(("ceased_on", _("只有已停运的设施填写停运日期。")))
    if spec.built_on and spec.operating_since and spec.operating_since < spec.built_on:
        errors.append(("operating_since", _("开始运营日期不能早于建成日期。")))
    if spec.operating_since and spec.ceased_on and spec.ceased_on < spec.operating_since:
        errors.append(("ceased_on", _("停运日期不能早于开始运营日期。")))
    return errors


@transaction.atomic
def register_facilities(
    *,
    actor: User,
    topic: Topic,
    specs: Sequence[FacilitySpec],
    at: datetime.datetime | None = None,
) -> list[Facility]:
    """Add ``specs`` to the registry, all or none. Raises ``ValidationError`` listing every
    refused row (1-based, in the order given) or ``PermissionDenied`` for a region outside
    the actor's."""
    at = at or timezone.now()
    allowed = enterable_regions(actor)
    errors: list[str] = []
    seen: set[tuple[int, str, str]] = set()
    existing = set(
        Facility.objects.filter(
            topic=topic, region__in={spec.region.pk for spec in specs}
        ).values_list("region_id", "kind", "name")
    )
    for number, spec in enumerate(specs, start=1):
        if spec.region.pk not in allowed:
            raise PermissionDenied(_("您不能登记%(region)s的设施。") % {"region": spec.region.name})
        problems = check_facility(topic, spec)
        key = (spec.region.pk, spec.kind, spec.name.strip())
        if key in seen or key in existing:
            problems.append(_("同一区划内已有同类同名设施“%(name)s”。") % {"name": key[2]})
        seen.add(key)
        errors += [_("第 %(n)s 条：%(error)s") % {"n": number, "error": e} for e in problems]
    if errors:
        raise ValidationError(errors, code="invalid_facility")
    return Facility.objects.bulk_create(
        Facility(
            topic=topic,
            kind=spec.kind,
            name=spec.name.strip(),
            region=spec.region,
            address=spec.address.strip(),
            operator=spec.operator.strip(),
            status=spec.status,
            built_on=spec.built_on,
            operating_since=spec.operating_since,
            ceased_on=spec.ceased_on,
            medical_licence=spec.medical_licence,
            care_licence=spec.care_licence,
            converted_on=spec.converted_on,
            is_illustrative=spec.is_illustrative,
            note=spec.note.strip(),
            created_by=actor,
            created_at=at,
        )
        for spec in specs
    )


@transaction.atomic
def register_facility(
    *, actor: User, topic: Topic, spec: FacilitySpec, at: datetime.datetime | None = None
) -> Facility:
    """Add one facility (the registry page's form). Raises ``ValidationError`` by field, or
    ``PermissionDenied`` for a region outside the actor's."""
    _refuse(actor, topic, spec, None)
    return register_facilities(actor=actor, topic=topic, specs=[spec], at=at)[0]


@transaction.atomic
def update_facility(*, actor: User, facility: Facility, spec: FacilitySpec) -> Facility:
    """Change a registered facility (status, dates, licences, conversion, place or name) to
    ``spec``, or nothing: the same checks as registering it. Raises ``ValidationError`` by
    field, or ``PermissionDenied`` when the facility or its new region is outside the
    actor's."""
    locked = Facility.objects.select_for_update().select_related("topic").get(pk=facility.pk)
    if locked.region_id not in enterable_regions(actor):
        raise PermissionDenied(_("您不能修改%(region)s的设施。") % {"region": facility.region.name})
    _refuse(actor, locked.topic, spec, locked.pk)
    locked.kind = spec.kind
    locked.name = spec.name.strip()
    locked.region = spec.region
    locked.address = spec.address.strip()
    locked.operator = spec.operator.strip()
    locked.status = spec.status
    locked.built_on = spec.built_on
    locked.operating_since = spec.operating_since
    locked.ceased_on = spec.ceased_on
    locked.medical_licence = spec.medical_licence
    locked.care_licence = spec.care_licence
    locked.converted_on = spec.converted_on
    locked.is_illustrative = spec.is_illustrative
    locked.note = spec.note.strip()
    locked.save()
    return locked


def _refuse(actor: User, topic: Topic, spec: FacilitySpec, instead_of: int | None) -> None:
    """Raise unless ``actor`` may put ``spec`` in the registry, replacing the facility
    ``instead_of`` (or adding one when ``None``)."""
    if spec.region.pk not in enterable_regions(actor):
        raise PermissionDenied(_("您不能登记%(region)s的设施。") % {"region": spec.region.name})
    errors = facility_errors(topic, spec)
    clash = Facility.objects.filter(
        topic=topic, region=spec.region, kind=spec.kind, name=spec.name.strip()
    )
    if instead_of is not None:
        clash = clash.exclude(pk=instead_of)
    if spec.name.strip() and clash.exists():
        errors.setdefault("name", []).append(
            _("同一区划内已有同类同名设施“%(name)s”。") % {"name": spec.name.strip()}
        )
    if errors:
        raise ValidationError(errors, code="invalid_facility")
