"""Where a report is about: the gazetteer's places (provinces, cities, counties) named in its
text or given as its region, and below them towns, villages and named facilities found by their
suffix (城关镇, 李楼村, 康乐养老院), which no gazetteer lists.

Used by ``engine``, which re-exports the public names (``Gazetteer``, ``build_gazetteer``,
``region_key``…). Plain Python, no Django.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# What a place name is cut out to: the engine's separator of text runs.
SEPARATOR = "|"

# Factors on the similarity of two reports that name the same town, village or facility below
# the gazetteer's level (城关镇, 李楼村, 康乐养老院), or different ones of the same level.
SAME_LOCALITY_BONUS = 1.25
OTHER_LOCALITY_PENALTY = 0.1


@dataclass(frozen=True)
class Gazetteer:
    """Place names the texts may mention, each mapped to the place keys it may mean, and
    each key's parent (so a city named beside one of its counties does not count twice)."""

    names: Mapping[str, frozenset[str]] = field(default_factory=dict)
    parents: Mapping[str, str] = field(default_factory=dict)

    @functools.cached_property
    def pattern(self) -> re.Pattern[str] | None:
        if not self.names:
            return None
        alternatives = sorted(self.names, key=len, reverse=True)
        return re.compile("|".join(re.escape(name) for name in alternatives))

    def mentioned(self, text: str) -> set[str]:
        if self.pattern is None:
            return set()
        found: set[str] = set()
        for match in self.pattern.finditer(text):
            found |= self.names[match.group()]
        return found

    def without_places(self, text: str) -> str:
        """The text with place names cut out: where is compared apart from what."""
        if self.pattern is None:
            return text
        return self.pattern.sub(SEPARATOR, text)

    def ancestors(self, key: str) -> set[str]:
        seen: set[str] = set()
        while key in self.parents and key not in seen:
            key = self.parents[key]
            seen.add(key)
        return seen


def region_key(value: str, gazetteer: Gazetteer) -> str:
    """A report's region as the engine compares it: a known code as is, a known name (full
    or short, if it names one place only) as its code, anything else as written."""
    value = value.strip()
    codes = gazetteer.names.get(value, frozenset())
    if len(codes) == 1:
        return next(iter(codes))
    return value


