"""Place, first-level-division and country mentions, resolved with the gazetteer.

Candidate names are runs of capitalised words (with the lower-case Arabic
articles that join them: "Jisr al-Shughur"). Each run is matched longest
first against the gazetteer; ambiguous names are settled by the countries and
divisions the article talks about, then by population.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from reports.extraction.gazetteer import Gazetteer, Place
from reports.extraction.places.countries import capital_of, country_names
from reports.extraction.places.model import PlaceMention
from reports.extraction.places.roles import DIVISION_CLUE, SAYS_AFTER, Role, dateline_end, mention_role
from reports.extraction.places.subplaces import leading_town, unresolved_subplaces
from reports.extraction.places.words import (
    ADMIN1_WORDS,
    CONNECTORS,
    DIVISION_WORD_COUNTRIES,
    LEADING_STOP,
    LOCATIVE_BEFORE,
    METONYM_CITIES,
    PERSON_TITLES,
    REFERENCE_BEFORE,
    STOP_SINGLE,
    SUBPLACE_WORDS,
)
from reports.extraction.text import name_key
from reports.extraction.tokens import Token, strip_possessive

__all__ = ["PlaceMention", "Role", "capital_of", "capitalised_runs", "choose", "country_names", "scan_sentence"]


def capitalised_runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token ranges of proper-noun-like runs ("Jisr al-Shughur", "New Baghdad")."""
    runs: list[tuple[int, int]] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if not (token.is_word and token.is_capitalised):
            position += 1
            continue
        end = position + 1
        while end < len(tokens):
            current = tokens[end]
            if (
                current.is_word and current.is_capitalised and not tokens[end - 1].text.endswith(("'s", "\u2019s"))
            ) or (current.lower in CONNECTORS and _joins_name(tokens, end + 1)):
                end += 1
            elif current.text == "-" and end + 1 < len(tokens) and tokens[end + 1].lower in _COMPASS:
                # "Centre-Nord", and "Centre-nord" as some copy spells it: a compass point ends the name.
                end += 2
                break
            else:
                break
        runs.append((position, end))
        position = end
    return runs


_COMPASS = frozenset({"nord", "sud", "est", "ouest", "north", "south", "east", "west"})


def _unknown_village(
    text: str, tokens: list[Token], run_start: int, run_end: int, gazetteer: Gazetteer, countries: dict[str, str]
) -> PlaceMention | None:
    """A name of two or more words after "in"/"near" that the gazetteer lacks, none of whose words is
    a place, division or country by its own name: one unknown place, not several matched by other
    spellings of far-away towns.
    """
    if run_end - run_start < 2 or run_start == 0 or tokens[run_start - 1].lower not in LOCATIVE_BEFORE:
        return None
    first, last = tokens[run_start], tokens[run_end - 1]
    surface = strip_possessive(text[first.start : last.end])
    key = name_key(surface)
    if first.lower in STOP_SINGLE or key in countries or gazetteer.has_place_key(key) or gazetteer.admin1s_named(key):
        return None
    for token in tokens[run_start:run_end]:
        word = name_key(token.text)
        if token.lower in CONNECTORS or not word:
            continue
        if word in countries or gazetteer.admin1s_named(word) or token.lower in ADMIN1_WORDS | SUBPLACE_WORDS:
            return None
        if any(name_key(place.name) == word for place in gazetteer.places_named(word)):
            return None
    return PlaceMention(first.start, first.start + len(surface), surface, key, unmatched=True)


def _opens_body(text: str, start: int) -> bool:
    """Whether ``start`` opens a paragraph near the top of the text (after a headline or a byline)."""
    return 0 < start <= _BODY_OPENS_WITHIN and text[:start].rstrip(" \t").endswith("\n")


# How far down a text its dateline can open the body: a repeated headline, a subtitle and a byline.
_BODY_OPENS_WITHIN = 600


def _joins_name(tokens: list[Token], after: int) -> bool:
    """Whether a connector continues a name: "al-Shughur", "Qala-e-Zal", "Pol-i-Khomri"."""
    rest = [token.text for token in tokens[after : after + 3]]
    if not rest:
        return False
    if rest[0][:1].isupper():
        return True
    if rest[0] == "-":
        return len(rest) > 1 and rest[1][:1].isupper()
    # "-i-", "-e-": a joining vowel between two hyphens; "Port-au-Prince": a joining word.
    return (
        len(rest) == 3 and rest[0].lower() in ("i", "e", "ul", "au", "aux") and rest[1] == "-" and rest[2][:1].isupper()
    )


