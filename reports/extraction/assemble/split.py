"""One candidate per place: tolls told place by place inside one sentence.

Three wordings give several events in one sentence, which the assembler would
otherwise read as one toll at one of the places:

- coordinated placed tolls, "car bombs killed 12 in A and 9 in B", "three were
  wounded in A, three more in B and one in C";
- a figure distributed by "each": "two blasts hit A and B, each killing four";
- a monitor's list by division, "A (40 killed, 61 injured), B (7 killed, ...)".

A toll spread over coordinated places with one figure ("killed 130 in A and in
B") is a total over them: ``spread_places`` names them so that the incident is
not pinned to one of them and its parts can be recognised later.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from reports.extraction.assemble.model import Analysis
from reports.extraction.casualties import Mention
from reports.extraction.numbers import parse_count
from reports.extraction.places import PlaceMention
from reports.extraction.text import Sentence

# Between a count and its place: a few nouns ("people", "more", "civilians"), maybe the
# passive verb, then "in"/"at" and a short descriptor ("the coastal city of").
_COUNT_TO_PLACE = re.compile(
    r"\s+(?:(?!when\b|after\b|as\b|while\b|who\b|which\b|that\b|during\b|by\b|and\b)[a-z'-]+\s+){0,3}?"
    r"(?:(?:were|was|had\s+been|have\s+been|are)\s+(?:\w+\s+)?(?:killed|wounded|injured|hurt|dead)\s+)?"
    r"(?:in|at)\s+(?:the\s+)?(?:[\w'-]+\s+){0,4}?(?:(?:city|town|village|district|neighbou?rhood|province|"
    r"governorate|region|area|camp|suburb|oblast|state)\s+of\s+)?"
    r"(?:(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|ez)-)?",  # "in al-Bab": the place mention starts after the article
    re.IGNORECASE,
)
_KILLED_WORDS = re.compile(r"\b(?:killed|dead|died|deaths?|killing)\b", re.IGNORECASE)
_INJURED_WORDS = re.compile(r"\b(?:wounded|injured|hurt|injuring|wounding|injuries)\b", re.IGNORECASE)
# What may join one placed toll to the next: a comma, "and", "while", "with".
# A colon opens the list after its total ("killed 44 in Idlib governorate: 37 in A and 7 in B").
_PAIR_JOIN = re.compile(
    r"(?:\s+(?:city|town|province|governorate|region|district|oblast|state))?[\s,;:\u2013\u2014-]*"
    r"(?:(?:and|while|with|plus)\s+)?(?:another\s+)?",
    re.IGNORECASE,
)
# "each killing four", "each of which killed six", "killing four people each", "four were killed in each".
_EACH = re.compile(
    r",?\s*each\s+(?:one\s+)?(?:of\s+which\s+|of\s+them\s+)?(?:killing|leaving|wounding|injuring|claiming|killed|left|"
    r"wounded|injured|claimed)\b"
    r"|\b(?:killing|wounding|injuring|killed|wounded|injured)\s+(?:at\s+least\s+)?[\w-]+\s+(?:people\s+|persons\s+)?each\b"
    r"|\b(?:killed|wounded|injured)\s+in\s+each\b",
    re.IGNORECASE,
)
# "Kirkuk (40 killed, 61 injured)", "(12 dead and 30 wounded)", "(5 killed)".
_KILLED_ITEM = r"(?P<{0}>\d{{1,3}}(?:,\d{{3}})+|\d+)\s+(?:people\s+|civilians\s+)?(?:killed|dead|deaths)"
_INJURED_ITEM = r"(?P<{0}>\d{{1,3}}(?:,\d{{3}})+|\d+)\s+(?:people\s+|civilians\s+)?(?:injured|wounded|injuries)"
_ITEM_JOIN = r"\s*(?:,|and|;)\s*"
_LISTED_TOLL = re.compile(
    r"\(\s*(?:"
    + _KILLED_ITEM.format("killed")
    + "(?:"
    + _ITEM_JOIN
    + _INJURED_ITEM.format("injured")
    + ")?|"
    + _INJURED_ITEM.format("injured_first")
    + _ITEM_JOIN
    + _KILLED_ITEM.format("killed_last")
    + r")\s*\)",
    re.IGNORECASE,
)
_LISTED_GROUPS = (("killed", "killed"), ("killed", "killed_last"), ("injured", "injured"), ("injured", "injured_first"))
# Two places named together as where one toll happened: "in A and in B", "the cities of A and B".
_COORDINATED = re.compile(
    r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s+as\s+well\s+as\s+)(?:(?:in|at)\s+)?(?:the\s+)?"
    r"(?:(?:[\w'-]+\s+){0,2}?(?:city|town|village|district|neighbou?rhood|province|governorate|region|area|camp|"
    r"suburb|oblast|state)\s+of\s+)?",
    re.IGNORECASE,
)


@dataclass(slots=True)
class PlacedToll:
    """The figures of one place in a sentence that tells several: one future incident."""

    place: PlaceMention
    mentions: list[Mention]


def event_places(analysis: Analysis, sentence: Sentence) -> list[PlaceMention]:
    """The places of a sentence that can be where something happened (not bearings or datelines)."""
    return [
        m
        for m in analysis.places.get(sentence.index, [])
        if not m.reference and (m.chosen is not None or m.subplace or m.explicit_admin1)
    ]


def place_key(place: PlaceMention) -> str:
    if place.chosen is not None:
        return f"place:{place.chosen.index}"
    if place.explicit_admin1 and place.admin1s:
        return "admin1:" + ",".join(sorted(f"{a[0]}.{a[1]}" for a in place.admin1s))
    return f"name:{place.key}"


def _kind_at(mentions: list[Mention], start: int) -> str | None:
    for mention in mentions:
        if mention.start <= start < mention.end:
            return mention.kind
    return None


def placed_tolls(analysis: Analysis, sentence: Sentence, mentions: list[Mention]) -> list[PlacedToll]:
    """Coordinated tolls each with its own place ("12 in A and 9 in B"); [] unless two places or more."""
    places = event_places(analysis, sentence)
    if len(places) < 2:
        return []
    text, offset = sentence.text, sentence.start
    counts = _counts(analysis, sentence)
    pairs: list[tuple[PlaceMention, Mention]] = []
    previous_end, previous_kind = -1, None
    for place in places:
        before = [c for c in counts if c[1] <= place.start and c[0] > previous_end]
        if not before:
            continue
        count_start, count_end, low, high, vague = before[-1]
        gap = text[count_end - offset : place.start - offset]
        if _COUNT_TO_PLACE.fullmatch(gap) is None:
            continue
        kind = _kind_at(mentions, count_start)
        if kind is None and _KILLED_WORDS.search(gap):
            kind = "killed"
        elif kind is None and _INJURED_WORDS.search(gap):
            kind = "injured"
        if kind is None and previous_kind is not None:
            # "three more in B, and one in C": the list goes on with the figure it started with.
            joined = _PAIR_JOIN.fullmatch(text[previous_end - offset : count_start - offset])
            kind = previous_kind if joined else None
        if kind is None:
            continue
        pairs.append((place, Mention(kind, low, high, vague, count_start, count_end)))
        previous_end, previous_kind = place.end, kind
    by_place: dict[str, PlacedToll] = {}
    for place, mention in pairs:
        by_place.setdefault(place_key(place), PlacedToll(place, [])).mentions.append(mention)
    if len(by_place) < 2:
        return []
    return list(by_place.values())


# Where one clause of a list ends: "..., eight died in ...", "...; six were shot in ...".
_CLAUSE_CUT = re.compile(r"\s*(?:,|;)\s+(?:and\s+|while\s+|whereas\s+)?")


def clause_tolls(analysis: Analysis, sentence: Sentence, mentions: list[Mention]) -> list[PlacedToll]:
    """Tolls told clause by clause, each clause with its own verb and place ("Nine were killed in air
    strikes on A, eight died in shelling on B, and six were shot dead in C"); [] unless every clause
    that holds a figure names a place, and two places or more."""
    if len({m.start for m in mentions}) < 2:
        return []
    text, offset = sentence.text, sentence.start
    cuts = [0] + [found.end() for found in _CLAUSE_CUT.finditer(text)] + [len(text)]
    places = event_places(analysis, sentence)
    by_place: dict[str, PlacedToll] = {}
    for start, end in itertools.pairwise(cuts):
        inside = [m for m in mentions if offset + start <= m.start < offset + end]
        if not inside:
            continue
        here = [p for p in places if offset + start <= p.start < offset + end]
        if not here:
            return []
        # The most precise place the clause names: a town before its division ("A in Idlib province").
        place = next((p for p in here if p.chosen is not None or p.subplace), here[0])
        by_place.setdefault(place_key(place), PlacedToll(place, [])).mentions.extend(inside)
    if len(by_place) < 2 or any(
        len([m for m in toll.mentions if m.kind == kind]) > 1
        for toll in by_place.values()
        for kind in ("killed", "injured")
    ):
        return []
    return list(by_place.values())


def _counts(analysis: Analysis, sentence: Sentence) -> list[tuple[int, int, int, int, bool]]:
    """(start, end, low, high, vague) of every count in the sentence."""
    tokens = analysis.tokens.get(sentence.index, [])
    found = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        count = parse_count(tokens, position) if token.is_number or token.is_word else None
        if count is None or (token.lower in ("a", "an") and count.low == 1):
            position += 1
            continue
        found.append((tokens[count.first].start, tokens[count.last - 1].end, count.low, count.high, count.vague))
        position = max(count.last, position + 1)
    return found


def distributed_tolls(analysis: Analysis, sentence: Sentence, mentions: list[Mention]) -> list[PlacedToll]:
    """ "Two blasts hit A and B, each killing four": the figures again at every place named before "each"."""
    each = _EACH.search(sentence.text)
    if each is None:
        return []
    cue = sentence.start + each.start()
    places: dict[str, PlaceMention] = {}
    for place in event_places(analysis, sentence):
        if place.end <= cue:
            places.setdefault(place_key(place), place)
    if len(places) < 2:
        return []
    return [PlacedToll(place, [_copy(mention) for mention in mentions]) for place in places.values()]


def listed_tolls(analysis: Analysis, sentence: Sentence) -> list[PlacedToll]:
    """A list by place, "A (40 killed, 61 injured), B (7 killed, 2 injured)": each toll at the place before it."""
    found = list(_LISTED_TOLL.finditer(sentence.text))
    if len(found) < 2:
        return []
    places = [m for m in analysis.places.get(sentence.index, []) if not m.reference]
    listed: dict[str, PlacedToll] = {}
    previous_end = sentence.start
    for match in found:
        start = sentence.start + match.start()
        before = [p for p in places if previous_end <= p.start and p.end <= start and start - p.end <= 80]
        previous_end = sentence.start + match.end()
        if not before:
            continue
        place = before[-1]
        if place.chosen is None and not place.subplace and not place.explicit_admin1:
            continue
        toll = PlacedToll(place, [])
        for kind, group in _LISTED_GROUPS:
            if match.group(group) is None:
                continue
            number = int(match.group(group).replace(",", ""))
            start, end = sentence.start + match.start(group), sentence.start + match.end(group)
            toll.mentions.append(Mention(kind, number, number, False, start, end))
        listed.setdefault(place_key(place), toll)
    return list(listed.values()) if len(listed) >= 2 else []


def spread_places(analysis: Analysis, sentence: Sentence) -> list[PlaceMention]:
    """Places named together as where one toll happened ("in A and in B"); [] when fewer than two.

    Divisions are left out: "A in B province" names one place, not two.
    """
    places = [p for p in event_places(analysis, sentence) if not p.explicit_admin1]
    text, offset = sentence.text, sentence.start
    group: list[PlaceMention] = []
    best: list[PlaceMention] = []
    for left, right in itertools.pairwise(places):
        between = text[left.end - offset : right.start - offset]
        if _COORDINATED.fullmatch(between) is not None and place_key(left) != place_key(right):
            group = group or [left]
            group.append(right)
            best = group if len(group) > len(best) else best
        else:
            group = []
    return best


def _copy(mention: Mention) -> Mention:
    return Mention(
        mention.kind,
        mention.low,
        mention.high,
        mention.vague,
        mention.start,
        mention.end,
        nouns=list(mention.nouns),
        children=mention.children,
        women=mention.women,
    )
