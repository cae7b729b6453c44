"""Tolls the engine read past: sentences with a casualty word and a number that no incident explains.

The engine decides which figures are incidents; this only says where it may
have missed one, so that an article with a toll and no incident is never filed
silently (the services file it for review). It uses the engine's sentence
splitter, tokeniser, number reader and casualty vocabulary, and never changes
what ``extract`` returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reports.extraction.casualties.phrases import is_non_count
from reports.extraction.casualties.words import COUNT_STARTS, INJURE_ACTIVE, INJURE_PASSIVE, KILL_ACTIVE, KILL_PASSIVE
from reports.extraction.contract import ExtractedIncident
from reports.extraction.numbers import parse_count
from reports.extraction.text import split_sentences
from reports.extraction.tokens import Token, tokenize

__all__ = ["UnexplainedToll", "unexplained_tolls"]

CASUALTY_WORDS = KILL_ACTIVE | KILL_PASSIVE | INJURE_ACTIVE | INJURE_PASSIVE
_CASUALTY_WORD = re.compile(r"\b(?:" + "|".join(sorted(CASUALTY_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class UnexplainedToll:
    """A sentence that reads like a toll and lies outside every incident's evidence: ``text[start:end]``."""

    text: str
    start: int
    end: int


def _has_count(tokens: list[Token]) -> bool:
    """A number in digits or words that can count people: not a year, a day of the month, an age or a
    distance, and not a vague quantity ("dozens", "a few")."""
    for position, token in enumerate(tokens):
        if not (token.is_number or token.lower in COUNT_STARTS):
            continue
        count = parse_count(tokens, position)
        if count is not None and not count.vague and not is_non_count(tokens, count):
            return True
    return False


def unexplained_tolls(*, text: str, incidents: Sequence[ExtractedIncident]) -> list[UnexplainedToll]:
    """The sentences of ``text`` that carry a casualty word (killed, dead, wounded...) and a number,
    and that overlap no incident's evidence span, in the order of the text.

    ``incidents`` are what ``extract`` returned for this text (or the part of it that is kept);
    their evidence offsets index ``text``. Sentences are the engine's (``split_sentences``).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    spans = [(incident.evidence.start, incident.evidence.end) for incident in incidents]
    found = []
    for sentence in split_sentences(text):
        if any(start < sentence.end and sentence.start < end for start, end in spans):
            continue
        # Only the sentences with a casualty word are tokenised.
        if _CASUALTY_WORD.search(sentence.text) and _has_count(tokenize(sentence.text, offset=sentence.start)):
            found.append(UnexplainedToll(text=sentence.text, start=sentence.start, end=sentence.end))
    return found
