"""Assembly: articles in our own words in, incidents out; robustness properties."""

import datetime
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.extraction import EXTRACTOR_VERSION, extract
from reports.extraction.cli import main
from reports.extraction.contract import (
    GUIDE_FIELDS,
    DatePrecision,
    EventType,
    ExtractedIncident,
    LocationPrecision,
    Victims,
)

# The JSON record of one incident, as `python -m reports.extraction` and `manage.py extract`
# write it: the guide's fields plus offsets, coordinates and precisions, in this order.
JSON_FIELDS = [
    "date_start",
    "date_end",
    "country",
    "admin1",
    "place",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed",
    "women_killed",
    "victims",
    "actor",
    "event_type",
    "aggregate",
    "evidence",
    "evidence_start",
    "evidence_end",
    "lat",
    "lon",
    "geonameid",
    "admin1_code",
    "location_precision",
    "date_precision",
    "confidence",
]

ARTICLE = (
    "BEIRUT \u2014 Government helicopters dropped barrel bombs on the town of Saraqib in Idlib province on Tuesday, "
    "killing at least 19 people, including seven children and three women, rescuers said. "
    "By Wednesday the toll had risen to 23, a monitoring group said.\n\n"
    "Separately, rebel shelling wounded eight people in the city of Hama on Monday, state media reported.\n\n"
    "The monitoring group says more than 300 civilians have been killed across Idlib province since 1 March."
)


def _check_invariants(text: str, incidents: list[ExtractedIncident]) -> None:
    for incident in incidents:
        assert isinstance(incident, ExtractedIncident)
        assert list(incident.as_json()) == JSON_FIELDS
        evidence, figures, dates = incident.evidence, incident.figures, incident.dates
        assert text[evidence.start : evidence.end] == evidence.text
        assert dates.start <= dates.end
        for low, high in ((figures.killed_min, figures.killed_max), (figures.injured_min, figures.injured_max)):
            if low is not None:
                assert high is not None
                assert 0 <= low <= high
        assert 0 <= incident.confidence <= 1
        # The vocabularies are the contract's, not look-alike strings.
        assert isinstance(incident.event_type, EventType)
        assert isinstance(incident.victims, Victims)
        assert isinstance(dates.precision, DatePrecision)
        assert isinstance(incident.location.precision, LocationPrecision)


def test_the_version_is_a_dated_release_and_the_command_line_reports_it(capsys) -> None:
    # The release, then the learned model's short hash when there is one.
    assert re.fullmatch(r"20\d\d\.(?:[1-9]|1[0-2])\.\d+(?:\+m[0-9a-f]{8})?", EXTRACTOR_VERSION)
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == EXTRACTOR_VERSION


def test_the_json_record_carries_every_typed_field() -> None:
    (incident,) = extract(text="Gunmen killed 12 people in Idlib, Syria on Monday.", published="2016-03-16")
    record = incident.as_json()
    assert list(record) == JSON_FIELDS
    assert JSON_FIELDS[: len(GUIDE_FIELDS)] == list(GUIDE_FIELDS)  # the guide's fields first, as the scorer reads
    assert record == {
        "date_start": "2016-03-14",
        "date_end": "2016-03-14",
        "country": "SY",
        "admin1": incident.location.admin1,
        "place": incident.location.name,
        "killed_min": 12,
        "killed_max": 12,
        "injured_min": None,
        "injured_max": None,
        "children_killed": None,
        "women_killed": None,
        "victims": "unspecified",
        "actor": "gunmen",
        "event_type": "attack",
        "aggregate": False,
        "evidence": "Gunmen killed 12 people in Idlib, Syria on Monday.",
        "evidence_start": 0,
        "evidence_end": 50,
        "lat": incident.location.lat,
        "lon": incident.location.lon,
        "geonameid": incident.location.geonameid,
        "admin1_code": "12",
        "location_precision": "place",
        "date_precision": "day",
        "confidence": incident.confidence,
    }
    assert json.loads(json.dumps(record)) == record  # plain JSON values, no enum or date objects


