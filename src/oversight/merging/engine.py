"""Proposes groups of raw reports that describe the same problem in other words.

Pure Python and numpy/scipy/scikit-learn, no Django: the intake page and the ``dedupe``
command call the same ``propose_groups`` with the same default threshold.

How: each text is normalised (full-/half-width, punctuation). Two views of it are compared:
- wording: place and facility names cut out, the domain's synonyms rewritten to one spelling
  and generic complaint words dropped (``data/lexicon.toml``); the rest becomes character
  1–3-grams weighted by TF-IDF (document frequencies over the input plus a committed
  background text of the domain, ``data/background.txt``);
- concepts: the topic's concept vocabulary (``data/concepts.toml``: 押金/会员卡/预交 → PREPAY,
  敬老院 → a facility kind…), idf-weighted the same way.
Their cosines are mixed (``CONCEPT_WEIGHT``), then pair rules apply: different facility kinds,
different kinds of one thing (建设补贴 and 运营补贴), or concepts named but none shared (nor
related as cause and effect: 没有运营经费 and 锁门) lower the score; a report of unknown place
needs a stronger likeness; a report naming no concept is judged on wording alone. Two reports
about different places never pair up; a report about a city that names none of its counties
may pair with a county's (with a margin). Below the counties, towns, villages, housing estates
and named facilities (``places``) are evidence too: the same one named is evidence for, different
ones of a level evidence against, and a report of unknown place (or about a city) that names a
town which only one county's reports name is taken to be about that county. Groups form by
average-link agglomeration, so a chain of pairwise look-alikes does not glue unrelated reports
into one group; clusters about two different places (or that name two different towns, estates
or facilities) never merge, even through a report that names neither.
"""

from __future__ import annotations

import functools
import heapq
import operator
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from .places import SEPARATOR as _SEPARATOR
from .places import Gazetteer as Gazetteer
from .places import (
    also_bare,
    different_localities,
    joint_places,
    literal_pattern,
    locality_factor,
    same_place,
    without_localities,
)
from .places import build_gazetteer as build_gazetteer
from .places import localities as localities
from .places import placed_by_locality as placed_by_locality
from .places import region_key as region_key
from .places import short_name as short_name

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.toml"
CONCEPTS_FILE = Path(__file__).parent / "data" / "concepts.toml"
BACKGROUND_FILE = Path(__file__).parent / "data" / "background.txt"
# The concept vocabulary's topic (a key of concepts.toml): the engine serves elderly care.
DEFAULT_TOPIC = "elderly-care"

# Chosen on the demo campaigns' labelled raw reports and the development sets
# tests/merging/data/dev*.jsonl, then frozen before the held-out set was measured (figures in
# tests/merging/test_evaluation.py). On the scale of the mixed similarity below.
DEFAULT_THRESHOLD = 0.15
# The page's range input; outside it everything or nothing merges.
MIN_THRESHOLD = 0.02
MAX_THRESHOLD = 0.6

# Formal channels first: their wording makes the best title for the consolidated problem.
CHANNEL_FORMALITY = ("self_inspection", "inspection", "upper_level", "deputy", "public")

# Cosine at which two reports are taken as the same text restated.
DUPLICATE = 0.8
# Share of the similarity that comes from shared concepts rather than shared wording.
CONCEPT_WEIGHT = 0.4
# Factor on the similarity of two reports that name different kinds of facility.
FACILITY_PENALTY = 0.2
# Factor on the similarity of two reports that name concepts, none of them shared.
NO_SHARED_CONCEPT_PENALTY = 0.6
# Factor on the similarity of two reports that name different kinds of one thing.
KIND_PENALTY = 0.5
# Taken off the similarity of a pair where one report's place is unknown.
UNKNOWN_PLACE_MARGIN = 0.1
# Taken off the similarity of a report about a city (naming none of its counties) and one
# about a county of that city.
NESTED_PLACE_MARGIN = 0.15
# At most this many reports about a city as a whole join a group about one of its counties.
BROAD_JOIN = 1
# Factor on the similarity of a pair where a report names no concept (1 / (1 - CONCEPT_WEIGHT)
# puts its wording-only similarity on the common scale).
SILENT_SCALE = 1 / (1 - CONCEPT_WEIGHT)
# At most this many shared concepts are named on a proposal: the ones most of it names.
TOPICS_SHOWN = 3
# Concept masks are held as this many 64-bit words per report.
_MAX_CONCEPTS = 128
_WORDS = _MAX_CONCEPTS // 64
# Rows multiplied at once when looking for similar pairs: bounds the memory.
_CHUNK = 2000

