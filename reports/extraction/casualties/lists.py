"""Victims listed after a count: "four children, their father and a neighbour" adds up to six (GUIDE)."""

from __future__ import annotations

from dataclasses import dataclass

from reports.extraction.casualties.words import (
    AUXILIARIES,
    CHILD_WORDS,
    CLAUSE_END,
    INJURE_PASSIVE,
    KILL_PASSIVE,
    LIST_PERSONS,
    NP_STOP,
    PERSON_PLURAL,
    PERSON_SINGULAR,
    SPEAKERS,
    WOMEN_WORDS,
    WORD_NUMBERS,
)
from reports.extraction.numbers import parse_count
from reports.extraction.tokens import Token

_DETERMINERS = frozenset({"a", "an", "their", "his", "her", "its", "the", "one"})
# What may follow the last victim of a list: the clause goes on with a place, a time or the verb.
_AFTER_LIST = frozenset(
    {"in", "at", "on", "when", "as", "during", "near", "after", "while", "inside", "outside", "and", "from", "who"}
)


@dataclass(frozen=True, slots=True)
class Listed:
    """People named after a count's own noun, and the token index one past them."""

    people: int
    children: int
    women: int
    end: int


def listed_people(tokens: list[Token], start: int, *, passive: bool) -> Listed | None:
    """The people listed after the victim noun that starts at ``start``, or None if there is no list.

    "killed four children, their father and a neighbour": from "children", a father and a
    neighbour (2). A list must end where the clause goes on: after an active verb with a
    place, a time or a comma ("killed four soldiers, a police officer said" lists nobody);
    before a passive verb with that verb ("two men and a boy were killed").
    """
    position = start
    while (
        position < len(tokens)
        and position - start < 4
        and tokens[position].is_word
        and tokens[position].lower not in NP_STOP
        and tokens[position].lower not in AUXILIARIES
    ):
        position += 1
    if position == start and not (start > 0 and tokens[start - 1].lower == "couple"):
        return None
    people = children = women = 0
    end = position
    joined = False  # a list ends with "and": "X, Y and Z"; "X, a doctor said" is no list
    while position + 1 < len(tokens) and tokens[position].lower in (",", "and"):
        look = position + 1
        joined = joined or tokens[position].lower == "and" or tokens[look].lower == "and"
        if tokens[position].text == "," and tokens[look].lower == "and":
            look += 1
        if look < len(tokens) and tokens[look].lower in _DETERMINERS and tokens[look].lower != "one":
            look += 1
        counted = parse_count(tokens, look) if look < len(tokens) and tokens[look].is_number else None
        if counted is None and look < len(tokens) and tokens[look].lower in WORD_NUMBERS:
            counted = parse_count(tokens, look)
        if counted is not None and not counted.vague:
            noun = _noun(tokens, counted.last, PERSON_PLURAL | CHILD_WORDS | WOMEN_WORDS)
            if noun is None:
                break
            word, after = noun
            people += counted.low
            children += counted.low if word in CHILD_WORDS else 0
            women += counted.low if word in WOMEN_WORDS else 0
        else:
            noun = _noun(tokens, look, (PERSON_SINGULAR | LIST_PERSONS) - SPEAKERS)
            if noun is None:
                break
            word, after = noun
            size = 2 if word == "couple" else 1
            people += size
            children += size if word in CHILD_WORDS or word == "minor" else 0
            women += size if word in WOMEN_WORDS else 0
        position = end = after
    if people == 0 or not joined or not _list_ends(tokens, end, passive=passive):
        return None
    return Listed(people, children, women, end)


def _noun(tokens: list[Token], start: int, nouns: frozenset[str]) -> tuple[str, int] | None:
    """A person noun within two words of ``start`` ("a neighbour", "their elderly father"), and the index after it."""
    for position in range(start, min(len(tokens), start + 3)):
        word = tokens[position].lower
        if word in nouns:
            return word, position + 1
        if not tokens[position].is_word or word in NP_STOP or word in AUXILIARIES or word in _DETERMINERS:
            # "..., including a child": an inclusion, not one more victim
            return None
    return None


def _list_ends(tokens: list[Token], end: int, *, passive: bool) -> bool:
    position = end
    while position < len(tokens) and tokens[position].lower in AUXILIARIES:
        position += 1
    verb = position > end and position < len(tokens) and tokens[position].lower in KILL_PASSIVE | INJURE_PASSIVE
    if passive:
        return verb
    if end >= len(tokens):
        return True
    if tokens[end].text in CLAUSE_END:
        following = tokens[end + 1].lower if end + 1 < len(tokens) else ""
        return following not in ("said", "says", "told", "according")
    return tokens[end].lower in _AFTER_LIST
