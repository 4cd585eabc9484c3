"""Figures in the prose of a bulletin: numbers with a unit or a percent sign.

Pure Python, no Django: ``extract(text)`` returns ``Figure`` candidates, each with what is
counted in the text's own words (``subject``), the number, its unit, the earlier value of a
change (“由76%提高到96%”) and the sentence it came from.

The text is read as such documents are written: lines wrapped mid-sentence are joined again,
full-width and half-width digits and punctuation are the same, Chinese numerals count
(“十二个部门”), and what merely looks like a figure is left out: dates (2024年3月, 24日),
ordinals and issue numbers (第59期, 第十二条), list numbering (一、（二）1.), durations,
names with digits, “一” used as an article (一个“有呼必应”的模式).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Full-width ASCII → half-width, one character for one, so that offsets into the normalised
# text are offsets into the original too.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

PERCENT_UNIT = "%"
POINT_UNIT = "百分点"
# Classifiers of counts; a count indicator accepts any of them (“430 所” of meal points).
COUNT_UNITS = (
    "大类", "个", "所", "家", "张", "处", "项", "条", "次", "件", "户", "床", "盏", "部",
    "台", "套", "辆", "间", "座", "栋", "场", "批", "支", "份", "篇", "类", "种", "名", "位",
    "人次", "人", "县区", "县", "期", "轮",
)  # fmt: skip
MEASURE_UNITS = (
    "元", "平方公里", "平方千米", "平方米", "平米", "公顷", "亩", "公里", "千米", "公斤",
    "吨", "倍",
)  # fmt: skip
# Longest first so that 平方米 wins over 米 and 人次 over 人.
_UNITS = sorted({*COUNT_UNITS, *MEASURE_UNITS}, key=len, reverse=True)
# A unit followed by these is a word of its own, not a unit (3个月 is a duration, 台账 a ledger).
_NOT_UNIT_BEFORE = {
    "个": "月 工作日 小时 星期",
    "家": "庭 属 门",
    "人": "大 民 社 口 员 才",
    "名": "称 单 义 额",
    "位": "于 置",
    "所": "有 以 在 属 得",
    "处": "理 置 室 长 级",
    "元": "旦 素",
    "台": "账 阶",
    "部": "门 署 分 长 位",
    "批": "示 复 准 次",
    "期": "间 限 待 盼 刊",
    "场": "所 地 景",
    "支": "持 付 出 撑",
    "种": "植 类",
    "条": "件 例 款",
    "项": "目",
    "次": "日 年 月",
    "县": "级 城 委 域 乡",
    "间": "隔 断",
    "类": "型 别",
    "张": "贴",
}
_NOT_UNIT_BEFORE_SPLIT = {unit: tuple(words.split()) for unit, words in _NOT_UNIT_BEFORE.items()}

_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE_DIGITS = "零〇一二两三四五六七八九"
_CHINESE = f"[{_CHINESE_DIGITS}十百千万亿]+"
_NUMBER = re.compile(rf"百分之(?P<pct>{_DIGITS}|{_CHINESE})|(?P<num>{_DIGITS})|(?P<cn>{_CHINESE})")
_SPACE = re.compile(r"[ \t]*")
# What may sit between the number and its unit: 余/多 (“3000余人”), a 万/亿 multiplier kept in
# the unit as the text writes it (515万元, 5.49万人), and 个 before 百分点.
_AFTER_NUMBER = re.compile(
    r"[ \t]*(?P<approx1>[余多])?(?P<scale>[万亿])?(?P<approx2>[余多])?[ \t]*(?P<ge>个)?[ \t]*"
)
_PREFIX_QUALIFIERS = (
    "不低于", "不少于", "不超过", "不高于", "将近", "超过", "高达", "至少", "最多", "达到",
    "约", "近", "逾", "超", "达", "共", "计",
)  # fmt: skip
_QUALIFYING_PREFIXES = {"不低于", "不少于", "不超过", "不高于", "将近", "超过", "至少", "最多"}
_QUALIFYING_PREFIXES |= {"约", "近", "逾", "超"}
_WORDS_ENDING_LIKE = {
    "签约",
    "节约",
    "制约",
    "集约",
    "履约",
    "预约",
    "附近",
    "最近",
    "就近",
    "临近",
}
# Words that frame a figure without naming it: the figure then counts what came before.
_FRAMING_WORDS = {"全市", "全县", "全省", "全区", "目前", "其中", "共", "合计", "共计", "累计"}
_SUFFIX_QUALIFIERS = ("以上", "以下", "以内", "左右")
_CHANGE = re.compile(
    r"^[^,;，。；:：]{0,12}?"
    r"(?:提高|提升|增加|增长|上升|下降|降低|减少|扩大|缩小|缩减|增|升|降|减|提|达)"
    r"[ \t]*(?:到|至|为)"
    r"[^,;，。；:：\d]{0,8}$"
)
_CHANGE_START = re.compile(r"(?:由|从)[^,;，。；:：由从]{0,12}$")
# A year or month inside a change (由2023年的45家增加到2024年的60家) is not its number.
_DATE = re.compile(r"\d{2,4}[ \t]*年(?:[ \t]*\d{1,2}[ \t]*月)?(?:底|末|初|的)?")
_RANGE = re.compile(r"^[ \t]*(?:-|~|—|–|至|到)[ \t]*$")

# Where a sentence ends; a half-width full stop only when it is not a decimal point.
_SENTENCE_END = re.compile(r"[。！？!?；;]|(?<!\d)\.|\.(?!\d)")
# Where the words that name a figure end.
_CLAUSE_MARKS = set(",;，。；：:、！？!?()（）[]【】《》«»<>\n.“”「」")
_QUOTES = "“”\"‘’'「」『』"
_LIST_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))"
)
_PAGE_NUMBER = re.compile(r"^[\s\-—–]*\d+[\s\-—–]*$")
# Words around a number that say how it is framed, not what is counted.
_LEADING_WORDS = (
    "其中", "并且", "同时", "目前", "另有", "此外", "先后", "分别", "共计", "合计", "已经",
    "并", "共", "已", "有", "和", "及", "对", "向", "在", "将", "均", "还", "又",
)  # fmt: skip
_TRAILING_WORDS = (
    "可达到", "达到了", "达到", "可达", "超过了", "提高", "提升", "增加", "增长", "先后", "分别",
    "均在", "均为", "均达", "共计", "合计", "累计", "约有", "达", "为", "是", "有", "共", "在",
    "的", "等", "已", "了", "至", "可",
)  # fmt: skip
# After a classifier, the counted noun ends at these (or at punctuation or a number).
_FOLLOWING_STOPS = (
    "进行", "联合", "制定", "深入", "安装", "提供", "未", "按", "通过", "接受", "主要",
    "整改", "交办", "召开", "开展", "正在", "已", "将", "中", "为", "是", "用于", "实现",
    "完成", "得到", "参加", "参与", "报道", "共", "均", "达",
)  # fmt: skip
_MAX_SUBJECT = 24
_MAX_FOLLOWING = 16
# A short rate word (“运营率”) names the figure of what was named just before it.
_RATE_WORD = re.compile(r"^[^\d]{1,4}(?:率|比例|占比)$")
_NEW_VERBS = ("新建成", "新改建", "新增", "新建", "新修", "新设", "新开", "累计建成")
_SUBJECT_VERBS = (
    "新增运营", "新建成", "累计建成", "已建成", "新增", "新建", "建成", "运营", "完成", "新修",
    "加装", "安装", "设置", "建立", "累计",
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    subject: str
    value: Decimal
    unit: str
    before: Decimal | None
    sentence: str
    qualifier: str = ""
    # Where the figure stands in the sentence, to show it highlighted.
    position: int = 0
    end: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "value": float(self.value),
            "unit": self.unit,
            "before": None if self.before is None else float(self.before),
            "sentence": self.sentence,
        }


def normalise_unit(unit: str) -> str:
    """The unit as compared: half-width, 个百分点 → 百分点, 平米 → 平方米."""
    unit = unit.translate(_WIDTH).strip()
    unit = {"个百分点": POINT_UNIT, "平米": "平方米", "％": PERCENT_UNIT}.get(unit, unit)
    return unit


def chinese_number(text: str) -> Decimal | None:
    """十二 → 12, 两 → 2, 二十 → 20, 一百零五 → 105, 三万 → 30000; ``None`` when not a
    number as written (一一, 三五 are words, not numbers)."""
    small = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    powers = {"十": 10, "百": 100, "千": 1000}
    big = {"万": 10_000, "亿": 100_000_000}
    total = section = 0
    digit: int | None = None
    last_power = 10**9
    for char in text:
        if char in small:
            if digit is not None and digit != 0 and small[char] != 0:
                return None  # two digits in a row: 三五, a word or an estimate
            digit = small[char]
        elif char in powers:
            power = powers[char]
            if power >= last_power:
                return None
            section += (1 if digit is None else digit) * power
            digit = None
            last_power = power
        elif char in big:
            section += digit or 0
            if section == 0:
                return None
            total += section * big[char]
            section = 0
            digit = None
            last_power = 10**9
    section += digit or 0
    value = total + section
    return Decimal(value) if value else None


def paragraphs(text: str) -> list[str]:
    """The text with its wrapped lines joined: a new paragraph starts after a sentence's end
    or with a list marker; page numbers (—7—) and blank lines are dropped."""
    result: list[str] = []
    current = ""
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip().strip("\u3000").strip()
        if not line or _PAGE_NUMBER.match(line.translate(_WIDTH)):
            continue
        flat = current.rstrip().translate(_WIDTH)
        ends_sentence = flat[-1:] in set("。!?;:)")
        # A short numbered heading (一、主要做法) is a paragraph of its own.
        ends_sentence |= (
            bool(_LIST_MARKER.match(flat))
            and len(flat) <= 20
            and not any(mark in flat for mark in "。,;，；")
        )
        if current and (ends_sentence or _LIST_MARKER.match(line.translate(_WIDTH))):
            result.append(current)
            current = ""
        if current and current[-1].isascii() and current[-1].isalnum() and line[0].isascii():
            current += " "
        current += line
    if current:
        result.append(current)
    return result


def sentences(paragraph: str) -> list[str]:
    """A paragraph cut after each sentence's end (a full stop, an exclamation or question
    mark, a semicolon); the ends stay with their sentences."""
    flat = paragraph.translate(_WIDTH)
    found: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(flat):
        if match.group() == "." and _is_decimal_point(flat, match.start()):
            continue
        found.append(paragraph[start : match.end()])
        start = match.end()
    found.append(paragraph[start:])
    return [s.strip() for s in found if s.strip()]


def _is_decimal_point(flat: str, index: int) -> bool:
    before = flat[index - 1 : index]
    after = flat[index + 1 : index + 2]
    return before.isdigit() and after.isdigit()


@dataclass
class _Number:
    start: int
    end: int  # after the unit and any qualifier
    value: Decimal
    unit: str
    qualifier: str
    number_end: int  # right after the number itself
    unit_start: int
    chinese: bool


def extract(text: str) -> list[Figure]:
    """Every figure of ``text``, in reading order."""
    figures: list[Figure] = []
    for paragraph in paragraphs(text):
        for sentence in sentences(paragraph):
            figures += _figures_of(sentence)
    return figures


def _figures_of(sentence: str) -> list[Figure]:
    flat = sentence.translate(_WIDTH)
    numbers = _numbers(flat)
    figures: list[Figure] = []
    subjects: list[str] = []
    consumed: set[int] = set()
    for index, number in enumerate(numbers):
        if index in consumed or not number.unit:
            continue
        before: Decimal | None = None
        subject_end = number.start
        qualifier = number.qualifier
        first = number.start
        previous = _previous(flat, numbers, index)
        if previous is not None and previous.unit in ("", number.unit):
            between = flat[previous.end if previous.unit else previous.number_end : number.start]
            between = _DATE.sub("", between)
            change_start = _CHANGE_START.search(flat[: previous.start])
            if change_start and _CHANGE.match(between):
                before = previous.value
                subject_end = change_start.start()
                first = change_start.start()
                consumed.add(index - 1)
                _drop_figure_at(figures, subjects, previous.start)
            elif not previous.unit and _RANGE.match(flat[previous.number_end : number.start]):
                qualifier = f"{_plain(previous.value)}-{_plain(number.value)}"
                subject_end = first = previous.start
        floor = max((n.end for n in numbers[:index] if n.unit and n.end <= subject_end), default=0)
        subject = _subject(flat, sentence, number, (floor, subject_end), subjects)
        figures.append(
            Figure(
                subject=subject,
                value=number.value,
                unit=number.unit,
                before=before,
                sentence=sentence,
                qualifier=qualifier,
                position=first,
                end=number.end,
            )
        )
        subjects.append(subject)
    return figures


def _previous(flat: str, numbers: list[_Number], index: int) -> _Number | None:
    """The number before ``numbers[index]``, dates (a year, a month) passed over."""
    for earlier in reversed(numbers[:index]):
        if earlier.unit or not flat[earlier.number_end :].lstrip(" \t").startswith(("年", "月")):
            return earlier
    return None


def _drop_figure_at(figures: list[Figure], subjects: list[str], position: int) -> None:
    """The earlier value of a change was taken for a figure of its own: it is not one."""
    for index in range(len(figures) - 1, -1, -1):
        if figures[index].position == position:
            del figures[index]
            del subjects[index]
            return


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _numbers(flat: str) -> list[_Number]:
    """The numbers of a sentence with their units (empty where there is none), dates,
    ordinals and other look-alikes left out."""
    found: list[_Number] = []
    for match in _NUMBER.finditer(flat):
        start, end = match.span()
        before_char = flat[start - 1 : start]
        if before_char == "第" or (before_char.isascii() and before_char.isalpha()):
            continue  # ordinals (第59期, 第十二条) and codes (G20, A3)
        if flat[end : end + 1].isascii() and flat[end : end + 1].isalpha():
            continue  # 5G, 3D
        if _in_title(flat, start):
            continue  # 《促进银发经济发展20条措施》 names a document
        if match.group("pct") is not None:
            value = _value(match.group("pct"))
            if value is not None:
                found.append(_with_suffix(flat, start, end, value, PERCENT_UNIT, [], False))
            continue
        chinese = match.group("cn") is not None
        text = match.group("cn") or match.group("num")
        if chinese:
            # A trailing 万/亿 of a Chinese numeral belongs to the unit as with digits (五百万元).
            while text and text[-1] in "万亿" and len(text) > 1:
                text = text[:-1]
                end -= 1
            if not _counts_in_chinese(text, flat, start):
                continue
        value = _value(text)
        if value is None:
            continue
        number = _unit_after(flat, start, end, value, chinese)
        found.append(number)
    return found


def _in_title(flat: str, index: int) -> bool:
    """Whether ``index`` lies between the title marks 《》 (or «», as some bulletins type them)."""
    before = flat[:index]
    opened = max(before.rfind("《"), before.rfind("«"))
    closed = max(before.rfind("》"), before.rfind("»"))
    return opened > closed


def _counts_in_chinese(text: str, flat: str, start: int) -> bool:
    """A Chinese numeral that is a number: not 一 alone (an article: 一个模式, 一次性, 一把手),
    not 十/百/千/万 alone (千家万户), not inside a word (统一, 唯一)."""
    if text in ("一", "百", "千", "万", "亿", "零", "〇"):
        return False
    if text == "两" and flat[start + 1 : start + 2] in ("者", "岸", "会", "级"):
        return False
    # A slogan in quotes (“两个确立”“四个全面”) names a policy, it counts nothing.
    closing = flat.find("”", start)
    return not (flat[start - 1 : start] == "“" and 0 < closing - start <= 6)


def _value(text: str) -> Decimal | None:
    if re.fullmatch(_DIGITS, text):
        return Decimal(text.replace(",", ""))
    return chinese_number(text)


def _unit_after(flat: str, start: int, end: int, value: Decimal, chinese: bool) -> _Number:
    """The unit written after the number, with 约/余/多/以上 and the like as a qualifier."""
    qualifier_before = _prefix_qualifier(flat[:start])
    qualifiers = [qualifier_before] if qualifier_before in _QUALIFYING_PREFIXES else []
    glue = _AFTER_NUMBER.match(flat, end)
    assert glue is not None
    rest = flat[glue.end() :]
    scale = glue.group("scale") or ""
    if flat[end:].lstrip(" \t").startswith("%"):
        unit, after = PERCENT_UNIT, flat.index("%", end) + 1
    elif rest.startswith(POINT_UNIT) and not scale:
        unit, after = POINT_UNIT, glue.end() + len(POINT_UNIT)
    elif glue.group("ge"):
        # 个 was taken as glue: the unit is 个 unless a word follows (3个月 is a duration).
        excluded = rest.startswith(_NOT_UNIT_BEFORE_SPLIT["个"])
        unit, after = ("", end) if excluded else (scale + "个", glue.end())
    else:
        unit = _unit_at(rest, chinese)
        after = glue.end() + len(unit)
        unit = scale + unit if unit else ""
    if not unit:
        return _Number(start, end, value, "", "", end, end, chinese)
    qualifiers += [q for q in (glue.group("approx1"), glue.group("approx2")) if q]
    number = _with_suffix(flat, start, after, value, normalise_unit(unit), qualifiers, chinese)
    number.number_end = end
    return number


def _with_suffix(
    flat: str,
    start: int,
    after: int,
    value: Decimal,
    unit: str,
    qualifiers: list[str],
    chinese: bool,
) -> _Number:
    """The figure ending at ``after``, taking 以上/以下/左右 after it as a qualifier."""
    tail = flat[after:]
    suffix = next((q for q in _SUFFIX_QUALIFIERS if tail.lstrip(" \t").startswith(q)), "")
    if suffix:
        qualifiers = [*qualifiers, suffix]
        after += len(tail) - len(tail.lstrip(" \t")) + len(suffix)
    return _Number(start, after, value, unit, "".join(qualifiers), after, after, chinese)


def _prefix_qualifier(text: str) -> str:
    """约/近/超过… right before a number, unless it ends a word (签约, 附近, 节约)."""
    text = text.rstrip(" \t")
    for qualifier in _PREFIX_QUALIFIERS:
        if text.endswith(qualifier) and text[-len(qualifier) - 1 :] not in _WORDS_ENDING_LIKE:
            return qualifier
    return ""


def _unit_at(rest: str, chinese: bool) -> str:
    for unit in _UNITS:
        if rest.startswith(unit):
            following = rest[len(unit) :]
            if following.startswith(_NOT_UNIT_BEFORE_SPLIT.get(unit, ())):
                return ""
            if chinese and unit in ("期", "县", "县区", "人", "倍", "吨"):
                return ""  # 二期工程, 三县 as names; 一人 in slogans
            return unit
    return ""


def _subject(
    flat: str, sentence: str, number: _Number, bounds: tuple[int, int], earlier: list[str]
) -> str:
    """What the figure counts, in the sentence's words: the noun after a classifier
    (“３个联动专题调研和执法检查组”), else the words before the number back to the clause's
    start (“医疗床位 5470 张”); a bare rate word (“运营率”) completed with the thing named
    just before it (“新增社区日间照料中心４１个、运营率由…”)."""
    floor, end = bounds
    following = ""
    if number.unit in COUNT_UNITS and number.unit != "次":
        following = _following_words(flat, sentence, number.end)
    if following:
        # “新增7个社区食堂”: the count is of new ones, and the subject says so.
        lead = _clean(flat[max(floor, end - 6) : end])
        lead = lead[: -len(q)] if (q := _prefix_qualifier(lead)) else lead
        verb = next((v for v in _NEW_VERBS if lead.endswith(v)), "")
        following = verb + following
    subject = following or _preceding_words(flat, sentence, floor, end)
    if len(subject) < 2 and not following:
        # “不低于 55% 的福利彩票公益金”: what is measured comes after the figure.
        after = number.end + (
            flat[number.end :].find("的") + 1
            if flat[number.end :].lstrip(" \t").startswith("的")
            else 0
        )
        subject = _following_words(flat, sentence, after) or subject
    if not subject and earlier:
        subject = earlier[-1]
    elif _RATE_WORD.match(subject) and earlier:
        subject = _completed_rate(subject, earlier[-1])
    return subject[:_MAX_SUBJECT]


def _completed_rate(rate: str, base: str) -> str:
    stem = rate[:-1] if rate.endswith("率") else rate
    stripped = _strip_verbs(base)
    if stripped != base and not _RATE_WORD.match(stripped):
        return stripped + rate
    if base.endswith(stem) and base != stem:
        return base + rate[len(stem) :]
    return rate


def _following_words(flat: str, sentence: str, start: int) -> str:
    while start < len(flat) and flat[start] in " \t":
        start += 1
    stop = start
    while stop < len(flat) and stop - start < _MAX_FOLLOWING:
        char = flat[stop]
        if (char in _CLAUSE_MARKS and char != "、") or char.isdigit() or char in _CHINESE_DIGITS:
            break
        if char == "、" and stop == start:
            break
        if flat.startswith(_FOLLOWING_STOPS, stop):
            break
        stop += 1
    return _clean(sentence[start:stop]).rstrip("、")


def _preceding_words(flat: str, sentence: str, floor: int, end: int) -> str:
    start = end
    while start > floor and end - start < _MAX_SUBJECT:
        char = flat[start - 1]
        if char in _CLAUSE_MARKS or (char.isascii() and char.isdigit()) or char == "%":
            break
        start -= 1
    words = _clean(sentence[start:end])
    qualifier = _prefix_qualifier(words)
    if qualifier and len(words) > len(qualifier):
        words = words[: -len(qualifier)]
    changed = True
    while changed and words:
        changed = False
        for word in _LEADING_WORDS:
            if words.startswith(word) and len(words) > len(word) + 1:
                words, changed = words[len(word) :], True
        for word in _TRAILING_WORDS:
            if words.endswith(word) and len(words) > len(word):
                words, changed = words[: -len(word)], True
        if words.endswith("均") and not words.endswith("人均") and len(words) > 1:
            words, changed = words[:-1], True
        words = _clean(words)
    if words in _FRAMING_WORDS or words in _TRAILING_WORDS or words in _PREFIX_QUALIFIERS:
        return ""
    return words


def _strip_verbs(subject: str) -> str:
    for verb in _SUBJECT_VERBS:
        if subject.startswith(verb) and len(subject) > len(verb) + 1:
            subject = subject[len(verb) :]
            break
    for verb in _SUBJECT_VERBS:
        if subject.endswith(verb) and len(subject) > len(verb) + 1:
            subject = subject[: -len(verb)]
            break
    return subject


def _clean(words: str) -> str:
    return re.sub(r"\s+", "", words).strip(_QUOTES + "·-—")
