"""Counts: digits, number words, vague quantities, ranges and modifiers."""

import pytest

from reports.extraction.numbers import parse_count
from reports.extraction.tokens import tokenize


@pytest.mark.parametrize(
    ("phrase", "low", "high"),
    [
        ("at least 46 people", 46, 46),
        ("more than 1,200 people", 1200, 1200),
        ("between thirty and forty people", 30, 40),
        ("30 to 40 people", 30, 40),
        ("twenty-five people", 25, 25),
        ("two hundred and fifty people", 250, 250),
        ("two dozen people", 24, 24),
        ("a dozen people", 12, 12),
        ("eleven passengers", 11, 11),
        ("1.5 million people", 1_500_000, 1_500_000),
    ],
)
def test_it_parses_exact_counts_and_ranges(phrase: str, low: int, high: int) -> None:
    count = parse_count(tokenize(phrase), 0)
    assert count is not None
    assert (count.low, count.high, count.vague) == (low, high, False)


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("several people", 10),
        ("many people", 10),
        ("dozens of people", 12),
        ("scores of people", 40),
        ("hundreds of people", 100),
    ],
)
def test_it_maps_vague_words_to_the_acled_convention(phrase: str, value: int) -> None:
    count = parse_count(tokenize(phrase), 0)
    assert count is not None
    assert (count.low, count.high, count.vague) == (value, value, True)


def test_it_does_not_sum_the_ends_of_a_range() -> None:
    count = parse_count(tokenize("between thirty and forty"), 0)
    assert count is not None
    assert count.high == 40


def test_it_returns_none_for_words_that_are_not_numbers() -> None:
    assert parse_count(tokenize("the market"), 0) is None