def scan_sentence(
    *, text: str, tokens: list[Token], gazetteer: Gazetteer
) -> tuple[list[PlaceMention], Counter[str], Counter[str]]:
    """Place/admin1 mentions in a sentence, and its country-name and demonym counts."""
    countries, demonyms = country_names()
    mentions: list[PlaceMention] = []
    named: Counter[str] = Counter()
    adjectival: Counter[str] = Counter()
    # The text's first sentence may open with a dateline ("HAMA (Agency) —").
    dateline = dateline_end(text) if tokens and not text[: tokens[0].start].strip() else 0
    if tokens and not dateline and _opens_body(text, tokens[0].start):
        # "Headline\n\nNIAMEY, Niger (AP) - ...": the dateline after a headline the page repeats.
        body = text[tokens[0].start :]
        found = dateline_end(body)
        if found and not body[:found].rstrip().endswith(":"):
            dateline = tokens[0].start + found
    runs = capitalised_runs(tokens)
    run_ends = {position: tokens[end - 1].end for start, end in runs for position in range(start, end)}
    for run_start, run_end in runs:
        unknown = _unknown_village(text, tokens, run_start, run_end, gazetteer, countries)
        if unknown is not None:
            # "in Barin Zare": a village the gazetteer lacks, not "Zare" as another spelling of Zahle.
            _assign_role(unknown, text, tokens, dateline=dateline, run_end=unknown.end)
            mentions.append(unknown)
            continue
        position = run_start
        while position < run_end:
            if position > 0 and tokens[position - 1].lower in PERSON_TITLES:
                # "Security Minister Alfonso Durazo", "spokesman Omar Saranga": a person's name follows.
                break
            matched = False
            for stop in range(min(run_end, position + 5), position, -1):
                if tokens[stop - 1].text == "-" or tokens[position].lower in CONNECTORS:
                    continue
                if position == run_start and stop < run_end and tokens[stop].text == "-":
                    # "Pol-i-Khomri" unknown as a whole: its first part is no place of its own.
                    continue
                first, last = tokens[position], tokens[stop - 1]
                surface = strip_possessive(text[first.start : last.end])
                key = name_key(surface)
                if not key:
                    continue
                single = stop - position == 1
                if key in countries and not (single and first.lower in ("us",)):
                    role = mention_role(text, first.start, last.end, run_end=run_ends[position])
                    if SAYS_AFTER.match(text[last.end : last.end + 40]):
                        role = Role.SPEAKER
                    # "the border with Turkey", "Turkey said": a neighbour or a speaker, weighed like an adjective.
                    (named if role in (Role.EVENT, Role.CONTEXT) else adjectival)[countries[key]] += 1
                    position, matched = stop, True
                    break
                if key in demonyms and single:
                    if not _ARMED_AFTER_DEMONYM.match(text, last.end):
                        # "Turkish air strikes on Afrin": the attacker's country, not the place's.
                        adjectival[demonyms[key]] += 1
                    position, matched = stop, True
                    break
                if (
                    single
                    and (first.lower in STOP_SINGLE or strip_possessive(first.lower) in STOP_SINGLE or len(key) < 3)
                    and not _located_city(tokens, position)
                ):
                    continue
                if (
                    single
                    and _acronym(first.text)
                    and not (dateline and first.end <= dateline)
                    and not gazetteer.admin1s_named(key)
                ):
                    # "the KLF", "the DCO said": initials of a group or an office, not a town ("KPK" is a division).
                    continue
                common = all(token.lower in STOP_SINGLE or token.lower in CONNECTORS for token in tokens[position:stop])
                if (
                    not single
                    and (first.lower in LEADING_STOP or common)
                    # "the North West region": common words that name a division when a division word follows
                    and not (stop < len(tokens) and tokens[stop].lower in ADMIN1_WORDS)
                ):
                    continue
                admin1s = gazetteer.admin1s_named(key)
                has_place = gazetteer.has_place_key(key)
                if not (admin1s or has_place):
                    continue
                candidates = gazetteer.places_named(key) if has_place else []
                if single and position == 0 and not admin1s and first.text.istitle():
                    # A capitalised first word is often an ordinary word ("More than 300 ...");
                    # only a sizeable town is believable there.
                    candidates = [place for place in candidates if place.population >= 50_000]
                    if not candidates:
                        continue
                mention = PlaceMention(first.start, first.start + len(surface), surface, key)
                mention.admin1s = admin1s
                mention.candidates = candidates
                _annotate(mention, tokens, stop, position, text)
                _assign_role(mention, text, tokens, dateline=dateline, run_end=run_ends[position])
                if admin1s and _CAPITAL_OF.search(text, max(0, first.start - 40), first.start):
                    mention.seats = _seats(gazetteer, admin1s)
                if admin1s and not has_place and (not mention.reference or mention.role in DIVISION_CLUE):
                    # A division's own name that is no town ("Damascus countryside", "West Bank").
                    mention.explicit_admin1 = True
                    mention.bare_admin1 = True
                mentions.append(mention)
                position, matched = stop, True
                break
            if not matched and position == run_start:
                division = _division_spelled_like(text, tokens, run_start, run_end, gazetteer)
                if division is not None:
                    _assign_role(division, text, tokens, dateline=dateline, run_end=None)
                    mentions.append(division)
                    position = run_end
                    continue
            if not matched:
                if (
                    position == run_start
                    and run_end - run_start >= 1
                    and run_start > 0
                    and tokens[run_start - 1].lower in LOCATIVE_BEFORE
                ):
                    first, last = tokens[run_start], tokens[run_end - 1]
                    surface = strip_possessive(text[first.start : last.end])
                    key = name_key(surface)
                    if (
                        len(key) >= 5
                        and first.lower not in STOP_SINGLE
                        and key not in countries
                        and key not in demonyms
                    ):
                        mention = PlaceMention(first.start, first.start + len(surface), surface, key, unmatched=True)
                        _assign_role(mention, text, tokens, dateline=dateline, run_end=last.end)
                        mentions.append(mention)
                        position = run_end
                        continue
                position += 1
    for mention in unresolved_subplaces(text=text, tokens=tokens, known=mentions, gazetteer=gazetteer):
        _assign_role(mention, text, tokens, dateline=dateline, run_end=None)
        mentions.append(mention)
    for mention in mentions:
        if mention.unmatched and not mention.containers:
            mention.containers = leading_town(mention.surface.split(), gazetteer)
    mentions.sort(key=lambda mention: mention.start)
    return mentions, named, adjectival


