"""Features of candidates and pairs, read from sentences of our own."""

from datetime import date

from reports.extraction.assemble import Incident, run
from reports.extraction.assemble.model import Analysis
from reports.extraction.gazetteer import Gazetteer
from reports.extraction.learned.features import candidate_features, itemised, linkable, pair_features, pairs

PUBLISHED = date(2019, 3, 12)


def _candidates(text: str) -> tuple[Analysis, list[Incident]]:
    captured: dict[str, object] = {}

    def capture(analysis: Analysis, incidents: list[Incident], **_: object) -> list[Incident]:
        captured["analysis"], captured["incidents"] = analysis, list(incidents)
        return incidents

    run(text=text, published=PUBLISHED, title=None, gazetteer=Gazetteer.default(), decide=capture)
    return captured["analysis"], captured["incidents"]  # type: ignore[return-value]


# A total told at no place, as one event: the rules' sum check leaves it to the learned layer.
ITEMISED_UNPLACED = (
    "Government forces killed 30 people on Monday, the monitor said.\n\n"
    "In Douma, 19 people died when a strike hit a market.\n\n"
    "In Harasta, 11 people died when shells hit homes."
)


def test_a_total_beside_its_itemised_parts_is_marked() -> None:
    text = ITEMISED_UNPLACED
    analysis, incidents = _candidates(text)
    rows = candidate_features(analysis, incidents, text=text, published=PUBLISHED)
    tolls = [(i.killed[0].low, row.get("sum_of_parts", 0.0)) for i, row in zip(incidents, rows, strict=True)]
    assert tolls == [(30, 1.0), (19, 0.0), (11, 0.0)]
    assert [row["largest_toll"] for row in rows] == [1.0, 0.0, 0.0]


def test_an_undated_war_long_toll_is_marked_and_a_dated_total_is_not() -> None:
    text = (
        "Militants ambushed a police convoy in Borno state on Sunday, killing seven officers.\n\n"
        "The fighting has killed more than 35,000 people since it began, according to the United Nations."
    )
    analysis, incidents = _candidates(text)
    rows = candidate_features(analysis, incidents, text=text, published=PUBLISHED)
    assert [row.get("undated_war_toll", 0.0) for row in rows] == [0.0, 1.0]
    dated = "Monitors said 420 civilians were killed in Idlib province, Syria, between 1 January and 28 February."
    analysis, incidents = _candidates(dated)
    [row] = candidate_features(analysis, incidents, text=dated, published=PUBLISHED)
    assert row.get("undated_war_toll", 0.0) == 0.0
    assert row["cue_between"] == 1.0


def test_a_retelling_is_linkable_and_its_revision_is_read() -> None:
    text = (
        "A bomb killed six people at a bus stop in Kirkuk on Sunday.\n\n"
        "The toll from the Kirkuk bus stop bombing on Sunday later rose to nine, a doctor said."
    )
    analysis, incidents = _candidates(text)
    if len(incidents) == 1:
        # The rules merged the update themselves; nothing is left for the link model.
        assert (incidents[0].killed[0].low, incidents[0].killed[-1].high) == (6, 9)
        return
    earlier, later = incidents
    assert linkable(analysis, earlier, later)
    features = pair_features(analysis, earlier, later, text=text)
    assert features["same_date"] == 1.0
    assert features["later_cue_revision"] == 1.0


def test_another_day_or_another_event_is_never_linkable() -> None:
    text = (
        "Shelling killed four people in the town of Ariha in Idlib province on Monday.\n\n"
        "In a separate attack on Monday, a drone strike killed three fighters near Saraqeb in Idlib province.\n\n"
        "On Thursday, an air strike killed five people in Idlib province."
    )
    analysis, incidents = _candidates(text)
    assert len(incidents) == 3
    first, separate, thursday = incidents
    assert not linkable(analysis, first, separate)
    assert not linkable(analysis, first, thursday)


def test_two_parts_of_one_itemised_total_are_never_a_pair() -> None:
    text = ITEMISED_UNPLACED
    analysis, incidents = _candidates(text)
    assert itemised(incidents) == ({0}, {frozenset({1, 2})})
    assert (1, 2) not in [(earlier, later) for earlier, later, _ in pairs(analysis, incidents, text=text)]


def test_a_total_at_a_town_of_another_province_is_not_the_sum_of_its_parts() -> None:
    text = (
        "Shelling killed seven people in Hama on Tuesday, rescuers said.\n\n"
        "In Saraqib, four people were killed when a rocket hit a bakery on Tuesday.\n\n"
        "In Binnish, three people died in an air strike the same day."
    )
    _, incidents = _candidates(text)
    assert [i.killed[0].low for i in incidents] == [7, 4, 3]
    assert itemised(incidents) == (set(), set())


def test_tolls_split_from_one_sentence_are_never_a_pair() -> None:
    text = "Car bombs killed 11 people in Samarra and six in Baiji on Sunday, police said."
    analysis, incidents = _candidates(text)
    assert [i.killed[0].low for i in incidents] == [11, 6]
    assert not linkable(analysis, *incidents)


def test_a_toll_after_a_time_shift_is_never_linked() -> None:
    for shift in ("Later on Saturday", "Meanwhile", "Elsewhere"):
        text = (
            "Insurgents killed two farmers near a village in Cabo Delgado province on Saturday.\n\n"
            f"{shift}, the same group killed three traders at a market, residents said."
        )
        analysis, incidents = _candidates(text)
        assert len(incidents) == 2, shift
        assert not linkable(analysis, *incidents), shift


def test_a_reprisal_is_never_linked_to_what_it_answers() -> None:
    text = (
        "Rebels shelled a government-held district of Aleppo on Sunday, killing 18 people. "
        "The army answered with air strikes on rebel areas, killing 12, the Observatory said."
    )
    analysis, incidents = _candidates(text)
    first, reprisal = incidents
    assert not linkable(analysis, first, reprisal)


def test_the_parts_of_a_total_the_rules_left_out_are_never_a_pair() -> None:
    # One part's town is unknown to the gazetteer, so only the other has a place of its own.
    text = (
        "Air strikes on two markets in Idlib province killed 25 people on Friday, a monitor said.\n\n"
        "In Zawiyat Qurmush, 18 people were killed when rockets struck the market at noon.\n\n"
        "In Saraqib, about 20 km to the east, seven people were killed in a strike on its market."
    )
    analysis, incidents = _candidates(text)
    assert [i.killed[0].low for i in incidents] == [18, 7]
    assert incidents[0].parts_of is not None
    assert incidents[0].parts_of == incidents[1].parts_of
    assert not linkable(analysis, *incidents)


def test_a_time_shift_told_between_two_tolls_keeps_them_apart() -> None:
    text = (
        "A car bomb killed 21 people at a bus station in Homs on Sunday, the governor said.\n\n"
        "Hours later, two suicide bombers struck a checkpoint on the road into the city. "
        "State television said 14 people had been killed there."
    )
    analysis, incidents = _candidates(text)
    assert [i.killed[0].low for i in incidents] == [21, 14]
    assert not linkable(analysis, *incidents)