_PUNCTUATION = re.compile(r"[\s\W_]+")


@dataclass(frozen=True)
class Report:
    """What the engine needs of a raw report. ``region`` is a place key (a region code,
    or a name as written); empty when unknown."""

    id: str
    text: str
    region: str = ""
    channel: str = ""


@dataclass(frozen=True)
class Lexicon:
    canonical: Mapping[str, str]
    pattern: re.Pattern[str]


@functools.cache
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    canonical: dict[str, str] = {}
    for words in data["synonyms"]:
        for word in words:
            canonical[normalise(word)] = normalise(words[0])
    for word in data["generic"]:
        canonical.setdefault(normalise(word), _SEPARATOR)
    return Lexicon(canonical, literal_pattern(canonical))


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, punctuation and spaces to one separator."""
    return _PUNCTUATION.sub(_SEPARATOR, unicodedata.normalize("NFKC", text).lower())


def rewrite(text: str, lexicon: Lexicon | None = None) -> str:
    """Synonyms to their canonical spelling, generic words to a separator."""
    lexicon = lexicon or load_lexicon()
    return lexicon.pattern.sub(lambda m: lexicon.canonical[m.group()], normalise(text))


def features(text: str) -> list[str]:
    """Character 1-, 2- and 3-grams of the rewritten text, never across a separator."""
    grams: list[str] = []
    for run in rewrite(text).split(_SEPARATOR):
        if not run:
            continue
        grams.extend(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
        grams.extend(run[i : i + 3] for i in range(len(run) - 2))
    return grams


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity
class Concepts:
    """A topic's concept vocabulary (``data/concepts.toml``): each spelling to the concepts it
    names, as bits of one integer; ``facilities`` are the bits that name a kind of facility,
    ``kinds`` the masks of concepts that are kinds of one thing (建设补贴, 运营补贴, 高龄津贴…)."""

    names: tuple[str, ...]
    bits: Mapping[str, int]
    facilities: int
    pattern: re.Pattern[str] | None
    kinds: tuple[int, ...] = ()
    related: Mapping[int, int] = field(default_factory=dict)
    # What staff read for each concept (``labels`` in the table); a concept without one is
    # shown by its first spelling.
    labels: tuple[str, ...] = ()

    @functools.cached_property
    def _everywhere(self) -> re.Pattern[str] | None:
        # The longest spelling starting at every character, overlaps included: 没电梯 names
        # a lift even though 没电 (no power) starts first.
        return None if self.pattern is None else re.compile(f"(?=({self.pattern.pattern}))")

    def mask(self, text: str) -> int:
        """The concepts a normalised text names, as a bit mask."""
        found = 0
        if self._everywhere is not None:
            for match in self._everywhere.finditer(text):
                found |= self.bits[match.group(1)]
        return found

    def widened(self, mask: int) -> int:
        """The mask with the concepts related to those it names."""
        for bit, others in self.related.items():
            if mask >> bit & 1:
                mask |= others
        return mask

    def without_facilities(self, text: str) -> str:
        """The text with facility names cut out, for the wording comparison: which facility
        is compared apart from what is wrong with it (like places)."""
        if self.pattern is None:
            return text
        facilities = self.facilities
        return self.pattern.sub(
            lambda m: _SEPARATOR if self.bits[m.group()] & facilities else m.group(), text
        )


@functools.cache
def load_concepts(topic: str = DEFAULT_TOPIC, path: Path = CONCEPTS_FILE) -> Concepts:
    with path.open("rb") as handle:
        table = tomllib.load(handle).get(topic, {})
    groups = [*table.get("concepts", {}).items(), *table.get("facilities", {}).items()]
    if len(groups) > _MAX_CONCEPTS:
        raise ValueError(f"{path}: {topic} has {len(groups)} concepts, at most {_MAX_CONCEPTS}")
    bits: dict[str, int] = {}
    for index, (_, words) in enumerate(groups):
        for word in words:
            key = normalise(word)
            bits[key] = bits.get(key, 0) | (1 << index)
    # Only the longest spelling starting at a character is matched, so a spelling also names
    # what its parts name: 老年食堂 is a meal point and about meals (食堂).
    bits = {
        word: functools.reduce(
            operator.or_,
            (
                bits.get(word[start:end], 0)
                for start in range(len(word))
                for end in range(start + 1, len(word) + 1)
            ),
            0,
        )
        for word in bits
    }
    facilities = sum(1 << i for i in range(len(table.get("concepts", {})), len(groups)))
    pattern = literal_pattern(bits) if bits else None
    names = tuple(name for name, _ in groups)

    def bit(name: str) -> int:
        if name not in names:
            raise ValueError(f"{path}: {topic} names an unknown concept {name!r}")
        return names.index(name)

    kinds = tuple(
        sum(1 << bit(name) for name in members) for members in table.get("kinds", {}).values()
    )
    related: dict[int, int] = {}
    for first, second in table.get("related", {}).get("pairs", []):
        related[bit(first)] = related.get(bit(first), 0) | (1 << bit(second))
        related[bit(second)] = related.get(bit(second), 0) | (1 << bit(first))
    labelled = table.get("labels", {})
    for name in labelled:
        bit(name)  # a label for no concept is a typo
    labels = tuple(labelled.get(name) or (words[0] if words else name) for name, words in groups)
    return Concepts(names, bits, facilities, pattern, kinds, related, labels)


@functools.cache
def background() -> tuple[int, Mapping[str, int]]:
    """How many lines of the domain's background text (``data/background.txt``: clauses of the
    bulletins and of labelled raw reports, committed once) hold each feature, and how many
    there are: so that a handful of reports compared alone do not take 养老 for a telling word."""
    frequency: Counter[str] = Counter()
    lines = [line for line in BACKGROUND_FILE.read_text(encoding="utf-8").splitlines() if line]
    for line in lines:
        frequency.update(set(features(line)))
    return len(lines), frequency


def _idf(counts: sparse.csr_matrix, frequency: np.ndarray, documents: int) -> sparse.csr_matrix:
    """Sublinear tf × smooth idf, l2-normalised rows (as scikit-learn's ``TfidfVectorizer``)."""
    idf = (np.log((1 + documents) / (1 + frequency)) + 1).astype(np.float32)
    counts = counts.astype(np.float32)
    counts.data = (np.log(counts.data) + 1) * idf[counts.indices]
    return sparse.csr_matrix(normalize(counts))


def vectorise(texts: Sequence[str]) -> sparse.csr_matrix:
    """TF-IDF rows of character n-grams, document frequencies counted over the reports being
    compared plus the domain's background text."""
    counter = CountVectorizer(analyzer=features, dtype=np.float32)
    try:
        counts = sparse.csr_matrix(counter.fit_transform(texts))
    except ValueError:  # no text has any feature left (all generic words or punctuation)
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    background_count, background_frequency = background()
    terms = counter.get_feature_names_out().tolist()
    frequency = np.bincount(counts.indices, minlength=len(terms)) + np.array(
        [background_frequency.get(term, 0) for term in terms]
    )
    return _idf(counts, frequency, len(texts) + background_count)


@functools.cache
def _background_concepts(concepts: Concepts) -> tuple[int, np.ndarray]:
    lines = [line for line in BACKGROUND_FILE.read_text(encoding="utf-8").splitlines() if line]
    named = Counter(bit for line in lines for bit in bits_of(concepts.mask(normalise(line))))
    return len(lines), np.array([named[bit] for bit in range(len(concepts.names))])


def bits_of(mask: int) -> Iterator[int]:
    """The concepts a mask names, as bit numbers, lowest first."""
    bit = 0
    while mask:
        if mask & 1:
            yield bit
        mask >>= 1
        bit += 1


def concept_matrix(masks: Sequence[int], concepts: Concepts) -> sparse.csr_matrix:
    """One column per concept, idf-weighted like the n-grams, l2-normalised rows."""
    rows: list[int] = []
    columns: list[int] = []
    for row, mask in enumerate(masks):
        for bit in bits_of(mask):
            rows.append(row)
            columns.append(bit)
    width = max(len(concepts.names), 1)
    counts = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(masks), width)
    )
    background_count, background_frequency = _background_concepts(concepts)
    frequency = np.bincount(counts.indices, minlength=width)[:width]
    frequency[: len(background_frequency)] += background_frequency
    return _idf(counts, frequency, len(masks) + background_count)


