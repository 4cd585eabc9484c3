"""Where a report is about: the gazetteer's places (provinces, cities, counties) named in its
text or given as its region, and below them towns, villages, housing estates and named facilities
found by their suffix (城关镇, 李楼村, 锦绣小区, 康乐养老院), which no gazetteer lists.

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


_Trie = dict[str, "_Trie"]


def literal_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern that matches any of ``words``, the longest one where several start at the
    same place. Built as a trie (common prefixes shared), so that thousands of words cost
    one look at each character rather than one per word."""
    trie: _Trie = {}
    for word in filter(None, words):  # an empty word would match everywhere
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def expression(node: _Trie) -> str:
        branches = [re.escape(c) + expression(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        joined = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A word may end here: the longer continuations are tried first.
        return f"(?:{joined})?" if "" in node else joined

    # No word at all matches nothing (an empty pattern would match everywhere).
    return re.compile(expression(trie) or "(?!)")


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
        return literal_pattern(self.names)

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
    r"(街道|社区|镇|乡|村|小区|家属院|敬老院|养老院|福利院|幸福院|老年公寓|护理院|颐养院|养老公寓"
    r"|养老服务中心|养老中心|康养中心|颐养中心|养护院|护养院|康养园|颐养园|托老所|照料中心))"
)
_LOCALITY_LEVEL = {
    "街道": "town",
    "镇": "town",
    "乡": "town",
    "社区": "village",
    "村": "village",
    "小区": "estate",
    "家属院": "estate",
}
# A name holds none of these: counting words, pronouns, verbs and the suffixes themselves
# (部分乡镇, 俺们村, 送到镇上, 住养老院 name no place).
_NOT_IN_NAME = frozenset(
    "个的们某该本全各每这那哪一二两三四五六七八九十百千几多部分乡镇村区县市省州街社里在到去"
    "回从由和与及跟同等我俺咱你他她其此所有无没不是了为被把给向往对经靠离让进入出下上驻邻家院"
    "老年住送来请找叫说问看查称比如像农"
)


def _words_of_two(run: str) -> frozenset[str]:
    """Two-character words written run together (城乡农村… → 城乡, 农村…)."""
    if len(run) % 2:
        raise ValueError(f"odd length: {run!r}")
    return frozenset(run[i : i + 2] for i in range(0, len(run), 2))


# Words that stand before such a suffix without naming a place (城乡社区, 居家社区养老…).
# Two characters a word, written run together.
_NOT_A_NAME_RUN = (
    "城乡农村城镇城区县城城市山区偏远边远周边附近当地行政示范美丽贫困城中集中中心小区居民困难"
    "特色重点周围基层城郊郊区市区区域农业个别少数其中不少较多新建已建建成未建辖区外地城里居家"
    "智慧友好和谐文明民办公办私立民营公建社会小型大型日间综合普通正规专业一般养老医养护理失能"
    "特困供养互助农家老旧旧城新城新区当前目前现有现在平时今年去年前年一些那些这些发现希望检查"
    "调研走访暗访抽查建议反映要求推动鼓励支持包括比如例如知道表示相关有关山里深山偏僻边上旁边"
    "隔壁对面附属公立私营市场企业机构服务管理山村住宅品房安置物业保险开发地产运营科技家政供电燃气"
    "电信移动通信养生健康单位私人餐饮劳务建筑医药电力公交连锁高端高档高层职工医疗保健健品投资托管"
    "商贸实业电子网络退休"
)
_NOT_A_NAME = _words_of_two(_NOT_A_NAME_RUN)
# Everyday words that also serve as names (阳光养老院, 幸福小区): never matched bare.
_EVERYDAY_RUN = (
    "阳光幸福爱心温馨快乐健康平安和谐温暖家园长寿安康吉祥美好希望光明友爱孝心敬老夕阳晚霞"
    "金色银色红色绿色蓝天明天未来中心新城东方南方西方北方人民群众百姓老年老人养老颐养康养"
)
_EVERYDAY = _words_of_two(_EVERYDAY_RUN)
# A suffix followed by these is part of another word (村医, 村干部, 村集体, 乡镇, 乡里, 街道办).
_NOT_A_SUFFIX = {"村": "医干里委部民级镇庄落集组务", "乡": "镇村里下亲愁土情贤间", "镇": "村里"}
# A suffix after these is the end of a common word, not of a name (城乡公交, 返乡, 小城镇).
_NOT_A_SUFFIX_AFTER = {"乡": "城返故同外他异水梦本", "镇": "城", "村": "山渔"}


def localities(text: str) -> frozenset[tuple[str, str]]:
    """Towns, villages, housing estates and named facilities in a normalised text, as
    ``(level, name)``: place evidence below the gazetteer's level (城关镇, 李楼村, 锦绣小区,
    康乐养老院)."""
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
        if name[1] in _NOT_A_SUFFIX_AFTER.get(suffix, ""):
            continue
        found.add((_LOCALITY_LEVEL.get(suffix, "facility"), name + suffix))
    return frozenset(found)


def also_bare(
    texts: Sequence[str], named: Sequence[frozenset[tuple[str, str]]]
) -> list[frozenset[tuple[str, str]]]:
    """Towns, villages, estates and facilities that one report names in full and another
    without its suffix (善堂镇 and 善堂那边, 福瑞康养中心 and 福瑞的事) count as named by
    both."""
    full: dict[str, set[tuple[str, str]]] = {}
    for found in named:
        for level, name in found:
            # Many a facility or estate is named with an everyday word (阳光, 幸福, 爱心):
            # bare, such a word is found in reports about anything.
            if name[:2] not in _EVERYDAY:
                full.setdefault(name[:2], set()).add((level, name))
    bare = {name: next(iter(spelled)) for name, spelled in full.items() if len(spelled) == 1}
    if not bare:
        return list(named)
    pattern = literal_pattern(bare)
    return [
        found | {bare[match.group()] for match in pattern.finditer(text)}
        for text, found in zip(texts, named, strict=True)
    ]


def without_localities(text: str, found: frozenset[tuple[str, str]]) -> str:
    """The text with the names of towns, villages and estates cut out (a facility keeps its
    kind): where is compared apart from what, like the gazetteer's places."""
    for level, name in found:
        text = text.replace(name[:2] if level == "facility" else name, SEPARATOR)
    return text


def different_localities(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> bool:
    """Whether ``b`` names a town (or village, estate, facility) where ``a`` names only
    others of that level: the two are about two places."""
    for level, name in b:
        names = {other for other_level, other in a if other_level == level}
        if names and name not in names and names.isdisjoint(n for lv, n in b if lv == level):
            return True
    return False


def locality_factor(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> float:
    """Two reports that name different towns (or villages, estates, facilities) are about two
    places; naming the same one, and none different, is strong evidence of one problem."""
    if different_localities(a, b):
        return OTHER_LOCALITY_PENALTY
    return SAME_LOCALITY_BONUS if a & b else 1.0


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
