"""The engine on small hand-made cases, without Django."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from oversight.merging import engine, places
from oversight.merging.engine import Report, build_gazetteer, propose_groups

GAZETTEER = build_gazetteer(
    [
        ("411700", "驻马店市", "410000"),
        ("411729", "新蔡县", "411700"),
        ("411727", "汝南县", "411700"),
        ("411724", "正阳县", "411700"),
    ]
)

BACKGROUND = [
    Report("bg1", "护理员持证上岗率偏低，专业培训不足。", "411700"),
    Report("bg2", "福彩公益金用于养老服务的比例未达到规定要求。", "411700"),
    Report("bg3", "农村幸福院建成后缺少运营经费，长期闲置。", "411700"),
    Report("bg4", "社区日间照料中心开放时间短，服务项目单一。", "411700"),
]


def groups_of(*reports: Report) -> list[set[str]]:
    found = propose_groups([*reports, *BACKGROUND], gazetteer=GAZETTEER)
    return [set(group) for group in found]


def test_identical_texts_are_one_group() -> None:
    text = "部分养老机构预收费用未实行专户存管，存在资金风险。"
    assert groups_of(Report("a", text, "411700"), Report("b", text, "411700")) == [{"a", "b"}]


def test_full_width_and_punctuation_do_not_matter() -> None:
    found = groups_of(
        Report("a", "养老院电费按工商业电价缴纳（共5家）", "411700"),
        Report("b", "养老院电费按工商业电价缴纳,共５家!", "411700"),
    )
    assert found == [{"a", "b"}]


def test_reworded_report_joins_the_formal_one() -> None:
    found = groups_of(
        Report("formal", "部分养老机构预收费用数额较大，未设立专用账户，缺乏有效监管。", "411700"),
        Report(
            "citizen", "养老院预收的钱太多，也没有专用账户，万一跑路了老人的钱找谁要？", "411700"
        ),
    )
    assert found == [{"formal", "citizen"}]


def test_same_problem_in_different_places_is_not_merged() -> None:
    text = "敬老院消防设施配备不全，安全出口被杂物堵塞。"
    found = groups_of(Report("a", text, "411729"), Report("b", text, "411727"))
    assert found == []


def test_a_place_named_in_the_text_counts_as_its_region() -> None:
    found = groups_of(
        Report("county", "敬老院消防设施配备不全，安全出口被杂物堵塞。", "411729"),
        Report("city", "新蔡敬老院消防设施配备不全，安全出口被杂物堵塞。", "411700"),
        Report("other", "汝南敬老院消防设施配备不全，安全出口被杂物堵塞。", "411700"),
    )
    assert found == [{"county", "city"}]


def test_same_place_different_problem_is_not_merged() -> None:
    found = groups_of(
        Report("a", "正阳县敬老院消防设施配备不全，存在安全隐患。", "411724"),
        Report("b", "正阳县高龄津贴按季度发放，到账滞后。", "411724"),
    )
    assert found == []


def test_unrelated_reports_are_not_merged() -> None:
    found = groups_of(
        Report("a", "老年助餐点食品留样制度执行不严。", "411700"),
        Report("b", "居家适老化改造补贴申请材料繁琐。", "411700"),
    )
    assert found == []


def test_average_link_does_not_chain() -> None:
    # a–b and b–c are close, a and c are not: single link would glue all three.
    rows, columns, sums = np.array([0, 1]), np.array([1, 2]), np.array([0.5, 0.45])
    clusters = engine.sparse_average_link(rows, columns, sums, np.ones(3, dtype=int), 0.4)
    assert [sorted(c) for c in clusters] == [[0, 1]]


def test_near_identical_reports_always_group() -> None:
    text = "部分养老机构预收费用未实行专户存管，存在资金风险。"
    found = propose_groups(
        [Report("a", text), Report("b", text + "希望重视"), Report("c", "高龄津贴认证繁琐")],
        threshold=engine.MAX_THRESHOLD,
    )
    assert found == [["a", "b"]]


def test_region_key_resolves_names_and_keeps_unknown_ones() -> None:
    assert engine.region_key("新蔡县", GAZETTEER) == "411729"
    assert engine.region_key("新蔡", GAZETTEER) == "411729"
    assert engine.region_key("411729", GAZETTEER) == "411729"
    assert engine.region_key("某某县", GAZETTEER) == "某某县"


def test_most_formal_prefers_self_inspection_then_inspection() -> None:
    group = [
        Report("p", "养老院收费太贵", channel="public"),
        Report("i", "检查发现部分机构收费项目未公示", channel="inspection"),
        Report("s", "养老机构收费项目公示不到位", channel="self_inspection"),
    ]
    assert engine.most_formal(group).id == "s"


def test_closest_candidate_is_the_most_similar_about_the_same_place() -> None:
    group = [Report("g", "敬老院消防设施配备不全，安全出口被杂物堵塞。", "411729")]
    candidates = [
        [Report("x", "敬老院高龄津贴发放滞后。", "411729")],
        [Report("y", "敬老院消防设施不全，安全出口堵塞。", "411727")],
        [Report("z", "新蔡县敬老院消防设施缺失，安全出口被堵。", "411700")],
    ]
    assert engine.closest([group], candidates, GAZETTEER)[0][0] == 2  # type: ignore[index]
    assert engine.closest([group], candidates[1:2], GAZETTEER) == [None]


def concept_names(text: str) -> set[str]:
    concepts = engine.load_concepts()
    mask = concepts.mask(engine.normalise(text))
    return {name for bit, name in enumerate(concepts.names) if mask >> bit & 1}


def test_concepts_map_different_words_to_one_concept() -> None:
    assert "PREPAY" in concept_names("父亲入住时交了三万元押金")
    assert "PREPAY" in concept_names("机构推销会员卡，预交十万元")
    assert "OLD_AGE_ALLOWANCE" in concept_names("高龄补贴一直没领到")
    # A longer spelling also names what its parts name: a meal point is about meals.
    assert {"MEAL", "MEAL_POINT"} <= concept_names("老年食堂开开停停")
    assert concept_names("天气很好") == set()


def test_shared_concept_joins_reports_with_little_shared_wording() -> None:
    found = groups_of(
        Report("formal", "部分养老机构预收费用未实行专户存管，缺乏有效监管。", "411729"),
        Report("citizen", "给老人交了三万块押金，走的时候不给退。", "411729"),
    )
    assert found == [{"formal", "citizen"}]


def test_same_template_about_different_facilities_is_not_merged() -> None:
    found = groups_of(
        Report("day", "新蔡县日间照料中心建成后长期闲置，未正常运营。", "411729"),
        Report("rural", "新蔡县村级幸福院建成后长期闲置，未正常运营。", "411729"),
    )
    # Each may join the city-wide background report about its own kind, never the other.
    assert not any({"day", "rural"} <= group for group in found)


def test_unknown_place_joins_only_on_strong_likeness() -> None:
    finding = Report("a", "敬老院灭火器过期，安全出口被杂物堵塞。", "411729")
    related = "老人房间私拉电线，使用电热毯。"  # fire safety too, in other words
    assert groups_of(finding, Report("b", related, "411729")) == [{"a", "b"}]
    assert groups_of(finding, Report("b", related, "")) == []
    restated = "敬老院灭火器过期，安全出口被杂物堵塞，希望尽快整改。"
    assert groups_of(finding, Report("b", restated, "")) == [{"a", "b"}]


def test_background_is_the_engines_own_data() -> None:
    assert engine.BACKGROUND_FILE.parent == engine.CONCEPTS_FILE.parent
    count, frequency = engine.background()
    assert count > 100 and frequency["养老"] > 0


def test_towns_villages_and_named_facilities_are_found_by_their_suffix() -> None:
    def found(text: str) -> set[tuple[str, str]]:
        return set(engine.localities(engine.normalise(text)))

    assert found("城关镇李楼村幸福院常年锁门") == {("town", "城关镇"), ("village", "李楼村")}
    assert found("康乐养老院未设置第二安全出口") == {("facility", "康乐养老院")}
    # Counting words, pronouns, verbs and common words name no place.
    assert found("部分乡镇敬老院消防设施老化") == set()
    assert found("俺们村的老人送到镇上看病，村医也不来") == set()
    assert found("老人住养老院又要看病，农村社区也没有医生") == set()
    assert found("坐城乡公交进城要买全票，返乡老人也一样") == set()
    assert found("助餐服务过度依赖村集体经济，3月因村集体收入下降停办") == set()


FIRE = "敬老院灭火器过期，走廊堆放杂物，存在火灾隐患。"


def test_same_town_reworded_is_one_group() -> None:
    found = groups_of(
        Report("formal", "城关镇敬老院灭火器过期，疏散通道堆放杂物。", "411729"),
        Report("citizen", "城关镇敬老院的灭火器早就过期了，走廊里堆满了东西。", "411729"),
    )
    assert found == [{"formal", "citizen"}]


def test_different_towns_of_one_county_are_not_merged() -> None:
    found = groups_of(
        Report("a", "城关镇" + FIRE, "411729"), Report("b", "王庄乡" + FIRE, "411729")
    )
    assert found == []


def test_a_town_named_without_its_suffix_is_still_that_town() -> None:
    found = groups_of(
        Report("full", "善堂镇" + FIRE, "411729"),
        Report("bare", "善堂那边" + FIRE, "411729"),
        Report("other", "王庄乡" + FIRE, "411729"),
    )
    assert found == [{"full", "bare"}]


def test_a_facility_named_without_its_suffix_is_still_that_facility() -> None:
    texts = [
        engine.normalise(text)
        for text in ("福瑞康养中心护理员把老人绑在床上", "俺娘在福瑞住过，护工拿布条捆她的手")
    ]
    named = places.also_bare(texts, [places.localities(text) for text in texts])
    assert named == [frozenset({("facility", "福瑞康养中心")})] * 2
    # A name that is an everyday word is not looked for bare.
    texts = [engine.normalise(text) for text in ("阳光养老院没有暖气", "老人想晒晒阳光")]
    named = places.also_bare(texts, [places.localities(text) for text in texts])
    assert named == [frozenset({("facility", "阳光养老院")}), frozenset()]


def test_a_report_about_the_city_joins_one_countys_group() -> None:
    found = groups_of(
        Report("county", "新蔡县" + FIRE, "411729"),
        Report("city", "部分敬老院灭火器过期，走廊堆放杂物。", "411700"),
    )
    assert found == [{"county", "city"}]


def test_a_report_about_the_city_does_not_join_two_counties() -> None:
    found = groups_of(
        Report("xincai", FIRE, "411729"),
        Report("runan", FIRE, "411727"),
        Report("city", FIRE, "411700"),
    )
    assert not any({"xincai", "runan"} <= group for group in found)
    assert len(found) <= 1


def test_several_reports_about_the_whole_city_stay_a_city_wide_problem() -> None:
    city = [Report(f"city{i}", FIRE + "希望重视" * i, "411700") for i in range(3)]
    found = groups_of(Report("county", "新蔡县" + FIRE, "411729"), *city)
    assert {"city0", "city1", "city2"} in found
    assert not any("county" in group for group in found)


def test_handing_over_a_room_and_renting_it_out_are_two_concepts() -> None:
    assert "MISUSE" in concept_names("养老用房被租出去开超市了")
    assert "MISUSE" not in concept_names("开发商迟迟不移交养老用房")


def test_more_than_64_concepts_fit_the_masks() -> None:
    words = engine.as_words([1 << 70 | 1])
    assert words.shape[1] * 64 >= 71
    assert int(words[0, 0]) == 1 and int(words[0, 1]) == 1 << 6
    assert len(engine.load_concepts().names) > 64


def test_a_town_or_facility_may_be_named_after_its_village() -> None:
    def found(text: str) -> set[tuple[str, str]]:
        return set(engine.localities(engine.normalise(text)))

    assert found("嵩县车村镇敬老院冬天没有暖气") == {("town", "车村镇")}
    assert found("车村敬老院太冷了") == {("facility", "车村敬老院")}
    # Not the end of a longer village's name, nor 农村 before another word.
    assert found("李楼村敬老院") == {("village", "李楼村")}
    assert found("停运农村客运班线5条") == set()


def test_a_report_of_unknown_or_city_place_takes_the_county_of_the_town_it_names() -> None:
    town = frozenset({("town", "城关镇")})
    ancestors = GAZETTEER.ancestors
    where = [frozenset({"411729"}), frozenset(), frozenset({"411700"}), frozenset()]
    named = [town, town, town, frozenset()]
    assert engine.placed_by_locality(where, named, ancestors) == [
        frozenset({"411729"}),
        frozenset({"411729"}),
        frozenset({"411729"}),
        frozenset(),
    ]
    # A town of that name in two counties tells nothing.
    where = [frozenset({"411729"}), frozenset({"411727"}), frozenset()]
    assert engine.placed_by_locality(where, [town] * 3, ancestors)[2] == frozenset()


def test_naming_the_same_town_makes_a_report_of_unknown_place_known() -> None:
    def found(*reports: Report) -> list[list[str]]:
        return propose_groups(reports, gazetteer=GAZETTEER)

    funds, locked = "幸福院缺少运营经费，难以为继。", "幸福院盖好就一直锁着门。"
    assert found(Report("a", "城关镇" + funds, "411729"), Report("b", "城关镇" + locked, "")) == [
        ["a", "b"]
    ]
    assert found(Report("a", funds, "411729"), Report("b", locked, "")) == []


def test_two_kinds_of_one_subsidy_are_two_problems() -> None:
    allowance = Report("allowance", "新蔡县高龄津贴连续三个月未发放。", "411729")
    care = Report("care", "新蔡县特困人员护理补贴连续三个月未发放。", "411729")
    assert propose_groups([allowance, care], gazetteer=GAZETTEER) == []
    # The same kind in other words is one.
    late = Report("late", "新蔡县俺娘满八十了，高龄补贴三个月没发。", "411729")
    assert propose_groups([allowance, late], gazetteer=GAZETTEER) == [["allowance", "late"]]


def test_a_cause_and_its_effect_count_as_shared_concepts() -> None:
    concepts = engine.load_concepts()
    idle = concepts.mask(engine.normalise("幸福院常年锁门"))
    funds = concepts.mask(engine.normalise("没有运营经费"))
    assert not idle & funds and concepts.widened(idle) & funds
    found = propose_groups(
        [
            Report("funds", "新蔡县幸福院没有运营经费。", "411729"),
            Report("locked", "新蔡县幸福院常年锁门，老人进不去。", "411729"),
        ],
        gazetteer=GAZETTEER,
    )
    assert found == [["funds", "locked"]]


def test_word_patterns_match_the_longest_word_at_each_place() -> None:
    pattern = places.literal_pattern(["老年", "老年食堂", "食堂", "老年食"])
    assert pattern.findall("老年食堂和食堂，老年人") == ["老年食堂", "食堂", "老年"]
    assert places.literal_pattern(["a.b"]).findall("a.b axb") == ["a.b"]


def test_a_concept_word_counts_even_where_another_one_starts_first(tmp_path: Path) -> None:
    table = tmp_path / "concepts.toml"
    table.write_text(
        '[t.concepts]\nPOWER = ["没电"]\nELEVATOR = ["电梯"]\nMEAL = ["老年食堂", "食堂"]\n',
        encoding="utf-8",
    )
    concepts = engine.load_concepts("t", table)
    # 没电 (no power) starts first and 电梯 (lift) overlaps it: both are named.
    assert concepts.mask(engine.normalise("俺家六楼没电梯")) == 0b11
    assert concepts.mask(engine.normalise("老年食堂关了")) == 0b100


def test_a_report_naming_no_facility_does_not_join_two_named_facilities() -> None:
    found = groups_of(
        Report("kangle", "康乐养老院用电按商业电价收费，比居民电价贵一截", "411729"),
        Report("kangle2", "康乐养老院电费按工商业价格结算，未执行居民电价", "411729"),
        Report("fushou", "福寿养老院用电也按商业电价收费，老人多交电费", "411729"),
        Report("formal", "部分养老机构用电未执行居民生活类价格", "411729"),
    )
    assert not any({"kangle", "fushou"} <= group for group in found)
    assert any({"kangle", "kangle2"} <= group for group in found)


def test_shared_topics_name_what_most_of_a_group_is_about() -> None:
    group = [
        Report("a", "某敬老院灭火器过期，消防通道堆放杂物", "411527"),
        Report("b", "敬老院的灭火器都成摆设了，真出事咋办？", "411527"),
        Report("c", "乡镇敬老院消防器材失效，护理员也不够", "411527"),
    ]
    other = [
        Report("d", "部分养老机构预收费用数额较大，未设立专用账户", "411527"),
        Report("e", "养老院预收的钱太多，万一跑路了老人的钱找谁要？", "411527"),
    ]
    topics, prepaid, alone = engine.shared_topics([group, other, group[:1]])
    assert topics[:2] in (["消防安全", "敬老院"], ["敬老院", "消防安全"])
    # Named by one report of three: not what the group has in common.
    assert "护理人员" not in topics
    assert prepaid == ["预收费"]
    assert alone == []


def test_every_concept_has_a_label_for_staff() -> None:
    concepts = engine.load_concepts()
    assert len(concepts.labels) == len(concepts.names)
    with engine.CONCEPTS_FILE.open("rb") as handle:
        labelled = tomllib.load(handle)[engine.DEFAULT_TOPIC]["labels"]
    assert set(labelled) == set(concepts.names)


def test_a_concept_without_a_label_is_shown_by_its_first_spelling(tmp_path: Path) -> None:
    table = tmp_path / "concepts.toml"
    table.write_text(
        '[t.concepts]\nPOWER = ["停电", "没电"]\nMEAL = ["助餐"]\n[t.labels]\nMEAL = "老年助餐"\n',
        encoding="utf-8",
    )
    assert engine.load_concepts("t", table).labels == ("停电", "老年助餐")
    typo = tmp_path / "typo.toml"  # another file: tables are loaded once per path
    typo.write_text('[t.concepts]\nMEAL = ["助餐"]\n[t.labels]\nMEALS = "老年助餐"\n', "utf-8")
    with pytest.raises(ValueError, match="MEALS"):
        engine.load_concepts("t", typo)
