"""The indicator catalogue of a topic: the ``[[indicators]]`` of its data file.

Each indicator says how it is obtained (entered, derived from other indicators, or computed
from the facility registry) and which standards and targets it is checked against. The file
is parsed and checked once per process; a mistake in it stops the program with its name.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from oversight.facilities.catalogue import facility_kinds, topic_document
from oversight.facilities.registry import MEASURES

COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}
KINDS = ("count", "amount", "ratio", "per_capita")
OBTAINED = ("entered", "derived", "registry")
DERIVED_OPS = ("ratio", "difference", "sum")
LEVELS = ("province", "city", "county")


def compare(value: Decimal, comparison: str, threshold: Decimal) -> bool:
    return COMPARISONS[comparison](value, threshold)


@dataclass(frozen=True)
class Standard:
    comparison: str
    threshold: Decimal
    levels: tuple[str, ...]
    basis: str

    def met_by(self, value: Decimal) -> bool:
        return compare(value, self.comparison, self.threshold)


@dataclass(frozen=True)
class Target:
    region: str
    period: str
    value: Decimal
    basis: str


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    kind: str
    higher_is_better: bool
    obtained: str
    area: str = ""
    derived_op: str = ""
    derived_of: tuple[str, ...] = ()
    derived_scale: Decimal = Decimal(1)
    facility_kind: str = ""
    measure: str = ""
    standards: tuple[Standard, ...] = ()
    targets: tuple[Target, ...] = field(default=())

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def target_comparison(self) -> str:
        return ">=" if self.higher_is_better else "<="

    def standard_for(self, level: str) -> Standard | None:
        return next((s for s in self.standards if level in s.levels), None)

    def target_for(self, region_code: str, period: str) -> Target | None:
        return next(
            (t for t in self.targets if t.region == region_code and t.period == period), None
        )


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _parse(slug: str, entry: dict[str, Any], known: dict[str, Indicator]) -> Indicator:
    code = entry["code"]
    where = f"{slug}: 指标 {code!r}"
    if code in known:
        raise ValueError(f"{where} 重复")
    if entry["kind"] not in KINDS or entry["obtained"] not in OBTAINED:
        raise ValueError(f"{where}: kind 须为 {KINDS}，obtained 须为 {OBTAINED}")
    extra: dict[str, Any] = {}
    if entry["obtained"] == "derived":
        spec = entry["derived"]
        of = tuple(spec["of"])
        if spec["op"] not in DERIVED_OPS or not of or any(c not in known for c in of):
            raise ValueError(f"{where}: derived 须引用写在前面的指标，op 须为 {DERIVED_OPS}")
        if spec["op"] in ("ratio", "difference") and len(of) != 2:
            raise ValueError(f"{where}: {spec['op']} 需要两个指标")
        extra = {
            "derived_op": spec["op"],
            "derived_of": of,
            "derived_scale": _decimal(spec.get("scale", 1)),
        }
    elif entry["obtained"] == "registry":
        spec = entry["registry"]
        if spec["facility_kind"] not in facility_kinds(slug) or spec["measure"] not in MEASURES:
            raise ValueError(f"{where}: registry 的设施类型或 measure（{MEASURES}）无效")
        extra = {"facility_kind": spec["facility_kind"], "measure": spec["measure"]}
    standards = []
    for raw in entry.get("standards", []):
        levels = tuple(raw["levels"])
        if raw["comparison"] not in COMPARISONS or not set(levels) <= set(LEVELS):
            raise ValueError(f"{where}: 标准的 comparison 或 levels 无效")
        standards.append(
            Standard(raw["comparison"], _decimal(raw["threshold"]), levels, raw["basis"])
        )
    targets = tuple(
        Target(str(raw["region"]), str(raw["period"]), _decimal(raw["value"]), raw["basis"])
        for raw in entry.get("targets", [])
    )
    return Indicator(
        code=code,
        name=entry["name"],
        unit=entry["unit"],
        kind=entry["kind"],
        higher_is_better=bool(entry["higher_is_better"]),
        obtained=entry["obtained"],
        area=entry.get("area", ""),
        standards=tuple(standards),
        targets=targets,
        **extra,
    )


@cache
def catalogue(slug: str) -> dict[str, Indicator]:
    """The topic's indicators by code, in the file's order (dependencies first)."""
    indicators: dict[str, Indicator] = {}
    for entry in topic_document(slug).get("indicators", []):
        indicator = _parse(slug, entry, indicators)
        indicators[indicator.code] = indicator
    return indicators
