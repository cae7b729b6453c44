"""Dates told relative to the text's own anchor, and days of telling kept apart from days of the event (GUIDE).

Every article here is our own, invented to show one wording pattern.
"""

from datetime import date

from reports.extraction import extract
from reports.extraction.dates import find_dates


def _days(text: str, published: str) -> list[tuple[str, str, int | None, int | None]]:
    return [
        (i["date_start"], i["date_end"], i["killed_min"], i["injured_min"])
        for i in (incident.as_json() for incident in extract(text=text, published=published))
    ]


def _reporting(text: str, published: date) -> list[tuple[str, bool]]:
    return [
        (text[d.start : d.end], d.reporting) for d in find_dates(text=text, start=0, end=len(text), published=published)
    ]


def test_a_day_named_before_said_after_the_killing_verb_is_the_event_day() -> None:
    text = "Soldiers killed four farmers near Kirkuk on Monday, local officials said."
    assert _reporting(text, date(2021, 3, 10)) == [("Monday", False)]


def test_a_day_said_twice_is_the_day_of_telling_both_times() -> None:
    text = "Nine people died in the fire at the depot in Mosul, police said Tuesday, March 9."
    assert _reporting(text, date(2021, 3, 10)) == [("Tuesday", True), ("March 9", True)]


def test_a_time_of_counting_is_the_day_of_telling() -> None:
    text = "As of 06:00 on 9 March, the bodies of 14 people had been recovered in Mosul."
    assert _reporting(text, date(2021, 3, 10)) == [("9 March", True)]


def test_a_week_earlier_counts_back_from_the_event_told_before() -> None:
    found = _days(
        "A car bomb wounded six soldiers at a checkpoint in Kirkuk on Thursday, police said.\n\n"
        "A week earlier, two roadside bombs wounded eleven people in the same city.",
        "2021-03-13",
    )
    assert ("2021-03-11", "2021-03-11", None, 6) in found
    assert ("2021-03-04", "2021-03-04", None, 11) in found


def test_one_day_after_counts_back_from_the_anchor() -> None:
    found = _days(
        "A drone strike killed three men on a road outside Idlib on Tuesday, rescuers said.\n\n"
        "It was one day after shelling had killed seven people in nearby Saraqib.",
        "2021-03-10",
    )
    assert ("2021-03-08", "2021-03-08", 7, None) in found


def test_days_after_gives_the_week_before_the_anchor() -> None:
    found = _days(
        "Friday's raid, police said, happened days after gunmen killed 15 villagers in Zamfara state.",
        "2021-03-13",
    )
    assert found == [("2021-03-05", "2021-03-11", 15, None)]


def test_a_toll_with_its_own_day_after_after_keeps_that_day() -> None:
    found = _days(
        "The clashes came days after 9 police officers were killed in an ambush in Zamfara state on Monday.",
        "2021-03-13",
    )
    assert found == [("2021-03-08", "2021-03-08", 9, None)]


def test_the_day_a_toll_rose_is_not_the_day_of_the_event() -> None:
    found = _days(
        "The toll from the bombing of a market in Baghdad's Sadr City rose to 61 on Thursday, the health "
        "ministry said.\n\n"
        "The blast, from a car bomb left at the market entrance, came late on Monday.",
        "2021-03-11",
    )
    assert [(start, killed) for start, _, killed, _ in found] == [("2021-03-08", 61)]


def test_a_lead_without_a_day_takes_the_day_the_story_names_for_the_event() -> None:
    found = _days(
        "A car bomb near the port of Mogadishu has left at least 12 people dead, police said.\n\n"
        "Tuesday's bombing was aimed at a convoy of officials.",
        "2021-03-11",
    )
    assert [(start, killed) for start, _, killed, _ in found] == [("2021-03-09", 12)]


def _spans(text: str, published: date) -> list[tuple[str, str, str]]:
    return [
        (text[d.start : d.end], d.first.isoformat(), d.last.isoformat())
        for d in find_dates(text=text, start=0, end=len(text), published=published)
    ]


def test_both_ends_of_a_period_of_months_are_read() -> None:
    text = "Gunmen killed 640 people in the region between February and May 2020."
    assert _spans(text, date(2020, 7, 1)) == [("between February and May 2020", "2020-02-01", "2020-05-31")]