@dataclass(frozen=True)
class Represented:
    """Reports as the engine compares them: one row each whose dot product is their
    similarity (text and concepts weighted together), and their concept bit masks."""

    matrix: sparse.csr_matrix
    masks: np.ndarray
    facilities: int
    localities: Sequence[frozenset[tuple[str, str]]] = ()
    kinds: tuple[int, ...] = ()
    widened: np.ndarray | None = None


def _read(
    reports: Sequence[Report], gazetteer: Gazetteer, concepts: Concepts
) -> tuple[list[str], list[frozenset[tuple[str, str]]], list[int]]:
    """Each report's normalised text without its places, the towns, villages, estates and
    facilities it names, and the concepts it names (as a bit mask)."""
    texts = [normalise(gazetteer.without_places(report.text)) for report in reports]
    named = also_bare(texts, [localities(text) for text in texts])
    texts = [without_localities(text, found) for text, found in zip(texts, named, strict=True)]
    return texts, named, [concepts.mask(text) for text in texts]


def represent(reports: Sequence[Report], gazetteer: Gazetteer, concepts: Concepts) -> Represented:
    """Character n-grams of the text without place names, beside the concepts it names:
    ``CONCEPT_WEIGHT`` of the similarity comes from shared concepts, the rest from wording."""
    texts, named, masks = _read(reports, gazetteer, concepts)
    # The mask already tells which texts name a facility: only those are scanned again.
    texts = [
        concepts.without_facilities(text) if mask & concepts.facilities else text
        for text, mask in zip(texts, masks, strict=True)
    ]
    matrix = sparse.hstack(
        [
            vectorise(texts) * np.float32(np.sqrt(1 - CONCEPT_WEIGHT)),
            concept_matrix(masks, concepts) * np.float32(np.sqrt(CONCEPT_WEIGHT)),
        ],
        format="csr",
    )
    return Represented(
        matrix,
        as_words(masks),
        concepts.facilities,
        named,
        concepts.kinds,
        as_words([concepts.widened(mask) for mask in masks]),
    )


