"""Every value checked against its standards and targets, for a region and those below it.

The queries depend neither on the number of regions nor on that of periods: one for the known
periods, one for the entered values of every region and period at once, and one registry
aggregate that counts at the end of every period at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.facilities.registry import RegistryFigures, registry_figures_on
from oversight.regions.models import Region
from oversight.topics.models import Topic

from . import periods as period_tools
from .catalogue import Indicator, Standard, Target, catalogue, compare
from .models import IndicatorValue, Source

PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Figure:
    value: Decimal
    illustrative: bool = False
    source: str = ""


@dataclass
class Cell:
    """One indicator of one region in one period, with what it is checked against."""

    indicator: Indicator
    region: Region
    period: str
    figure: Figure | None
    baseline: Figure | None = None
    baseline_period: str | None = None
    standard: Standard | None = None
    target: Target | None = None

    @property
    def value(self) -> Decimal | None:
        return self.figure.value if self.figure else None

    @property
    def standard_met(self) -> bool | None:
        if self.value is None or self.standard is None:
            return None
        return self.standard.met_by(self.value)

    @property
    def target_met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return compare(self.value, self.indicator.target_comparison, self.target.value)

    @property
    def complies(self) -> bool | None:
        """Whether the value meets every standard and target that applies; ``None`` when
        there is no value or nothing to check it against."""
        checks = [c for c in (self.standard_met, self.target_met) if c is not None]
        return all(checks) if checks else None

    @property
    def basis(self) -> str:
        parts = [s.basis for s in (self.standard, self.target) if s is not None]
        return "；".join(parts)

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.baseline is None:
            return None
        return self.value - self.baseline.value

    @property
    def improved(self) -> bool | None:
        change = self.change
        if change is None or change == 0:
            return None
        return (change > 0) == self.indicator.higher_is_better

    @property
    def achievement(self) -> str:
        """The value as a share of the target (鹤壁 180 of 16 → 1125.0%)."""
        if self.value is None or self.target is None or not self.target.value:
            return ""
        return f"{self.value * 100 / self.target.value:.1f}%"

    # What the page shows: numbers formatted by the server, never in the template.
    @property
    def value_text(self) -> str:
        return format_value(self.indicator, self.value)

    @property
    def baseline_text(self) -> str:
        return format_value(self.indicator, self.baseline.value if self.baseline else None)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return ""
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        text = format_value(self.indicator, abs(change))
        if self.indicator.is_percent:
            text = _("%(points)s 个百分点") % {"points": text.rstrip("%")}
        return f"{sign}{text}"

    @property
    def requirement_text(self) -> str:
        """``≥ 0.2 平方米/人`` or ``目标 ≥ 16 个``."""
        parts = []
        if self.standard is not None:
            parts.append(
                f"{symbol(self.standard.comparison)} "
                f"{format_value(self.indicator, self.standard.threshold)}"
            )
        if self.target is not None:
            parts.append(
                _("目标 %(comparison)s %(value)s")
                % {
                    "comparison": symbol(self.indicator.target_comparison),
                    "value": format_value(self.indicator, self.target.value),
                }
            )
        return "；".join(parts)

    def standard_json(self) -> dict[str, Any] | None:
        """The script contract's ``standard``: the legal standard, or else the target."""
        if self.standard is not None:
            return {
                "comparison": self.standard.comparison,
                "threshold": float(self.standard.threshold),
                "basis": self.standard.basis,
            }
        if self.target is not None:
            return {
                "comparison": self.indicator.target_comparison,
                "threshold": float(self.target.value),
                "basis": self.target.basis,
            }
        return None

    def as_json(self) -> dict[str, Any]:
        assert self.value is not None
        return {
            "code": self.indicator.code,
            "name": self.indicator.name,
            "unit": self.indicator.unit,
            "period": self.period,
            "value": float(self.value),
            "baseline": float(self.baseline.value) if self.baseline else None,
            "standard": self.standard_json(),
            "complies": self.complies,
        }


def symbol(comparison: str) -> str:
    return {">=": "≥", "<=": "≤", "==": "="}.get(comparison, comparison)