def test_it_extracts_incidents_updates_and_aggregates() -> None:
    incidents = extract(text=ARTICLE, published="2016-04-13")
    _check_invariants(ARTICLE, incidents)
    by_place = {incident.location.name: incident for incident in incidents if not incident.aggregate}
    saraqib = by_place["Saraqib"]
    assert (saraqib.figures.killed_min, saraqib.figures.killed_max) == (19, 23)
    assert (saraqib.figures.children_killed, saraqib.figures.women_killed) == (7, 3)
    assert (saraqib.dates.start, saraqib.location.admin1, saraqib.event_type) == (
        datetime.date(2016, 4, 12),
        "Idlib",
        EventType.AIR_DRONE_STRIKE,
    )
    hama = next(incident for incident in incidents if incident.figures.injured_min == 8)
    assert (hama.figures.killed_min, hama.location.admin1, hama.dates.start) == (
        None,
        "Hama",
        datetime.date(2016, 4, 11),
    )
    (aggregate,) = [incident for incident in incidents if incident.aggregate]
    assert (aggregate.figures.killed_min, aggregate.dates.start, aggregate.location.admin1) == (
        300,
        datetime.date(2016, 3, 1),
        "Idlib",
    )
    assert len(incidents) == 3


def test_a_toll_told_twice_is_one_incident() -> None:
    text = (
        "A car bomb killed 12 people in the town of Azaz in Syria on Friday, officials said. "
        "The car bomb in Azaz killed 12 people, officials said."
    )
    assert len(extract(text=text, published="2016-01-10")) == 1


def test_displaced_detained_and_missing_are_not_incidents() -> None:
    text = (
        "More than 3,000 people were displaced from villages near Aleppo in Syria last week. "
        "Police detained 40 protesters and 12 people remain missing."
    )
    assert extract(text=text, published="2016-01-10") == []


def test_old_history_is_not_an_incident() -> None:
    text = "In March 1988, a gas attack on the Iraqi town of Halabja killed about 5,000 people."
    assert extract(text=text, published="2018-03-16") == []


def test_bad_input_returns_a_list() -> None:
    assert extract(text="", published=None) == []
    assert extract(text="\x00\x01\x02\xff" * 1000, published="2020-01-01") == []
    assert extract(text="Не было жертв. 死者はいない。", published="2020-01-01") == []
    assert extract(text="killed killed 12 12 wounded", published="not a date") == []


def test_a_publication_date_that_does_not_parse_is_read_from_the_text() -> None:
    text = "Gunmen killed 12 people in Idlib, Syria on Monday, 14 March 2016, officials said."
    (incident,) = extract(text=text, published="not a date")
    assert (incident.dates.start, incident.dates.precision) == (datetime.date(2016, 3, 14), DatePrecision.DAY)
    assert incident.figures.killed_max == 12


def test_five_megabytes_of_text_is_handled() -> None:
    paragraph = (
        "An air strike on the town of Sarmin in Syria killed 4 people on Monday, activists said. "
        "The weather was cold and markets were open. "
    ) * 3 + "\n\n"
    big = paragraph * 20000  # about 5 MB
    # How long it takes is measured in bench/, not asserted here; growth with size is tested below.
    result = extract(text=big, published="2016-01-10")
    _check_invariants(big, result)
    assert len(result) == 1  # one event told again and again


def test_work_grows_linearly_with_casualty_free_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Counted, not timed (speed is measured by bench/extraction.py): the characters the engine
    # tokenises and searches for dates grow with the text, not with its square.
    from reports.extraction.assemble import analysis

    read: list[int] = []
    tokenize, find_dates = analysis.tokenize, analysis.find_dates

    def counted_tokenize(text: str, *args: object, **kwargs: object) -> object:
        read.append(len(text))
        return tokenize(text, *args, **kwargs)

    def counted_dates(*, text: str, start: int, end: int, published: datetime.date) -> object:
        read.append(end - start)
        return find_dates(text=text, start=start, end=end, published=published)

    monkeypatch.setattr(analysis, "tokenize", counted_tokenize)
    monkeypatch.setattr(analysis, "find_dates", counted_dates)
    filler = "The markets of Aleppo in Syria were open on Monday and nobody was hurt. " * 20 + "\n\n"
    work = []
    for repeats in (50, 500):
        read.clear()
        assert extract(text=filler * repeats, published="2016-01-10") == []
        work.append(sum(read))
    assert work[0] > 0
    assert work[1] <= work[0] * 10 * 1.2