# "the capital of the Tigray region": the division's seat, not the division.
_CAPITAL_OF = re.compile(r"\bcapital\s+of\s+(?:the\s+)?(?:\w+['\u2019]s\s+)?(?:[a-z-]+\s+)?$")


def _seats(gazetteer: Gazetteer, admin1s: tuple[tuple[str, str], ...]) -> dict[tuple[str, str], Place]:
    """The most populous place of each division: its capital in nearly every country."""
    seats: dict[tuple[str, str], Place] = {}
    for country, code in admin1s:
        seat = gazetteer.division_seat(country, code)
        if seat is not None:
            seats[(country, code)] = seat
    return seats


# "Somalia's capital of Mogadishu", "the capital city of X": the name after "capital of" is the capital itself.
_CAPITAL_NAMED = re.compile(
    r"(?:\w['\u2019]s\s+capital|\bcapital\s+city|\b(?:provincial|regional|state|district|national)\s+capital)\s+of\s+$",
    re.IGNORECASE,
)


def _division_spelled_like(
    text: str, tokens: list[Token], run_start: int, run_end: int, gazetteer: Gazetteer
) -> PlaceMention | None:
    """ "Salahadeen province": a division word after a name the gazetteer spells otherwise."""
    if run_end >= len(tokens) or tokens[run_end].lower not in ADMIN1_WORDS:
        return None
    first, last = tokens[run_start], tokens[run_end - 1]
    surface = strip_possessive(text[first.start : last.end])
    key = name_key(surface)
    admin1s = gazetteer.admin1s_spelled_like(key)
    if not admin1s or first.lower in STOP_SINGLE:
        return None
    # Kept only in the countries the article is about (as for any bare division name).
    return PlaceMention(
        first.start, first.start + len(surface), surface, key, admin1s=admin1s, explicit_admin1=True, bare_admin1=True
    )


def _acronym(word: str) -> bool:
    # "KLF", "DCO", and initials written in mixed case ("MoH", "UNHCR's" office "UNHCR")
    return word.isalpha() and (
        (2 <= len(word) <= 4 and word.isupper()) or (len(word) <= 5 and sum(c.isupper() for c in word) >= 2)
    )


def _assign_role(mention: PlaceMention, text: str, tokens: list[Token], *, dateline: int, run_end: int | None) -> None:
    """Give the mention its role; any role but EVENT makes it a non-event place (``reference``)."""
    lead = text[tokens[0].start : mention.start] if tokens else ""
    opening = not lead.strip() or lead.strip().lower() == "the"
    mention.role = mention_role(text, mention.start, mention.end, dateline=dateline, run_end=run_end, opening=opening)
    if mention.role == Role.EVENT and mention.reference and not _CAPITAL_NAMED.search(text, 0, mention.start):
        mention.role = Role.REFERENCE  # a bearing caught by the older pattern ("60 km north of ...")
    mention.reference = mention.role != Role.EVENT


