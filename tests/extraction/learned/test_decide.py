"""The learned layer on articles of our own: rules alone without a model, links, drops.

The sentences are ours (invented places and figures showing the patterns).
Tests on the committed model check what it learned; tests on a hand-written
model check the mechanism whatever the training gives.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from reports.extraction import extract
from reports.extraction.learned import Model, weights

PUBLISHED = "2019-03-12"

# One raid told twice, its toll differing between the police and the residents.
RETOLD = (
    "Gunmen stormed a village in Zamfara state on Tuesday and killed at least 12 farmers, police said.\n\n"
    "Residents said the attackers shot 17 villagers dead in the raid on Tuesday."
)
# Two events of one day and one province, the second announced as separate.
SEPARATE = (
    "Shelling killed four people in the town of Ariha in Idlib province on Monday.\n\n"
    "In a separate attack on Monday, a drone strike killed three fighters near Saraqeb in Idlib province."
)
# Two events on different days in different provinces.
APART = (
    "A car bomb killed nine people at a checkpoint in Kirkuk on Sunday, police said.\n\n"
    "On Thursday, gunmen killed five shepherds near Baquba in Diyala province."
)
# An ambush, then the insurgency's whole toll with no period of its own: background.
WAR_LONG = (
    "Militants ambushed a police convoy in Borno state on Sunday, killing seven officers.\n\n"
    "The fighting has killed more than 35,000 people since it began, according to the United Nations."
)


def _found(text: str, **engine: object) -> list[dict[str, object]]:
    return [incident.as_json() for incident in extract(text=text, published=PUBLISHED, **engine)]


def _hand_model(*, link_bias: float) -> Model:
    """Keeps every candidate as the rules made it; links every linkable pair when ``link_bias`` is high."""
    return Model(
        kind_weights={"incident": {"bias": 5.0}, "aggregate": {"rule_aggregate": 10.0}, "drop": {}},
        drop_threshold=0.7,
        flip_threshold=0.8,
        link_weights={"bias": link_bias},
        link_threshold=0.5,
        confidence_weights={"bias": 0.0},
        calibration=(1.0, 0.0),
        digest="0" * 64,
    )


@pytest.fixture
def no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(weights, "MODEL_PATH", tmp_path / "absent.json")
    weights.default.cache_clear()
    yield
    weights.default.cache_clear()


def test_without_a_model_the_engine_runs_the_rules_alone(no_model: None) -> None:
    assert weights.default() is None
    assert weights.version_suffix() == ""
    found = _found(WAR_LONG)
    assert found == _found(WAR_LONG, learned=False)
    # The rules' own reading: the ambush and the insurgency's toll as a total, with the fixed
    # confidence (0.5, a day, a toll, one sentence; no named place).
    assert [i["aggregate"] for i in found] == [False, True]
    assert found[0]["confidence"] == 0.8


def test_a_hand_model_that_links_all_it_may_merges_two_tellings_of_one_event() -> None:
    assert len(_found(RETOLD, learned=False)) == 2
    [merged] = _found(RETOLD, model=_hand_model(link_bias=5.0))
    assert (merged["killed_min"], merged["killed_max"], merged["admin1"]) == (12, 17, "Zamfara")
    assert len(_found(RETOLD, model=_hand_model(link_bias=-5.0))) == 2


def test_a_hand_model_that_links_all_it_may_keeps_events_the_text_sets_apart() -> None:
    # "a separate attack", another day, another province: never one event, whatever the weights.
    assert [i["killed_min"] for i in _found(SEPARATE, model=_hand_model(link_bias=5.0))] == [4, 3]
    assert [i["killed_min"] for i in _found(APART, model=_hand_model(link_bias=5.0))] == [9, 5]


def test_the_committed_model_merges_two_tellings_of_one_event() -> None:
    [merged] = _found(RETOLD)
    assert (merged["killed_min"], merged["killed_max"]) == (12, 17)
    assert 0 < merged["confidence"] < 1


def test_the_committed_model_keeps_two_events_apart() -> None:
    assert [i["killed_min"] for i in _found(SEPARATE)] == [4, 3]
    assert [i["killed_min"] for i in _found(APART)] == [9, 5]


def test_the_committed_model_drops_a_war_long_background_toll() -> None:
    found = _found(WAR_LONG)
    assert [(i["aggregate"], i["killed_min"]) for i in found] == [(False, 7)]


def test_a_total_told_beside_its_itemised_parts_is_not_recorded_again() -> None:
    text = (
        "Air strikes killed 30 people in Eastern Ghouta on Monday, the monitor said.\n\n"
        "In Douma, 19 people died when a strike hit a market.\n\n"
        "In Harasta, 11 people died when shells hit homes."
    )
    # The rules' sum check leaves out a total told over the parts' area as several strikes ...
    assert [i["killed_min"] for i in _found(text, learned=False)] == [19, 11]
    # ... and the learned layer one told at no place, as one event, that the rules keep.
    unplaced = text.replace("Air strikes killed 30 people in Eastern Ghouta", "Government forces killed 30 people")
    assert [i["killed_min"] for i in _found(unplaced, learned=False)] == [30, 19, 11]
    assert [i["killed_min"] for i in _found(unplaced, model=_hand_model(link_bias=-5.0))] == [19, 11]


def test_a_war_long_toll_over_a_stated_period_is_kept_as_an_aggregate() -> None:
    text = (
        "The uprising has killed more than 4,000 people since it began in 2016, the monitor says.\n\n"
        "On Monday, gunmen killed six villagers near Mopti, residents said."
    )
    found = _found(text)
    assert (True, 4000) in [(i["aggregate"], i["killed_min"]) for i in found]


def test_a_merged_telling_takes_its_type_from_its_own_sentences_not_those_between() -> None:
    text = (
        "Gunmen stormed a village in Zamfara state on Tuesday and shot dead at least 12 farmers, police said.\n\n"
        "A roadside bomb had damaged an army truck on the same road in May.\n\n"
        "Residents said the gunmen shot 17 villagers dead in the raid on Tuesday."
    )
    [merged] = _found(text, model=_hand_model(link_bias=5.0))
    assert (merged["killed_min"], merged["killed_max"]) == (12, 17)
    assert "roadside bomb" in merged["evidence"]
    assert merged["event_type"] == "attack"