_PIECES = [
    *"abc XYZ 0123456789,.;\n-'",
    "killed",
    " at least ",
    " wounded ",
    " on Monday ",
    " in Idlib ",
    " including ",
    " children ",
    " Homs ",
    " people ",
    " between ",
    " and ",
    " the toll rose to ",
    " since 3 March ",
    " Ariha ",
    "\n\n",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=120).map("".join))
def test_it_never_raises_and_keeps_invariants(text: str) -> None:
    incidents = extract(text=text, published="2016-05-05")
    _check_invariants(text, incidents)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    _check_invariants(text, extract(text=text, published="2016-05-05"))


def _one(text: str, published: str = "2019-04-03") -> ExtractedIncident:
    (incident,) = extract(text=text, published=published)
    return incident


def test_two_events_in_one_sentence_are_two_incidents() -> None:
    text = (
        "A landmine killed two children in Daraa province on Monday, "
        "and a roadside bomb wounded three soldiers near Idlib on the same day."
    )
    first, second = extract(text=text, published="2019-04-03")
    assert (first.location.admin1, first.figures.killed_min, first.figures.children_killed) == ("Daraa", 2, 2)
    assert (second.location.admin1, second.figures.killed_min, second.figures.injured_min) == ("Idlib", None, 3)
    _check_invariants(text, [first, second])


def test_disasters_are_not_violent_incidents() -> None:
    assert extract(text="Floods killed 30 people in Nepal on Monday, officials said.", published="2020-07-15") == []


def test_lives_claimed_and_later_deaths() -> None:
    assert _one("The shelling of Donetsk on Monday claimed 12 lives, officials said.").figures.killed_min == 12
    text = (
        "Security forces killed 12 militants in clashes in North Waziristan on Sunday, the Pakistani military said. "
        "Two soldiers were also killed."
    )
    figures = _one(text).figures
    assert (figures.killed_min, figures.killed_max) == (14, 14)


def test_relative_days_follow_the_story() -> None:
    text = (
        "Militants seized the city of Tikrit on Wednesday. "
        "A day earlier they executed 17 civilians in Mosul, a local official said."
    )
    assert _one(text, "2014-06-12").dates.start == datetime.date(2014, 6, 10)
    update = "The death toll from Saturday's bombing in western Kabul rose to 85 on Monday, officials said."
    assert _one(update, "2021-05-10").dates.start == datetime.date(2021, 5, 8)


def test_a_past_event_used_as_comparison_is_not_reported() -> None:
    text = (
        "Two car bombs in Mogadishu on Saturday killed at least 100 people, the president said. "
        "It was the deadliest attack since a truck bombing in October 2017 killed more than 500 people."
    )
    (incident,) = extract(text=text, published="2022-10-30")
    assert (incident.figures.killed_min, incident.dates.start, incident.aggregate) == (
        100,
        datetime.date(2022, 10, 29),
        False,
    )


def test_a_missing_publication_date_is_inferred_from_the_text() -> None:
    text = "On December 18, 2015, activists said. Air strikes on Saraqib in Idlib province killed 9 people on Monday."
    incident = _one(text, published=None)  # type: ignore[arg-type]
    assert incident.dates.start == datetime.date(2015, 12, 14)


def test_tolls_over_recent_periods_are_aggregates() -> None:
    text = "Over the past month, fighting in Idlib province in Syria has killed more than 300 civilians, the U.N. said."
    incident = _one(text, "2020-03-05")
    assert (incident.aggregate, incident.dates.start, incident.dates.end) == (
        True,
        datetime.date(2020, 2, 4),
        datetime.date(2020, 3, 5),
    )


def test_an_old_war_mentioned_in_passing_is_history() -> None:
    assert extract(text="The 2017 siege of Mosul in Iraq left thousands dead.", published="2020-03-05") == []