_ARMED_AFTER_DEMONYM = re.compile(
    r"(?:-backed|-led|\s+(?:air|drone|artillery|military|army|armed|security|forces|troops|soldiers|jets|"
    r"warplanes|aircraft|strikes?|shelling|missiles?|rockets?|drones?|navy|police))\b",
    re.IGNORECASE,
)


def _located_city(tokens: list[Token], position: int) -> bool:
    """ "a bombing in Ankara": a city usually named for its government is here a place."""
    word = tokens[position].lower
    if word not in METONYM_CITIES:
        return False
    before = [token.lower for token in tokens[max(0, position - 3) : position]]
    if before and before[-1] in _CITY_BEARINGS:
        before = before[:-1]  # "in southern Beirut", "in west Beirut"
    return bool(before) and (
        before[-1] in ("in", "near", "outside", "at", "around", "into")
        or (before[-1] == "of" and len(before) > 1 and before[-2] in _PARTS_OF_A_CITY)
    )


_CITY_BEARINGS = frozenset(
    {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west", "downtown"}
)
# "the southern suburbs of Beirut", "a Shiite district of Cairo": a part of the city, so the city itself.
_PARTS_OF_A_CITY = frozenset(
    {"city", "town", "suburbs", "suburb", "district", "outskirts", "neighbourhood", "neighborhood", "area", "centre"}
    | {"center", "heart", "streets", "part", "quarter"}
)


_PLURAL_DIVISION_WORDS = frozenset({"provinces", "regions", "governorates", "states", "oblasts"})


def _annotate(mention: PlaceMention, tokens: list[Token], stop: int, position: int, text: str) -> None:
    following = tokens[stop].lower if stop < len(tokens) else ""
    before_words = [token.lower for token in tokens[max(0, position - 3) : position]]
    if following in ("and", ",") and any(
        token.lower in _PLURAL_DIVISION_WORDS for token in tokens[stop + 1 : stop + 5]
    ):
        # "in Kabul and Baghlan provinces", "in Kano, Katsina and Zamfara states": each name is a division
        following = next(token.lower for token in tokens[stop + 1 : stop + 5] if token.lower in _PLURAL_DIVISION_WORDS)
    if following in ADMIN1_WORDS or before_words[-2:] in (
        ["province", "of"],
        ["governorate", "of"],
        ["region", "of"],
        ["state", "of"],
    ):
        mention.explicit_admin1 = bool(mention.admin1s)
        word = following if following in ADMIN1_WORDS else before_words[-2]
        narrowed = tuple(
            (country, code) for country, code in mention.admin1s if country in DIVISION_WORD_COUNTRIES.get(word, ())
        )
        if narrowed:
            mention.admin1s = narrowed
    if following in SUBPLACE_WORDS - {"city", "town"} or before_words[-2:] in (
        ["village", "of"],
        ["town", "of"],
        ["camp", "of"],
    ):
        mention.subplace = True
    prefix = text[max(0, tokens[position].start - 40) : tokens[position].start]
    mention.reference = bool(REFERENCE_BEFORE.search(prefix)) and not re.search(
        r"\b(?:town|village|city|district|neighbourhood|area|camp|suburb|province|governorate|centre|center)\s+of\s+$",
        prefix,
        re.I,
    )


def choose(
    mention: PlaceMention,
    *,
    country_weight: dict[str, float],
    sentence_admin1s: set[tuple[str, str]],
    article_admin1s: set[tuple[str, str]],
) -> Place | None:
    """The most plausible gazetteer place for a mention, or None if none fits the article."""
    best: tuple[float, Place] | None = None
    top = max(country_weight.values(), default=0.0)
    for place in mention.candidates:
        weight = country_weight.get(place.country, 0.0)
        if top > 0 and weight < 0.3 * top:
            continue
        score = 4.0 * (weight / top if top else 0.0)
        if (place.country, place.admin1_code) in mention.admin1s and top > 0 and weight >= 0.5 * top:
            # "Mykolaiv": the city in the division of the same name, not a village elsewhere called so.
            score += 3.0
        elif (place.country, place.admin1_code) in sentence_admin1s:
            score += 3.0
        elif (place.country, place.admin1_code) in article_admin1s:
            score += 1.5
        score += min(math.log10(place.population + 1), 7.0) / 2.5
        if best is None or score > best[0]:
            best = (score, place)
    return best[1] if best else None
