"""Casualty mentions in one sentence: which numbers are tolls, lists added up, sub-counts of children and women.

Every sentence here is our own, invented to show one wording pattern.
"""

import pytest

from reports.extraction import extract
from reports.extraction.casualties import find_mentions
from reports.extraction.numbers import parse_count
from reports.extraction.tokens import tokenize


def _figures(sentence: str) -> list[tuple[str, int, int]]:
    mentions, _ = find_mentions(tokenize(sentence))
    return [(mention.kind, mention.low, mention.high) for mention in mentions]


def _subcounts(sentence: str) -> dict[str, int]:
    mentions, subcounts = find_mentions(tokenize(sentence))
    found: dict[str, int] = {}
    for sub in subcounts:
        if sub.killed_context:
            found[sub.group] = max(found.get(sub.group, 0), sub.value)
    for mention in mentions:
        if mention.kind == "killed" and mention.children:
            found["children"] = max(found.get("children", 0), mention.children)
        if mention.kind == "killed" and mention.women:
            found["women"] = max(found.get("women", 0), mention.women)
    return found


def test_a_thousands_comma_followed_by_a_space_is_still_one_figure() -> None:
    count = parse_count(tokenize("at least 2, 418 people"), 0)
    assert count is not None
    assert (count.low, count.high) == (2418, 2418)


def test_a_short_list_of_numbers_is_not_joined_into_thousands() -> None:
    count = parse_count(tokenize("2, 15 and 40"), 0)
    assert count is not None
    assert count.low == 2


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("On 7 and 8 June, 14 people were killed in the hill villages.", [("killed", 14, 14)]),
        ("On 2, 3 and 5 April, 6 people were wounded.", [("injured", 6, 6)]),
        ("The toll stood at 33 as of 9:00 a.m. on Friday.", [("killed", 33, 33)]),
        ("As of 06:30 on Monday, 21 people were dead.", [("killed", 21, 21)]),
        # A colon with a space opens a list; it is no clock time.
        ("By Friday the toll had risen to 19: 11 guards and 8 prisoners.", [("killed", 19, 19)]),
    ],
)
def test_days_and_clock_times_are_not_figures(sentence: str, expected: list[tuple[str, int, int]]) -> None:
    assert _figures(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "At least 23 villagers were killed or wounded in the shelling on Tuesday.",
        "The monitor has counted 3,100 civilians killed and injured since the spring.",
        "Gunmen fired on the crowd, killing and wounding dozens.",
        "Nine people were dead or injured after the blast.",
    ],
)
def test_killed_and_injured_together_is_neither_figure(sentence: str) -> None:
    assert _figures(sentence) == []


def test_people_still_under_treatment_are_no_injured_toll() -> None:
    assert _figures("About 35 injured people remain in hospital, a nurse said.") == []
    assert _figures("Fourteen injured are in critical condition, a nurse said.") == []


def test_a_toll_of_injured_with_some_in_critical_condition_is_still_read() -> None:
    assert ("injured", 61, 61) in _figures("Doctors said several of the 61 wounded were in a serious condition.")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The strike killed three children, their mother and a neighbour.", 5),
        ("Gunmen shot dead a couple and their four daughters.", 6),
        ("Two farmers and a shepherd were killed by the mine.", 3),
        ("Two porters were killed at the quay and a driver at the depot.", 3),
        ("Fifteen villagers were shot dead and two girls drowned in the river.", 17),
    ],
)
def test_victims_listed_one_after_another_are_added_up(sentence: str, expected: int) -> None:
    assert _figures(sentence) == [("killed", expected, expected)]


def test_the_children_of_a_listed_family_are_a_sub_count() -> None:
    assert _subcounts("The strike killed three children, their mother and a neighbour.") == {"children": 3, "women": 1}


def test_a_speaker_after_the_toll_is_not_added_to_it() -> None:
    assert _figures("The mortar killed 7 civilians, a doctor at the field hospital said.") == [("killed", 7, 7)]


def test_separate_places_keep_their_own_figures() -> None:
    assert _figures("Ten people were killed in the north and 4 were killed in the south.") == [
        ("killed", 10, 10),
        ("killed", 4, 4),
    ]


def test_killed_and_wounded_groups_are_not_added_together() -> None:
    assert _figures("Eleven people were killed and three children were wounded.") == [
        ("killed", 11, 11),
        ("injured", 3, 3),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The ambush led to the killing of three rangers near the lake.", [("killed", 3, 3)]),
        ("Raiders murdered and beheaded six farmers at dawn.", [("killed", 6, 6)]),
        ("On Sunday the toll was 41, a medic said.", [("killed", 41, 41)]),
        ("Seven passengers were slightly and moderately hurt in the crash of the bus.", [("injured", 7, 7)]),
        ("Doctors treated 52 who were injured in the crush.", [("injured", 52, 52)]),
        (
            "The shelling caused 64 civilian deaths and 90 injuries.",
            [("killed", 64, 64), ("injured", 90, 90)],
        ),
        ("At the camp 212 residents, including 80 minors and 30 women were killed.", [("killed", 212, 212)]),
    ],
)
def test_plain_tolls_in_less_common_wordings(sentence: str, expected: list[tuple[str, int, int]]) -> None:
    assert _figures(sentence) == expected