def format_value(indicator: Indicator, value: Decimal | None) -> str:
    """Percentages with one decimal; counts whole; other figures without trailing zeros."""
    if value is None:
        return "—"
    if indicator.is_percent:
        return f"{value:.1f}%"
    if indicator.kind == "count":
        return f"{value:,.0f}"
    text = f"{value.quantize(Decimal('0.01')):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def known_periods(topic: Topic) -> list[str]:
    # Distinct in the database and without the model's ordering (a join to the regions for
    # their codes): with values for every region and year, that join and sort of every row
    # took longer than the rest of the page's queries.
    found = (
        IndicatorValue.objects.filter(topic=topic)
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted(found, key=period_tools.sort_key)


@dataclass
class Evaluation:
    topic: Topic
    period: str
    periods: list[str]  # the known periods up to and including ``period``
    indicators: list[Indicator]
    regions: list[Region]
    figures: dict[str, dict[tuple[int, str], Figure]] = field(default_factory=dict)

    def cell(self, region: Region, indicator: Indicator) -> Cell:
        current = self.figures[self.period].get((region.pk, indicator.code))
        baseline_period = next(
            (p for p in self.periods[:-1] if (region.pk, indicator.code) in self.figures[p]),
            None,
        )
        return Cell(
            indicator=indicator,
            region=region,
            period=self.period,
            figure=current,
            baseline=self.figures[baseline_period][(region.pk, indicator.code)]
            if baseline_period
            else None,
            baseline_period=baseline_period,
            standard=indicator.standard_for(region.level),
            target=indicator.target_for(region.code, self.period),
        )

    def row(self, region: Region) -> list[Cell]:
        return [self.cell(region, indicator) for indicator in self.indicators]

    def series(self, region: Region, indicator: Indicator) -> list[float | None]:
        """The indicator's value in each known period, for the trend chart."""
        return [
            float(f.value) if (f := self.figures[p].get((region.pk, indicator.code))) else None
            for p in self.periods
        ]


def evaluate(
    topic: Topic,
    regions: Sequence[Region],
    *,
    values: QuerySet[IndicatorValue],
    period: str | None = None,
    indicators: Iterable[Indicator] | None = None,
) -> Evaluation:
    """Work out every indicator of ``regions`` for ``period`` (default: the latest known)
    and for each known period before it (baselines, trend). ``values`` is the queryset the
    viewer may read (``IndicatorValue.objects.visible_to(user)``)."""
    periods = known_periods(topic)
    if period is None:
        period = periods[-1] if periods else str(timezone.localdate().year)
    upto = sorted(
        {p for p in periods if period_tools.sort_key(p) <= period_tools.sort_key(period)}
        | {period},
        key=period_tools.sort_key,
    )
    every = list(catalogue(topic.slug).values())
    shown = every if indicators is None else list(indicators)
    evaluation = Evaluation(topic, period, upto, shown, list(regions))
    evaluation.figures = {p: {} for p in upto}
    entered = values.filter(topic=topic, region__in=[r.pk for r in regions], period__in=upto)
    for row in entered.values(
        "region_id", "indicator", "period", "value", "is_illustrative", "source"
    ):
        evaluation.figures[row["period"]][(row["region_id"], row["indicator"])] = Figure(
            row["value"], row["is_illustrative"], str(Source(row["source"]).label)
        )
    ends = {p: period_tools.end_of(p) for p in upto}
    registries = (
        registry_figures_on(topic, regions, ends.values())
        if any(i.obtained == "registry" for i in every)
        else {}
    )
    for p in upto:
        registry = registries.get(ends[p], RegistryFigures({}, set()))
        table = evaluation.figures[p]
        for region in regions:
            for indicator in every:
                figure = _computed(indicator, region, table, registry)
                if figure is not None:
                    table[(region.pk, indicator.code)] = figure
    return evaluation


def _computed(
    indicator: Indicator,
    region: Region,
    table: dict[tuple[int, str], Figure],
    registry: RegistryFigures,
) -> Figure | None:
    if indicator.obtained == "registry":
        value = registry.value(region, indicator.facility_kind, indicator.measure)
        return None if value is None else Figure(value, False, str(_("设施台账")))
    if indicator.obtained == "derived":
        inputs = [table.get((region.pk, code)) for code in indicator.derived_of]
        present = [figure for figure in inputs if figure is not None]
        if len(present) != len(inputs):
            return None
        value = derive(indicator, [figure.value for figure in present])
        if value is None:
            return None
        illustrative = any(figure.illustrative for figure in present)
        return Figure(value, illustrative, _("由其他指标计算"))
    return None


def derive(indicator: Indicator, inputs: Sequence[Decimal]) -> Decimal | None:
    """The derived value from its inputs (in the order of ``derived.of``); ``None`` for a
    ratio over zero."""
    scale = indicator.derived_scale
    if indicator.derived_op == "ratio":
        numerator, denominator = inputs
        if denominator == 0:
            return None
        result = numerator * scale / denominator
    elif indicator.derived_op == "difference":
        result = (inputs[0] - inputs[1]) * scale
    else:
        result = sum(inputs, Decimal(0)) * scale
    return result.quantize(PLACES)
