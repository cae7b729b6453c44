"""Dates resolved against the publication date, as GUIDE.md prescribes."""

from datetime import date

import pytest

from reports.extraction.dates import find_dates

PUBLISHED = date(2015, 12, 23)  # a Wednesday


def _dates(text: str, published: date = PUBLISHED):
    return find_dates(text=text, start=0, end=len(text), published=published)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("killed on Sunday", date(2015, 12, 20)),
        ("killed on Wednesday", date(2015, 12, 23)),
        ("killed yesterday", date(2015, 12, 22)),
        ("killed on 15 October", date(2015, 10, 15)),
        ("killed on October 15", date(2015, 10, 15)),
        ("killed on 24 December", date(2014, 12, 24)),
        ("killed on 3 March 2013", date(2013, 3, 3)),
        ("Friday's attack", date(2015, 12, 18)),
    ],
)
def test_it_resolves_days(text: str, expected: date) -> None:
    found = _dates(text)
    assert [(d.first, d.last, d.precision) for d in found] == [(expected, expected, "day")]


def test_a_month_alone_spans_the_whole_month() -> None:
    (found,) = _dates("recorded in September")
    assert (found.first, found.last, found.precision) == (date(2015, 9, 1), date(2015, 9, 30), "month")


def test_reporting_dates_are_marked() -> None:
    (found,) = _dates("officials said on Monday")
    assert found.reporting


def test_a_dateline_is_not_an_event_date() -> None:
    (found,) = _dates("BEIRUT, Dec 22 \u2014 Strikes")
    assert found.reporting


def test_span_ends_are_both_found() -> None:
    found = _dates("between 30 September and 29 November")
    assert [(d.first, d.lead) for d in found] == [(date(2015, 9, 30), "between"), (date(2015, 11, 29), "and")]


def test_first_half_of_a_year() -> None:
    (found,) = _dates("in the first six months of 2015")
    assert (found.first, found.last) == (date(2015, 1, 1), date(2015, 6, 30))


def test_periods_counted_back_from_publication() -> None:
    (found,) = _dates("killed in the past week")
    assert (found.first, found.last, found.precision) == (date(2015, 12, 16), PUBLISHED, "span")
    (found,) = _dates("after weeks of fighting")
    assert (found.first, found.last) == (date(2015, 11, 25), PUBLISHED)


def test_a_year_used_as_an_adjective_dates_the_event() -> None:
    (found,) = _dates("the 2012 siege of the old city")
    assert (found.first, found.last) == (date(2012, 1, 1), date(2012, 12, 31))