def as_words(masks: Sequence[int]) -> np.ndarray:
    """Concept bit masks (Python integers) as rows of 64-bit words, for vectorised tests."""
    words = np.zeros((len(masks), _WORDS), dtype=np.uint64)
    for row, mask in enumerate(masks):
        for word in range(_WORDS):
            words[row, word] = (mask >> (64 * word)) & 0xFFFFFFFFFFFFFFFF
    return words


def _any(words: np.ndarray) -> np.ndarray:
    return np.asarray((words != 0).any(axis=1))


def adjust(
    represented: Represented,
    known: np.ndarray,
    rows: np.ndarray,
    columns: np.ndarray,
    scores: np.ndarray,
    nested: np.ndarray | None = None,
) -> np.ndarray:
    """Pair scores after the rules that text similarity alone does not see: two reports that
    each name a kind of facility, but different kinds, are likely one template about two
    facilities; reports that name concepts but none in common are likely two problems."""
    masks = represented.masks
    a, b = masks[rows], masks[columns]
    facilities = as_words([represented.facilities])
    fa, fb = a & facilities, b & facilities
    other_facility = _any(fa) & _any(fb) & ~_any(fa & fb)
    ta, tb = a & ~facilities, b & ~facilities
    no_shared = _any(ta) & _any(tb) & ~_any(ta & tb)
    if represented.widened is not None:
        no_shared &= ~_any(represented.widened[rows] & tb & ~facilities)
    # A report that names no concept says nothing about topic either way: its likeness is
    # judged on wording alone, on the same scale.
    silent = ~_any(a) | ~_any(b)
    adjusted = scores * np.where(silent, SILENT_SCALE, 1.0)
    adjusted = adjusted * np.where(other_facility, FACILITY_PENALTY, 1.0)
    adjusted = adjusted * np.where(no_shared, NO_SHARED_CONCEPT_PENALTY, 1.0)
    # Two kinds of one thing (a construction subsidy, an operating subsidy): two problems.
    for kind in as_words(list(represented.kinds)):
        ka, kb = a & kind, b & kind
        adjusted = adjusted * np.where(_any(ka) & _any(kb) & ~_any(ka & kb), KIND_PENALTY, 1.0)
    named = represented.localities
    # One side of unknown place: only a strong likeness lets it join, unless the two name
    # the same town, village or facility (that is a place both are known to be about).
    unknown = ~(known[rows] & known[columns])
    if named:
        has = np.array([bool(found) for found in named])
        for k in np.flatnonzero(has[rows] & has[columns]).tolist():
            factor = locality_factor(named[rows[k]], named[columns[k]])
            adjusted[k] *= factor
            if factor > 1.0:
                unknown[k] = False
    adjusted = adjusted - np.where(unknown, UNKNOWN_PLACE_MARGIN, 0.0)
    # A city's report beside one of its counties': likely the same place, not certainly.
    if nested is not None:
        adjusted = adjusted - np.where(nested, NESTED_PLACE_MARGIN, 0.0)
    return adjusted.astype(np.float32)


