"""The engine applied to a campaign: its unmerged raw reports in, proposals out, with the
decisions staff already made taken into account. Reads only; changes go through ``actions``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, field

from django.core.cache import cache

from oversight.campaigns.models import Campaign
from oversight.problems.models import Kind, RawReport
from oversight.regions.models import Region

from . import engine
from .models import DecisionKind, GroupDecision

# Problems compared with a proposal when looking for one it could join.
JOIN_CANDIDATES_LIMIT = 2000

# Proposals and suggestions are kept this long at most (keys keep them exact until then):
# the vocabulary a deployment brings is in use within the hour.
CACHE_TTL = 60 * 60


@dataclass(frozen=True)
class JoinTarget:
    """The existing problem a proposal is most like: what its card shows and posts back."""

    pk: int
    number: int
    title: str
    score: float

    def __str__(self) -> str:
        return f"{self.number:03d} {self.title}"  # as Problem.__str__


@dataclass
class Proposal:
    reports: list[RawReport]
    title: str
    kind: str
    region: Region
    join_target: JoinTarget | None = None
    # Concepts at least half of its reports name (消防安全, 敬老院): what staff check it against.
    topics: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return "-".join(str(report.pk) for report in self.reports)


def gazetteer_for(regions: Iterable[Region]) -> engine.Gazetteer:
    return engine.build_gazetteer(
        (region.code, region.name, region.parent.code if region.parent else "")
        for region in regions
    )


def campaign_gazetteer(campaign: Campaign) -> engine.Gazetteer:
    """The campaign's region and everything below it: the places its reports can name. Built
    once per campaign object (a request's), however many parts of the page ask for it, kept
    in the instance's ``__dict__`` as Django's ``cached_property`` does."""
    memo = campaign.__dict__
    if "_merging_gazetteer" not in memo:
        memo["_merging_gazetteer"] = gazetteer_for(campaign.regions().select_related("parent"))
    gazetteer: engine.Gazetteer = memo["_merging_gazetteer"]
    return gazetteer


def as_engine_report(report: RawReport) -> engine.Report:
    region = report.region.code if report.region_id and report.region else ""
    return engine.Report(str(report.pk), report.text, region, report.channel)


def apply_decisions(
    groups: Iterable[list[int]], decisions: Sequence[tuple[str, set[int], set[int]]]
) -> list[list[int]]:
    """Splits take their split-off members out of a group that holds both sides; groups
    inside a rejected one are dropped."""
    kept: list[list[int]] = []
    for group in groups:
        members = set(group)
        for kind, decided, split_off in decisions:
            if kind == DecisionKind.SPLIT and members & decided and members & split_off:
                members -= split_off
        rejected = any(
            kind == DecisionKind.REJECTED and members <= decided for kind, decided, _ in decisions
        )
        if len(members) > 1 and not rejected:
            kept.append(sorted(members))
    return kept


def _decisions(campaign: Campaign) -> list[tuple[str, set[int], set[int]]]:
    rows = GroupDecision.objects.filter(campaign=campaign).prefetch_related("members", "split_off")
    return [
        (row.kind, {r.pk for r in row.members.all()}, {r.pk for r in row.split_off.all()})
        for row in rows
    ]


def common_region(campaign: Campaign, reports: Sequence[RawReport]) -> Region:
    regions = {report.region_id for report in reports}
    if len(regions) == 1 and reports[0].region is not None:
        return reports[0].region
    return campaign.region


def _keyed(prefix: str, read: object) -> str:
    """A cache key for everything an answer was computed from."""
    return f"{prefix}:{hashlib.sha256(json.dumps(read, ensure_ascii=False).encode()).hexdigest()}"


def proposals(campaign: Campaign, threshold: float = engine.DEFAULT_THRESHOLD) -> list[Proposal]:
    """Groups of the campaign's unmerged raw reports, the largest first."""
    unmerged = list(
        campaign.raw_reports.filter(problem__isnull=True).select_related("region").order_by("pk")
    )
    by_id = {report.pk: report for report in unmerged}
    engine_reports = [as_engine_report(report) for report in unmerged]
    # Keyed by everything the engine reads (the campaign's region stands for its gazetteer),
    # so the groups are the engine's own answer whoever asks, with nothing to invalidate.
    engine_input = [campaign.region_id, threshold, [astuple(report) for report in engine_reports]]
    cache_key = _keyed("merging-groups:1", engine_input)
    groups: list[list[str]] | None = cache.get(cache_key)
    if groups is None:
        groups = engine.propose_groups(
            engine_reports, threshold=threshold, gazetteer=campaign_gazetteer(campaign)
        )
        cache.set(cache_key, groups, CACHE_TTL)
    groups_by_pk = apply_decisions(([int(pk) for pk in g] for g in groups), _decisions(campaign))
    groups_by_pk.sort(key=lambda g: (-len(g), g[0]))
    result = []
    for group in groups_by_pk:
        reports = [by_id[pk] for pk in group]
        formal = engine.most_formal([as_engine_report(r) for r in reports])
        result.append(
            Proposal(
                reports=reports,
                title=formal.text.strip().rstrip("。；;.!！")[:100],
                kind=Kind.COMMON,
                region=common_region(campaign, reports),
            )
        )
    return result


def explain(campaign: Campaign, shown: Sequence[Proposal]) -> None:
    """Each proposal shown gets the concepts at least half of its reports name. Kept, like
    the groups, under a key of everything read, so a page view reads no texts again."""
    if not shown:
        return
    read = [campaign.region_id, [[(r.pk, r.text) for r in p.reports] for p in shown]]
    cache_key = _keyed("merging-topics:1", read)
    topics: list[list[str]] | None = cache.get(cache_key)
    if topics is None:
        topics = engine.shared_topics(
            [[as_engine_report(r) for r in proposal.reports] for proposal in shown],
            campaign_gazetteer(campaign),
        )
        cache.set(cache_key, topics, CACHE_TTL)
    for proposal, found in zip(shown, topics, strict=True):
        proposal.topics = found


def suggest_join_targets(campaign: Campaign, shown: Sequence[Proposal], threshold: float) -> None:
    """For each proposal shown, the existing problem (about the same place) whose merged raw
    reports are most alike, if alike enough to join.

    Comparing with up to ``JOIN_CANDIDATES_LIMIT`` problems' reports is the page's largest
    cost, so the answer is kept until a problem of the campaign changes (every change,
    merging included, moves ``figures_version``) or other proposals are shown."""
    if not shown:
        return
    cache_key = _keyed(
        "merging-join:1", [campaign.pk, campaign.figures_version, threshold, [p.key for p in shown]]
    )
    matched: list[JoinTarget | None] | None = cache.get(cache_key)
    if matched is None:
        matched = _join_targets(campaign, shown, threshold)
        cache.set(cache_key, matched, CACHE_TTL)
    for proposal, found in zip(shown, matched, strict=True):
        proposal.join_target = found


def _join_targets(
    campaign: Campaign, shown: Sequence[Proposal], threshold: float
) -> list[JoinTarget | None]:
    """Per proposal, the best problem to join, or None. The candidates' reports are read as
    plain rows, not model instances: at 100,000 problems building 6,000 instances cost more
    than comparing them."""
    candidates = list(
        campaign.problems.order_by("-pk").values_list("pk", "number", "title")[
            :JOIN_CANDIDATES_LIMIT
        ]
    )
    if not candidates:
        return [None] * len(shown)
    reports: dict[int, list[engine.Report]] = {pk: [] for pk, _number, _title in candidates}
    for pk, problem, text, region, channel in (
        RawReport.objects.filter(problem__in=list(reports))
        .order_by("pk")
        .values_list("pk", "problem_id", "text", "region__code", "channel")
    ):
        reports[problem].append(engine.Report(str(pk), text, region or "", channel))
    best = engine.closest(
        [[as_engine_report(r) for r in proposal.reports] for proposal in shown],
        list(reports.values()),
        campaign_gazetteer(campaign),
    )
    return [
        JoinTarget(*candidates[found[0]], score=found[1])
        if found is not None and found[1] >= threshold
        else None
        for found in best
    ]
