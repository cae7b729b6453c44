"""Named districts, neighbourhoods and villages, including those the gazetteer lacks."""

from __future__ import annotations

import re

from reports.extraction.gazetteer import Gazetteer, Place
from reports.extraction.places.countries import country_names
from reports.extraction.places.model import PlaceMention
from reports.extraction.places.words import LEADING_STOP, METONYM_CITIES, STOP_SINGLE, SUBPLACE_PATTERN
from reports.extraction.text import name_key
from reports.extraction.tokens import Token, strip_possessive

_NAME_BEFORE = re.compile(r"((?:[A-Z][\w'\u2019]+)(?:[\s-]+(?:al|el|[A-Z][\w'\u2019]+))*)\s+$")
_DIVISION_OF = frozenset({"district", "neighbourhood", "neighborhood", "suburb", "quarter"})


def unresolved_subplaces(
    *, text: str, tokens: list[Token], known: list[PlaceMention], gazetteer: Gazetteer
) -> list[PlaceMention]:
    """Named districts and villages the gazetteer lacks ("the Mansour district")."""
    if not tokens:
        return []
    start, end = tokens[0].start, tokens[-1].end
    found: list[PlaceMention] = []
    for match in SUBPLACE_PATTERN.finditer(text, start, end):
        group = 1 if match.group(1) else 2
        surface = strip_possessive(match.group(group))
        begin = match.start(group)
        if group == 1 and match.group(0).split()[0].lower() in _DIVISION_OF:
            # "the Salaheddine district of Aleppo": the name is before the word, the city after it
            # contains it; "the (mainly Shi'ite) district of Shaab" names it after; "a
            # neighbourhood of Homs" names none.
            named = _NAME_BEFORE.search(text, max(start, match.start() - 60), match.start())
            if named and named.group(1).split()[-1].lower() not in STOP_SINGLE:
                surface, begin = strip_possessive(named.group(1)), named.start(1)
            else:
                before = text[max(start, match.start() - 40) : match.start()].split()
                if not any(word.lower() == "the" for word in before[-3:]):
                    continue
        for marker in ("'s ", "\u2019s "):
            cut = surface.rfind(marker)
            if cut >= 0:
                begin += cut + len(marker)
                surface = surface[cut + len(marker) :]
        words = surface.split()
        while words and words[0].lower() in LEADING_STOP:
            begin += len(words[0]) + 1
            words = words[1:]
        surface = " ".join(words)
        overlapping = [m for m in known if m.start <= begin < m.end or begin <= m.start < begin + len(surface)]
        if not surface or (surface.lower() in STOP_SINGLE and surface.lower() not in METONYM_CITIES):
            # A capital's name is a place again before "district" ("the Riyadh subdistrict of X").
            continue
        key = name_key(surface)
        if any(key in names for names in country_names()):
            continue  # "a Niger village", "a Syrian town": the country's, not a village's name
        if overlapping and (
            all(m.end - m.start >= len(surface) for m in overlapping) or any(m.key == key for m in overlapping)
        ):
            for mention in overlapping:
                mention.subplace = True
            continue
        for mention in overlapping:
            known.remove(mention)
        mention = PlaceMention(begin, begin + len(surface), surface, key, subplace=True)
        if gazetteer.has_place_key(key):
            mention.candidates = gazetteer.places_named(key)
        else:
            mention.unmatched = True
        found.append(mention)
    return found


def leading_town(words: list[str], gazetteer: Gazetteer) -> list[Place]:
    """The towns a name of several words begins with ("Haifa" of "Haifa Bay"), longest first; [] if none."""
    for size in range(len(words) - 1, 0, -1):
        key = name_key(" ".join(words[:size]))
        if len(key) >= 4 and key not in STOP_SINGLE and gazetteer.has_place_key(key):
            return gazetteer.places_named(key)
    return []