def places(report: Report, gazetteer: Gazetteer) -> frozenset[str]:
    """The most specific places a report is about: those its text names, else its region.
    A place that only contains another one in the set (the city of a named county) drops."""
    candidates = gazetteer.mentioned(report.text)
    if report.region:
        candidates.add(report.region)
    covered: set[str] = set()
    for key in candidates:
        covered |= gazetteer.ancestors(key)
    return frozenset(candidates - covered)


Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]


def _no_pairs() -> Pairs:
    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, np.float32)


def _pairs_at_least(
    matrix: sparse.csr_matrix, rows: np.ndarray, columns: np.ndarray, threshold: float
) -> Pairs:
    """Global ``(i, j, cosine)`` with ``i < j`` among ``rows × columns`` (each pair once when
    the two are the same set), cosine ≥ threshold."""
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    found_score: list[np.ndarray] = []
    right = sparse.csr_matrix(matrix[columns].T)
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        scores = sparse.coo_matrix(matrix[chunk] @ right)
        keep = scores.data >= threshold
        i = chunk[scores.row[keep]]
        j = columns[scores.col[keep]]
        found_i.append(np.minimum(i, j))
        found_j.append(np.maximum(i, j))
        found_score.append(scores.data[keep])
    if not found_i:
        return _no_pairs()
    return np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_score)