def test_a_part_of_the_dead_is_not_another_toll() -> None:
    assert _figures("Of the dead, 140 had been shot at close range.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Twenty-one of the dead were children and 9 were women, the group said.", {"children": 21, "women": 9}),
        ("The toll rose to 64, 18 of them children, the monitor said.", {"children": 18}),
        ("Medics recovered 70 bodies, including 25 aged under 12.", {"children": 25}),
        (
            "Thirty people died, including three women, five children and a guard.",
            {"women": 3, "children": 5},
        ),
        ("Nine boys were among some 30 people killed by the mortar fire.", {"children": 9}),
        ("Six children and three women died under the rubble.", {"children": 6, "women": 3}),
        ("The raid killed nine people including a guard and a woman and her two sons.", {"children": 2, "women": 1}),
        (
            "Among those killed on the farm, the village head said, were a woman of 50 and four children.",
            {"women": 1, "children": 4},
        ),
    ],
)
def test_children_and_women_among_the_dead_are_read(sentence: str, expected: dict[str, int]) -> None:
    assert _subcounts(sentence) == expected


def test_children_among_the_dead_do_not_change_the_toll() -> None:
    assert _figures("The raid killed nine people including a guard and a woman and her two sons.") == [("killed", 9, 9)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The unrest has killed thousands of people and driven many more from their homes.",
        "Rights groups accuse the militia of killing hundreds of villagers.",
        "Such raids have killed hundreds in recent months.",
    ],
)
def test_a_vague_toll_with_no_time_of_its_own_is_background(sentence: str) -> None:
    assert _figures(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Hundreds of people have been killed since the siege began in March.",
        "Hundreds of people were killed in the raid on the market.",
        "Dozens of people have been killed in the town.",
    ],
)
def test_a_vague_toll_with_a_time_or_an_event_is_kept(sentence: str) -> None:
    assert [kind for kind, _, _ in _figures(sentence)] == ["killed"]


def test_a_precise_figure_replaces_a_vague_one_for_the_same_event() -> None:
    found = extract(
        text=(
            "A truck bomb exploded at a bus station in the Iraqi city of Kirkuk on Monday, killing 14 people "
            "and wounding dozens, police said. A hospital official later said 38 wounded people had been "
            "brought in."
        ),
        published="2016-03-08",
    )
    assert [(i.as_json()["killed_min"], i.as_json()["injured_min"]) for i in found] == [(14, 38)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Three mortar rounds wounded twelve people near the gate.", [("injured", 12, 12)]),
        ("Two gunmen killed six shoppers at the market.", [("killed", 6, 6)]),
        ("Thirty troops were killed in the ambush.", [("killed", 30, 30)]),
    ],
)
def test_the_count_of_the_weapon_or_attacker_is_not_the_toll(
    sentence: str, expected: list[tuple[str, int, int]]
) -> None:
    assert _figures(sentence) == expected


def test_a_child_among_the_injured_is_no_child_killed() -> None:
    assert _subcounts("A toddler was among the 30 who were injured.") == {}
    assert _subcounts("A girl was among the six people killed.") == {"children": 1}


def test_another_victim_without_a_noun_is_counted() -> None:
    assert _figures("Four guards were killed and another injured when the mine went off.") == [
        ("killed", 4, 4),
        ("injured", 1, 1),
    ]
    assert _figures("Two porters died and another was killed by a sniper.") == [("killed", 3, 3)]


def test_a_part_set_off_by_commas_does_not_hide_the_verb() -> None:
    sentence = "Nine people, four of them children, were killed on Friday when a jet struck the village."
    assert _figures(sentence) == [("killed", 9, 9)]
    assert _subcounts(sentence) == {"children": 4}


def test_a_victim_named_in_an_inclusion_is_not_added_to_the_toll() -> None:
    assert _figures("The raid killed 11 people, including a boy, and wounded 20.") == [
        ("killed", 11, 11),
        ("injured", 20, 20),
    ]


def test_a_family_told_as_one_group_gives_one_figure() -> None:
    assert _figures("A father and his four sons were killed when the roof fell in.") == [("killed", 5, 5)]


def test_more_dead_of_the_same_event_are_added_up() -> None:
    assert _figures("The mine killed 6 soldiers and 3 more were killed by gunfire.") == [("killed", 9, 9)]
    assert _figures("The mine killed 6 soldiers and 3 were killed in another town.") == [
        ("killed", 6, 6),
        ("killed", 3, 3),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The agency first said six of its drivers had been killed.", [("killed", 6, 6)]),
        ("Three of their sons were wounded by shrapnel.", [("injured", 3, 3)]),
        ("Of the 30 dead, 12 of the victims were children.", [("killed", 30, 30)]),
    ],
)
def test_people_named_after_of_its_or_their_are_counted(sentence: str, expected: list[tuple[str, int, int]]) -> None:
    assert _figures(sentence) == expected
