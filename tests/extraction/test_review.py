"""Unexplained tolls: casualty sentences with a number that no incident's evidence covers."""

import datetime

import pytest

from reports import extraction
from reports.extraction import contract
from reports.extraction.review import unexplained_tolls

# Our own wording of the pattern that once gave no incident: a toll with an aside between subject and verb.
ASIDE = (
    "Nine people, three of them children, were killed on Friday 4 March when a warplane struck "
    "a bakery in the town of Kafr Nabl."
)


def _incident(text: str, start: int, end: int) -> contract.ExtractedIncident:
    day = datetime.date(2022, 3, 4)
    return contract.ExtractedIncident(
        country="SY",
        dates=contract.Dates(start=day, end=day),
        evidence=contract.Evidence(text=text[start:end], start=start, end=end),
        figures=contract.Figures(killed_min=9, killed_max=9),
    )


def test_a_toll_sentence_with_no_incident_is_listed_with_its_offsets():
    text = f"Residents buried the dead on Saturday.\n\n{ASIDE} The council said it would rebuild."
    found = unexplained_tolls(text=text, incidents=[])
    assert [toll.text for toll in found] == [ASIDE]
    assert text[found[0].start : found[0].end] == ASIDE


def test_a_sentence_inside_an_incidents_evidence_is_explained():
    text = f"{ASIDE} Another 2 people were wounded in a second raid on Kafr Nabl."
    covering = _incident(text, 0, len(ASIDE))
    found = unexplained_tolls(text=text, incidents=[covering])
    assert [toll.text for toll in found] == ["Another 2 people were wounded in a second raid on Kafr Nabl."]


def test_an_evidence_span_over_part_of_a_sentence_explains_the_sentence():
    text = f"{ASIDE} Rescuers searched the rubble."
    assert unexplained_tolls(text=text, incidents=[_incident(text, 10, 30)]) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The conflict has killed people in every province since 2011.",  # a year, not a count
        "A shepherd was killed on 12 May near the border.",  # a day of the month
        "Dozens were wounded in the clashes.",  # a vague quantity, not a number
        "A 45-year-old man was wounded by shrapnel.",  # an age
        "Fourteen houses were damaged and 3 roads closed.",  # a number but no casualty word
        "Residents said the strike killed a farmer.",  # a casualty word but no number
    ],
)
def test_sentences_without_a_countable_toll_are_not_listed(sentence):
    assert unexplained_tolls(text=sentence, incidents=[]) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "At least 31 people were left dead after the attack on the market.",
        "Twelve soldiers died when their convoy hit a mine.",
        "The raid wounded between four and six civilians.",
    ],
)
def test_number_words_digits_and_ranges_count(sentence):
    assert [toll.text for toll in unexplained_tolls(text=sentence, incidents=[])] == [sentence]


def test_it_is_exported_from_the_engine_and_takes_nothing_for_empty_text():
    assert extraction.unexplained_tolls(text="   ", incidents=[]) == []
    assert len(extraction.unexplained_tolls(text=ASIDE, incidents=[])) == 1