def similar_pairs(
    matrix: sparse.csr_matrix,
    where: Sequence[frozenset[str]],
    threshold: float,
    inner: Mapping[str, Sequence[str]] | None = None,
) -> Pairs:
    """Pairs about the same place with cosine ≥ threshold. Only reports that share a place
    (or whose place is unknown, or that are about a city and the other about one of its
    counties: ``inner`` maps a place to the places under it) are ever multiplied: the work
    shrinks with every region."""
    by_place: dict[str, list[int]] = {}
    unknown: list[int] = []
    for index, keys in enumerate(where):
        if not keys:
            unknown.append(index)
        for key in keys:
            by_place.setdefault(key, []).append(index)
    found = [
        _pairs_at_least(matrix, np.array(members), np.array(members), threshold)
        for members in by_place.values()
        if len(members) > 1
    ]
    for key, under in (inner or {}).items():
        if key in by_place:
            others = sorted({i for place in under for i in by_place.get(place, ())})
            found.append(
                _pairs_at_least(matrix, np.array(by_place[key]), np.array(others), threshold)
            )
    if unknown:
        everyone = np.arange(matrix.shape[0])
        found.append(_pairs_at_least(matrix, np.array(unknown), everyone, threshold))
    if not found:
        return _no_pairs()
    # Each pair comes both ways, and twice more where two reports share two places (or one
    # is of unknown place): keep it once, never a report with itself.
    pair_ids, first = np.unique(
        np.concatenate([i * matrix.shape[0] + j for i, j, _ in found]), return_index=True
    )
    scores = np.concatenate([score for _, _, score in found])[first]
    rows, columns = pair_ids // matrix.shape[0], pair_ids % matrix.shape[0]
    distinct = rows != columns
    return rows[distinct], columns[distinct], scores[distinct]


def sparse_average_link(
    rows: np.ndarray,
    columns: np.ndarray,
    sums: np.ndarray,
    sizes: np.ndarray,
    threshold: float,
    where: Sequence[frozenset[str]] | None = None,
    ancestors: Callable[[str], set[str]] | None = None,
    named: Sequence[frozenset[tuple[str, str]]] | None = None,
) -> list[list[int]]:
    """Average linkage on a sparse graph of nodes that each stand for ``sizes[node]``
    reports, ``sums`` being the total similarity between two nodes' reports (absent pairs
    count 0): merge the two clusters of highest mean similarity while it is ≥ ``threshold``.
    With ``where`` (each node's places) two clusters about different places never merge,
    even when reports of unknown or broader place link them; with ``named`` (each node's
    towns, estates and facilities) nor do two clusters that name different ones of a level.
    Returns the clusters of more than one node, as node lists."""
    spots: dict[int, frozenset[str]] = {}
    weight: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    links: dict[int, dict[int, float]] = {}
    heap: list[tuple[float, int, int]] = []
    for i, j, total in zip(rows.tolist(), columns.tolist(), sums.tolist(), strict=True):
        links.setdefault(i, {})[j] = total
        links.setdefault(j, {})[i] = total
        mean = total / (int(sizes[i]) * int(sizes[j]))
        if mean >= threshold:
            heap.append((-mean, i, j))
    names: dict[int, frozenset[tuple[str, str]]] = {}
    for node in links:
        weight[node] = int(sizes[node])
        members[node] = [node]
        spots[node] = where[node] if where is not None else frozenset()
        names[node] = named[node] if named is not None else frozenset()
    heapq.heapify(heap)
    while heap:
        negative_mean, a, b = heapq.heappop(heap)
        total = links.get(a, {}).get(b)
        # A stale entry (either side has grown or gone since it was pushed) is skipped.
        if total is None or abs(total / (weight[a] * weight[b]) + negative_mean) > 1e-9:
            continue
        merged = joint_places(spots[a], spots[b], ancestors or (lambda key: set()))
        if merged is None:
            continue
        if different_localities(names[a], names[b]):
            continue
        # Several reports about a city as a whole make a city-wide problem, apart from a
        # county's; a lone one may be that county's report filed at the city.
        if any(spots[x] and not spots[x] <= merged and weight[x] > BROAD_JOIN for x in (a, b)):
            continue
        if len(links[a]) < len(links[b]):
            a, b = b, a  # fold the smaller neighbourhood into the larger
        spots[a] = merged
        del spots[b]
        names[a] = names[a] | names.pop(b)
        members[a].extend(members.pop(b))
        weight[a] += weight.pop(b)
        a_links = links[a]
        del a_links[b]
        for neighbour, value in links.pop(b).items():
            if neighbour == a:
                continue
            a_links[neighbour] = a_links.get(neighbour, 0.0) + value
            neighbour_links = links[neighbour]
            del neighbour_links[b]
            neighbour_links[a] = a_links[neighbour]
        size = weight[a]
        for neighbour, value in a_links.items():
            mean = value / (size * weight[neighbour])
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(a, neighbour), max(a, neighbour)))
    return [group for group in members.values() if len(group) > 1]