def test_a_period_of_months_across_the_new_year_starts_in_the_year_before() -> None:
    text = "Raids killed 90 people from November to January."
    assert _spans(text, date(2021, 2, 10)) == [("from November to January", "2020-11-01", "2021-01-31")]


def test_overnight_on_a_named_day_spans_that_night() -> None:
    text = "A drone strike overnight Saturday killed three people."
    assert _spans(text, date(2021, 3, 15)) == [("overnight Saturday", "2021-03-13", "2021-03-14")]


def test_late_in_a_month_starts_in_its_last_third() -> None:
    text = "More than 300 have been killed since late May."
    assert _spans(text, date(2021, 8, 2)) == [("since late May", "2021-05-21", "2021-05-31")]


def test_the_last_year_in_a_january_review_is_the_calendar_year_just_ended() -> None:
    text = "Some 95 activists were killed in the last year."
    assert _spans(text, date(2022, 1, 4)) == [("in the last year", "2021-01-01", "2021-12-31")]
    assert _spans(text, date(2022, 6, 4)) == [("in the last year", "2021-06-04", "2022-06-04")]


def test_the_year_named_with_its_number_is_that_year() -> None:
    text = "The country closed the year 2021 with 80 massacres."
    assert _spans(text, date(2022, 1, 4)) == [("the year 2021", "2021-01-01", "2021-12-31")]


def test_a_report_issued_yesterday_is_a_day_of_telling() -> None:
    text = "The monitor's report, issued yesterday, counts 40 dead in the district."
    assert [reporting for _, reporting in _reporting(text, date(2021, 3, 10))] == [True]


def test_a_period_since_a_named_event_starts_at_that_event() -> None:
    found = extract(
        text=(
            "Soldiers have killed 1,830 civilians in Myanmar in the 20 months since the army seized power in "
            "March last year, a rights group says."
        ),
        published="2022-11-20",
    )
    assert [(i.as_json()["date_start"], i.as_json()["aggregate"]) for i in found] == [("2021-03-01", True)]


def test_tolls_told_after_a_toll_of_the_past_day_share_its_day() -> None:
    found = _days(
        "Two people were killed and 19 injured by shelling over the past day in southern Ukraine, officials said.\n\n"
        "In Kherson Oblast, one person was killed and six were injured in shelling of Kherson city.",
        "2023-10-04",
    )
    assert ("2023-10-03", "2023-10-04", 1, 6) in found


def test_a_lead_without_a_day_takes_the_day_of_the_attack_told_next() -> None:
    found = _days(
        "At least nine people were killed and dozens wounded when a missile hit a hotel in Kramatorsk, "
        "officials said.\n\n"
        "Two missiles struck the city centre on Monday evening, the governor said.",
        "2023-07-12",
    )
    assert [(start, killed) for start, _, killed, _ in found] == [("2023-07-10", 9)]


def test_a_later_toll_does_not_take_a_day_from_the_next_sentences() -> None:
    found = _days(
        "An air strike killed seven people in Gaza City early Friday, medics said.\n\n"
        "Four children were killed when a house in Khan Younis collapsed, relatives said.\n\n"
        "Warplanes struck targets across the territory overnight, the army said.",
        "2021-05-15",
    )
    assert found == [("2021-05-14", "2021-05-14", 7, None), ("2021-05-14", "2021-05-14", 4, None)]


def test_a_lead_without_a_day_takes_the_day_of_the_sentence_where_the_attack_took_place() -> None:
    found = _days(
        "At least 17 villagers died when armed men raided a hamlet near Mopti in Mali, officials said Monday.\n\n"
        "The regional governor said the attack took place on Saturday, when men on motorbikes killed dozens.",
        "2023-08-21",
    )
    assert ("2023-08-19", 17) in [(start, killed) for start, _, killed, _ in found]


def test_a_day_that_opens_the_toll_clause_dates_the_event() -> None:
    text = "According to the monitor's statement on 12 April, at least 30 people were killed in the raid."
    assert _reporting(text, date(2021, 6, 1)) == [("12 April", False)]


def test_last_friday_written_on_a_friday_is_a_week_ago() -> None:
    text = "Last Friday, gunmen killed two guards."
    assert _spans(text, date(2019, 8, 30)) == [("Friday", "2019-08-23", "2019-08-23")]