def short_name(name: str) -> str:
    """正阳县 → 正阳, 驻马店市 → 驻马店: how texts usually name a place. Names that would
    shrink to a single character (浚县) keep their suffix."""
    for suffix in ("回族区", "自治县", "新区", "县", "市", "区", "省"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def build_gazetteer(regions: Iterable[tuple[str, str, str]]) -> Gazetteer:
    """From ``(code, name, parent_code)`` rows: full and short names both point at the code."""
    names: dict[str, set[str]] = {}
    parents: dict[str, str] = {}
    for code, name, parent in regions:
        for spelling in {name, short_name(name)}:
            names.setdefault(spelling, set()).add(code)
        if parent:
            parents[code] = parent
    return Gazetteer({k: frozenset(v) for k, v in names.items()}, parents)


# Places below the gazetteer's counties, and named facilities, are found by their suffix: the
# two characters before it are taken as the name (most such names have two; a longer one is
# cut the same way in every report, so it still matches itself).
_LOCALITY = re.compile(
    r"(?=([\u4e00-\u9fff]{2})"
    r"(街道|社区|镇|乡|村|敬老院|养老院|福利院|幸福院|老年公寓|护理院|颐养院|养老公寓))"
)
_LOCALITY_LEVEL = {"街道": "town", "镇": "town", "乡": "town", "社区": "village", "村": "village"}
# A name holds none of these: counting words, pronouns, verbs and the suffixes themselves
# (部分乡镇, 俺们村, 送到镇上, 住养老院 name no place).
_NOT_IN_NAME = frozenset(
    "个的们某该本全各每这那哪一二两三四五六七八九十百千几多部分乡镇村区县市省州街社里在到去"
    "回从由和与及跟同等我俺咱你他她其此所有无没不是了为被把给向往对经靠离让进入出下上驻邻家院"
    "老年住送来请找叫说问看查称比如像农"
)
# Words that stand before such a suffix without naming a place (城乡社区, 居家社区养老…).
# Two characters a word, written run together.
_NOT_A_NAME_RUN = (
    "城乡农村城镇城区县城城市山区偏远边远周边附近当地行政示范美丽贫困城中集中中心小区居民困难"
    "特色重点周围基层城郊郊区市区区域农业个别少数其中不少较多新建已建建成未建辖区外地城里居家"
    "智慧友好和谐文明民办公办私立民营公建社会小型大型日间综合普通正规专业一般养老医养护理失能"
    "特困供养互助农家老旧旧城新城新区当前目前现有现在平时今年去年前年一些那些这些发现希望检查"
    "调研走访暗访抽查建议反映要求推动鼓励支持包括比如例如知道表示相关有关山里深山偏僻边上旁边"
    "隔壁对面附属公立私营市场企业机构服务管理山村"
)
_NOT_A_NAME = frozenset(_NOT_A_NAME_RUN[i : i + 2] for i in range(0, len(_NOT_A_NAME_RUN), 2))
# A suffix followed by these is part of another word (村医, 村干部, 乡镇, 乡里, 街道办).
_NOT_A_SUFFIX = {"村": "医干里委部民级镇庄落", "乡": "镇村里下亲愁土情贤间", "镇": "村里"}


def localities(text: str) -> frozenset[tuple[str, str]]:
    """Towns, villages and named facilities in a normalised text, as ``(level, name)``:
    place evidence below the gazetteer's level (城关镇, 李楼村, 康乐养老院)."""
    found: set[tuple[str, str]] = set()
    for match in _LOCALITY.finditer(text):
        name, suffix = match.group(1), match.group(2)
        following = text[match.start() + 2 + len(suffix) : match.start() + 3 + len(suffix)]
        # A village's name may name the town or the facility after it (车村镇, 廉村敬老院),
        # when it stands alone (not the end of a longer village's name: 李楼村幸福院).
        last = ""
        if name[1] == "村" and suffix not in ("村", "社区", "街道"):
            before = text[match.start() - 1 : match.start()]
            if not before or before in _NOT_IN_NAME or not "\u4e00" <= before <= "\u9fff":
                last = name[1]
        if name in _NOT_A_NAME or any(c in _NOT_IN_NAME for c in name.removesuffix(last)):
            continue
        if following and following in _NOT_A_SUFFIX.get(suffix, ""):
            continue
        found.add((_LOCALITY_LEVEL.get(suffix, "facility"), name + suffix))
    return frozenset(found)


def also_bare(
    texts: Sequence[str], named: Sequence[frozenset[tuple[str, str]]]
) -> list[frozenset[tuple[str, str]]]:
    """Towns and villages that one report names in full and another without its suffix
    (善堂镇 and 善堂那边) count as named by both."""
    full: dict[str, set[tuple[str, str]]] = {}
    for found in named:
        for level, name in found:
            if level != "facility":
                full.setdefault(name[:2], set()).add((level, name))
    bare = {name: next(iter(spelled)) for name, spelled in full.items() if len(spelled) == 1}
    if not bare:
        return list(named)
    pattern = re.compile("|".join(map(re.escape, sorted(bare))))
    return [
        found | {bare[match.group()] for match in pattern.finditer(text)}
        for text, found in zip(texts, named, strict=True)
    ]


def without_localities(text: str, found: frozenset[tuple[str, str]]) -> str:
    """The text with town and village names cut out (a facility keeps its kind): where is
    compared apart from what, like the gazetteer's places."""
    for level, name in found:
        text = text.replace(name[:2] if level == "facility" else name, SEPARATOR)
    return text


def locality_factor(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> float:
    """Two reports that name different towns (or villages, or facilities) are about two
    places; naming the same one, and none different, is strong evidence of one problem."""
    if not a or not b:
        return 1.0
    levels_a: dict[str, set[str]] = {}
    for level, name in a:
        levels_a.setdefault(level, set()).add(name)
    shared = False
    for level, name in b:
        names = levels_a.get(level)
        if names is None:
            continue
        if name in names:
            shared = True
        elif not any((level, other) in b for other in names):
            return OTHER_LOCALITY_PENALTY
    return SAME_LOCALITY_BONUS if shared else 1.0


def placed_by_locality(
    where: Sequence[frozenset[str]],
    named: Sequence[frozenset[tuple[str, str]]],
    ancestors: Callable[[str], set[str]],
) -> list[frozenset[str]]:
    """Reports of unknown place, or about a city as a whole, that name a town, village or
    facility which the reports about one place only (a county) also name: that place. No
    gazetteer of towns is needed; the input's own reports tell where a town is."""
    seen: dict[tuple[str, str], set[str]] = {}
    for keys, found in zip(where, named, strict=True):
        if len(keys) == 1:
            for locality in found:
                seen.setdefault(locality, set()).update(keys)
    result = list(where)
    for index, (keys, found) in enumerate(zip(where, named, strict=True)):
        if len(keys) > 1 or not found:
            continue
        candidates: set[str] = set()
        for locality in found:
            candidates |= seen.get(locality, set())
        # The most specific of them, if one place holds all the others.
        leaves = {key for key in candidates if not any(key in ancestors(o) for o in candidates)}
        if len(leaves) != 1:
            continue
        leaf = next(iter(leaves))
        if not keys or (next(iter(keys)) in ancestors(leaf)):
            result[index] = frozenset(leaves)
    return result


def same_place(a: frozenset[str], b: frozenset[str]) -> bool:
    """Unknown place merges with anything; otherwise the two must share a place."""
    return not a or not b or bool(a & b)


def joint_places(
    a: frozenset[str], b: frozenset[str], ancestors: Callable[[str], set[str]]
) -> frozenset[str] | None:
    """The most specific places of two clusters taken together, or None when they are about
    different places (two counties; a city's cluster that already holds one county and
    another county's)."""
    if not a or not b or a == b:
        return a or b
    joint = a | b
    covered: set[str] = set()
    for key in joint:
        covered |= ancestors(key)
    leaves = joint - covered
    return leaves if leaves <= a or leaves <= b else None