def _fold_duplicates(
    size: int,
    rows: np.ndarray,
    columns: np.ndarray,
    scores: np.ndarray,
    foldable: np.ndarray | None = None,
) -> tuple[np.ndarray, Pairs]:
    """Near-identical reports (cosine ≥ ``DUPLICATE``) become one node first: they are one
    problem whatever else they resemble, and fewer nodes keep the agglomeration fast.
    Returns each report's node and the summed similarities between distinct nodes."""
    close = scores >= DUPLICATE
    if foldable is not None:
        close &= foldable
    graph = sparse.coo_matrix(
        (np.ones(int(close.sum())), (rows[close], columns[close])), shape=(size, size)
    )
    _, node = connected_components(graph, directed=False)
    node_rows, node_columns = node[rows], node[columns]
    apart = node_rows != node_columns
    low = np.minimum(node_rows[apart], node_columns[apart])
    high = np.maximum(node_rows[apart], node_columns[apart])
    summed = sparse.coo_matrix(
        (scores[apart].astype(np.float64), (low, high)), shape=(size, size)
    ).tocsr()
    summed.sum_duplicates()
    summed = summed.tocoo()
    return node, (summed.row, summed.col, summed.data)


def propose_groups(
    reports: Sequence[Report],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    gazetteer: Gazetteer | None = None,
    concepts: Concepts | None = None,
) -> list[list[str]]:
    """Groups (two or more report ids each) that likely describe one problem, in the order of
    their first report."""
    if len(reports) < 2:
        return []
    gazetteer = gazetteer or Gazetteer()
    represented = represent(reports, gazetteer, concepts or load_concepts())
    where = [places(report, gazetteer) for report in reports]
    where = placed_by_locality(where, represented.localities, gazetteer.ancestors)
    # A report about a city that names none of its counties may be about any of them.
    present = set().union(*where)
    inner: dict[str, list[str]] = {}
    for key in present:
        for outer in gazetteer.ancestors(key) & present:
            inner.setdefault(outer, []).append(key)
    # Pairs that a scale-up may lift over the threshold are looked for too.
    rows, columns, scores = similar_pairs(
        represented.matrix, where, threshold / SILENT_SCALE, inner
    )
    known = np.array([bool(keys) for keys in where])
    broad = np.array([not keys.isdisjoint(inner) for keys in where])
    # Most reports have one place: compare its number; the rest one by one.
    number = {key: n for n, key in enumerate(sorted(present))}
    single = np.array([number[next(iter(keys))] if len(keys) == 1 else -1 for keys in where])
    candidates = known[rows] & known[columns] & (broad[rows] | broad[columns])
    several = (single[rows] < 0) | (single[columns] < 0)
    nested = candidates & ((single[rows] != single[columns]) | several)
    for k in np.flatnonzero(nested & several):
        nested[k] = where[rows[k]].isdisjoint(where[columns[k]])
    scores = adjust(represented, known, rows, columns, scores, nested)
    keep = scores >= threshold
    rows, columns, scores = rows[keep], columns[keep], scores[keep]
    # Only reports known to be about the same place fold: a city's report (or one of unknown
    # place) restated in two counties must not make the two counties one node.
    exact = (known[rows] == known[columns]) & ~nested[keep]
    node, (node_rows, node_columns, sums) = _fold_duplicates(
        len(reports), rows, columns, scores, exact
    )
    sizes = np.bincount(node, minlength=len(reports))
    # Pairs below the threshold count as unrelated (0) in the cluster means: the graph
    # stays sparse, and the groups come out no looser.
    node_where: list[frozenset[str]] = [frozenset()] * len(reports)
    node_named: list[frozenset[tuple[str, str]]] = [frozenset()] * len(reports)
    for index, of in enumerate(node.tolist()):
        node_where[of] = node_where[of] | where[index]
        node_named[of] = node_named[of] | represented.localities[index]
    clusters = sparse_average_link(
        node_rows, node_columns, sums, sizes, threshold, node_where, gazetteer.ancestors, node_named
    )
    in_cluster = {n for cluster in clusters for n in cluster}
    clusters.extend([n] for n in np.flatnonzero(sizes > 1).tolist() if n not in in_cluster)
    reports_of: dict[int, list[int]] = {}
    for index, of in enumerate(node.tolist()):
        reports_of.setdefault(of, []).append(index)
    groups = [sorted(i for n in cluster for i in reports_of[n]) for cluster in clusters]
    groups.sort(key=lambda group: group[0])
    return [[reports[i].id for i in group] for group in groups]


def shared_topics(
    groups: Sequence[Sequence[Report]],
    gazetteer: Gazetteer | None = None,
    concepts: Concepts | None = None,
) -> list[list[str]]:
    """For each group, the labels of at most ``TOPICS_SHOWN`` concepts (消防安全, 敬老院…) that
    at least half of its reports, and two or more, name, the most named first: what staff
    check a proposal against. Place names are cut out first, as ``propose_groups`` does."""
    concepts = concepts or load_concepts()
    _, _, masks = _read([r for group in groups for r in group], gazetteer or Gazetteer(), concepts)
    found: list[list[str]] = []
    start = 0
    for group in groups:
        named = Counter(bit for mask in masks[start : start + len(group)] for bit in bits_of(mask))
        start += len(group)
        enough = max(2, (len(group) + 1) // 2)
        labels = [concepts.labels[bit] for bit, count in named.most_common() if count >= enough]
        found.append(labels[:TOPICS_SHOWN])
    return found


def closest(
    groups: Sequence[Sequence[Report]],
    candidates: Sequence[Sequence[Report]],
    gazetteer: Gazetteer | None = None,
    concepts: Concepts | None = None,
) -> list[tuple[int, float] | None]:
    """For each group, the candidate (e.g. an existing problem's raw reports) about the same
    place whose reports are on average most similar to the group's: ``(index, mean
    similarity)`` (on the scale of ``propose_groups``' threshold), or None when no candidate
    is about the same place. One vectorisation for all."""
    gazetteer = gazetteer or Gazetteer()
    if not groups or not candidates:
        return [None] * len(groups)
    candidate_reports = [r for candidate in candidates for r in candidate]
    group_reports = [r for group in groups for r in group]
    matrix = represent(
        [*candidate_reports, *group_reports], gazetteer, concepts or load_concepts()
    ).matrix
    # Each candidate's mean row, so that centre · mean row = mean cosine to its reports.
    owner = np.repeat(np.arange(len(candidates)), [len(c) for c in candidates])
    weights = 1.0 / np.array([max(len(c), 1) for c in candidates])[owner]
    averaging = sparse.csr_matrix(
        (weights, (owner, np.arange(len(candidate_reports)))),
        shape=(len(candidates), len(candidate_reports)),
    )
    candidate_means = averaging @ matrix[: len(candidate_reports)]
    candidate_places = [
        frozenset().union(*(places(r, gazetteer) for r in candidate)) for candidate in candidates
    ]
    found: list[tuple[int, float] | None] = []
    start = len(candidate_reports)
    for group in groups:
        block = matrix[start : start + len(group)]
        start += len(group)
        centre = np.asarray(block.mean(axis=0)).ravel()
        scores = np.asarray(candidate_means @ centre).ravel()
        where = frozenset().union(*(places(r, gazetteer) for r in group))
        allowed = np.array([same_place(where, p) for p in candidate_places])
        if not allowed.any():
            found.append(None)
            continue
        scores[~allowed] = -1.0
        best = int(np.argmax(scores))
        found.append((best, float(scores[best])))
    return found


def most_formal(group: Sequence[Report]) -> Report:
    """The report whose wording suits a title: the most formal channel, then the shortest."""
    rank = {channel: index for index, channel in enumerate(CHANNEL_FORMALITY)}
    return min(group, key=lambda r: (rank.get(r.channel, len(rank)), len(r.text)))
