"""Where an incident happened: the sentence's places, then its context, then what follows."""

from __future__ import annotations

import re
from collections import Counter

from reports.extraction.assemble.model import Analysis, Incident
from reports.extraction.assemble.patterns import ELABORATION, EVENT_WORDS, NEW_EVENT, REGION_WIDE, UNNAMED_PLACE
from reports.extraction.contract import DatePrecision
from reports.extraction.gazetteer import Place
from reports.extraction.places import PlaceMention, Role
from reports.extraction.places.countries import country_names
from reports.extraction.places.roles import DIVISION_CLUE
from reports.extraction.text import Sentence, name_key
from reports.extraction.tokens import strip_possessive

# A sentence that turns to another part of the story: places told before it are not its places.
TOPIC_SHIFT = re.compile(
    r"^\W*(?:elsewhere|meanwhile|separately|in\s+(?:a\s+)?(?:separate|another|other)\b"
    r"|in\s+(?:the\s+)?(?:country['\u2019]s\s+)?(?:far\s+)?(?:north|south|east|west|centre|center)(?:ern)?"
    r"(?:-?(?:east|west)(?:ern)?)?\b"
    r"(?:\s+of\s+the\s+country)?\s*,)",
    re.IGNORECASE,
)
# "in the same district", "there": the place of an earlier sentence ("there were" is no place).
PLACE_ANAPHORA = re.compile(
    r"\bthe\s+same\s+(?:district|town|village|area|city|neighbou?rhood|province|region|camp|market)\b"
    r"|\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will|would|could|may|might|must|should|seems?|remains?)\b)",
    re.IGNORECASE,
)
# "killed in the town and in the village of X": the town the story is about, named earlier.
TOWN_ANAPHORA = re.compile(
    r"\bin\s+the\s+(?:town|city|village)\b(?!\s+(?:of|centre|center|hall|council|itself)\b)(?=\s*(?:,|and\b|or\b))",
    re.IGNORECASE,
)
# "the capital", "the Afghan capital" ... but not "north of the capital", where it is a bearing.
_CAPITAL = re.compile(r"\b(?:the|its|their|[A-Z]\w+'s)\s+(?:[A-Z]\w+\s+)?capital\b(?!\s+of\b)")
_BEARING_BEFORE = re.compile(
    r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|"
    r"south-west)\s+of\s+$|\b(?:near|outside|from)\s+$",
    re.IGNORECASE,
)


# "in Yemen", "across war-torn Syria", "in northern Iraq": a toll placed in a whole country.
_IN_COUNTRY = re.compile(
    # "In Syria, 312 civilians were killed": the preposition may open the sentence.
    r"\b(?i:in|across|throughout|inside|all\s+over)\s+(?:the\s+)?(?:(?:war-torn|war-ravaged|conflict-hit|"
    r"(?:north|south|east|west)(?:ern)?|central|(?:north|south)-?(?:east|west)(?:ern)?)\s+)?"
    r"([A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2})"
)


_THE_COUNTRY = re.compile(
    r"\b(?:in|across|throughout|all\s+over)\s+the\s+(?:whole\s+|entire\s+)?country\b|\b(?:countrywide|nationwide)\b",
    re.IGNORECASE,
)


def country_located(text: str) -> str | None:
    """The country a sentence places its toll in ("killed in Yemen"), if it names one that way;
    ``""`` for the article's own country told as "the country" ("12 attacks in the country").
    """
    names, _demonyms = country_names()
    for found in _IN_COUNTRY.finditer(text):
        words = found.group(1).split()
        for size in range(len(words), 0, -1):
            code = names.get(name_key(strip_possessive(" ".join(words[:size]))))
            if code is not None:
                return code
    return "" if _THE_COUNTRY.search(text) else None


def topic_shift(sentence: Sentence) -> bool:
    """ "Elsewhere, ...", "In the east, ...": the sentence leaves the place told before it."""
    return bool(TOPIC_SHIFT.match(sentence.text))


def capital_named(text: str) -> bool:
    """Whether the sentence puts its event in "the capital" (not "40 km north of the capital")."""
    return any(not _BEARING_BEFORE.search(text[: found.start()]) for found in _CAPITAL.finditer(text))


def elaborate(analysis: Analysis, incident: Incident) -> None:
    """Fill a missing place or date from a following sentence that describes the same event.

    Wire copy often leads with the toll and says where and when in the next
    paragraph ("The explosion tore through the convoy on Saturday ... in X").
    """
    first, last = min(incident.sentences), max(incident.sentences)
    for index in range(first + 1, min(len(analysis.sentences), last + 5)):
        if index in incident.sentences:
            # A later telling of the same toll: it may say where ("the attack took place in X and the
            # dead included 11 children"); else the description may sit before it.
            sentence = analysis.sentences[index]
            if incident.place is None and describes_event(analysis, sentence, incident):
                place, admin1 = pick_place(analysis, index, sentence.start)
                if place is not None:
                    locate(analysis, incident, place, admin1, sentence)
            continue
        if index in analysis.mentions and analysis.mentions[index][0]:
            if all(mention.vague for mention in analysis.mentions[index][0]):
                continue  # "many others were killed", quoted: no event of its own, the description may follow
            return
        sentence = analysis.sentences[index]
        if not describes_event(analysis, sentence, incident):
            continue
        if incident.date_precision == DatePrecision.PUBLISHED:
            days = [d for d in analysis.dates.get(index, []) if not d.reporting and d.precision == DatePrecision.DAY]
            if days:
                incident.date_first, incident.date_last, incident.date_precision = (
                    days[0].first,
                    days[0].last,
                    DatePrecision.DAY,
                )
        if incident.place is None:
            place, admin1 = pick_place(analysis, index, sentence.start)
            if place is None and not analysis.places.get(index):
                continue  # "The number of such blasts has fallen": no place here, the description may follow
            if place is not None:
                locate(analysis, incident, place, admin1, sentence)
            elif admin1 is not None and incident.admin1 is None:
                # "The explosion occurred in the desert in Raqa province": the division alone.
                incident.admin1, incident.country = admin1, admin1[0]
        if incident.place is None and incident.date_precision == DatePrecision.PUBLISHED:
            continue  # neither a town nor a day yet: the description may go on ("The attack took place Friday")
        return


# "The patrol was returning ... when it was attacked": the definite noun phrase that opens a sentence.
_DEFINITE_SUBJECT = re.compile(r"^(?:The|That|This)\s+(?:[a-z-]+\s+){0,2}?([a-z]{4,})\b")


def describes_event(analysis: Analysis, sentence: Sentence, incident: Incident) -> bool:
    """Whether ``sentence`` tells more of the incident's event: it names the event ("The explosion
    took place ..."), opens on a thing the toll sentence introduced ("An ambush on a military patrol
    killed 16 ... The patrol was returning from Tillia when it was attacked"), or tells an attack on
    the incident's own day ("killed on Monday ... a convoy was on Monday the target of an ambush in X").
    """
    if ELABORATION.search(sentence.text):
        return True
    toll = analysis.sentences[min(incident.sentences)].text
    opening = _DEFINITE_SUBJECT.match(sentence.text)
    if opening is not None:
        noun = opening.group(1)
        stem = noun[:-1] if noun.endswith("s") and len(noun) > 4 else noun
        if re.search(rf"\b{stem}", toll, re.I):
            return True
    if NEW_EVENT.search(sentence.text) is not None or EVENT_WORDS.search(sentence.text) is None:
        return False
    # "struck a southeastern city, killing three ... Missiles hit a factory in Dnipro": the place the toll
    # sentence left unnamed; else an attack told on the incident's own day.
    if incident.place is None and UNNAMED_PLACE.search(toll):
        return True
    return incident.date_precision == DatePrecision.DAY and any(
        found.first == incident.date_first and found.precision == DatePrecision.DAY and not found.reporting
        for found in analysis.dates.get(sentence.index, [])
    )


def refine_place(analysis: Analysis, incident: Incident) -> None:
    """ "The attack in the X district ...": a finer place in the next sentence, same division."""
    index = max(incident.sentences) + 1
    if index >= len(analysis.sentences) or (index in analysis.mentions and analysis.mentions[index][0]):
        return
    sentence = analysis.sentences[index]
    if not ELABORATION.search(sentence.text):
        return
    finer = [m for m in analysis.places.get(index, []) if m.subplace and not m.reference]
    if not finer:
        return
    candidate = finer[0]
    division = (
        (candidate.chosen.country, candidate.chosen.admin1_code) if candidate.chosen is not None else incident.admin1
    )
    if division == incident.admin1:
        incident.place = candidate


def context_sentences(analysis: Analysis, sentence: Sentence, back: int = 2) -> list[int]:
    """Earlier sentences (nearest first) that may name the place/date of this toll.

    They stop at the previous toll, unless the sentence points back to its place
    ("in the same district", "there"): then up to eight sentences back.
    """
    found: list[int] = []
    if topic_shift(sentence):
        return found
    anaphoric = bool(PLACE_ANAPHORA.search(sentence.text) or TOWN_ANAPHORA.search(sentence.text))
    for index in range(sentence.index - 1, max(-1, sentence.index - 1 - (8 if anaphoric else back)), -1):
        if not anaphoric and index in analysis.mentions and analysis.mentions[index][0]:
            break
        found.append(index)
    return found


def anaphoric_town(analysis: Analysis, sentence: Sentence, place: PlaceMention | None) -> PlaceMention | None:
    """The earlier town that "in the town and in X" points back to, when the anaphor comes first."""
    anaphor = TOWN_ANAPHORA.search(sentence.text)
    if anaphor is None or (place is not None and place.start < sentence.start + anaphor.start()):
        return None
    for index in context_sentences(analysis, sentence):
        earlier, _admin1 = pick_place(analysis, index, analysis.sentences[index].start)
        if earlier is not None and earlier.chosen is not None and not earlier.explicit_admin1:
            return earlier
    return None


# "Baghdad was the worst hit, with 258 killed, followed by Diyala and Anbar": a ranking after the toll's place.
_RANKED_AFTER = re.compile(r"\bfollowed\s+by\b", re.IGNORECASE)


def ranked_after(sentence: Sentence, mention: PlaceMention) -> bool:
    """Whether the place is named in a ranking after the toll's own ("..., followed by X and Y")."""
    return bool(_RANKED_AFTER.search(sentence.text, 0, max(0, mention.start - sentence.start)))


# Where the clause of a toll ends and another's begins: "..., and Sindh ...", "; in Punjab ...".
_NEXT_CLAUSE = re.compile(r";|,\s+(?:and|while|but|whereas)\b")


def pick_place(
    analysis: Analysis, index: int, anchor: int, within: tuple[str, str] | None = None
) -> tuple[PlaceMention | None, tuple[str, str] | None]:
    """The incident place in sentence ``index``: most specific, nearest the toll.

    Only event places count ("a village north of X" is not at X), but a bearing's
    division is the event's when the sentence names no other.
    """
    mentions = [m for m in analysis.places.get(index, []) if not ranked_after(analysis.sentences[index], m)]
    usable = [m for m in mentions if not m.reference and (m.chosen or m.subplace)]
    if within is not None:
        usable = [m for m in usable if m.chosen is None or (m.chosen.country, m.chosen.admin1_code) == within]
    admin1_only = [m for m in mentions if m.explicit_admin1 and (not m.reference or m.role in DIVISION_CLUE)]
    places = [m for m in usable if not m.explicit_admin1]
    admin1 = None
    if admin1_only:
        sentence = analysis.sentences[index]

        def division_distance(mention: PlaceMention) -> float:
            # Nearest the toll, a division named before it (the clause's subject) counting half its distance,
            # one named after it in the next clause last: "Balochistan recorded nine attacks, resulting in
            # 18 fatalities, and Sindh and Punjab ..." is Balochistan's.
            if mention.start < anchor:
                return (anchor - mention.start) * 0.5
            between = sentence.text[max(0, anchor - sentence.start) : max(0, mention.start - sentence.start)]
            return mention.start - anchor + (1000 if _NEXT_CLAUSE.search(between) else 0)

        named_division = min(admin1_only, key=division_distance)
        candidates = named_division.admin1s
        top = max(candidates, key=lambda a: analysis.country_weight.get(a[0], 0.0))
        admin1 = top
        places = [
            m
            for m in places
            if m.chosen is None or (m.chosen.country == top[0] and not _other_clause(m, named_division, top, anchor))
        ]
    if not places and admin1 is not None and within is None:
        # "hit the capital of the X region" with no town named: the division's seat.
        seat = next((m.seats[admin1] for m in admin1_only if admin1 in m.seats), None)
        if seat is not None:
            named = next(m for m in admin1_only if admin1 in m.seats)
            return PlaceMention(named.start, named.end, seat.name, seat.name.lower(), chosen=seat), admin1
    if not places:
        if admin1 is None and within is None:
            clues = [m.chosen for m in mentions if m.role in DIVISION_CLUE and m.chosen is not None]
            if clues:
                admin1 = (clues[0].country, clues[0].admin1_code)
        return None, admin1
    text = analysis.sentences[index].text
    offset = analysis.sentences[index].start
    subplaces = [m for m in places if m.subplace]
    # "Mirny in the Lozova district": a place named inside a district is finer than the district.
    inside = [
        m
        for m in places
        if not m.subplace
        and any(
            0 < other.start - m.end <= 12
            and re.fullmatch(r",?\s+(?:in|of)\s+(?:the\s+)?", text[m.end - offset : other.start - offset])
            for other in subplaces
        )
    ]
    pool = inside + subplaces or places

    def village_first(mention: PlaceMention) -> tuple[int, float]:
        # "near the village of Gul Tepa in ... Qala-e-Zal district": the village is the finer place.
        before = text[max(0, mention.start - offset - 14) : mention.start - offset].lower()
        rank = 0 if mention in inside or re.search(r"\b(?:village|hamlet)\s+of\s+$", before) else 1
        return rank, abs(mention.start - anchor) * (0.5 if mention.start < anchor else 1.0)

    chosen = min(pool, key=village_first)
    if chosen.chosen is None:
        # "in Namsiguia, in the Centre-Nord region": the division named beside an unknown place is its own.
        beside = [
            m
            for m in admin1_only
            if 0 < m.start - chosen.end <= 30
            and re.fullmatch(r",?\s+(?:in\s+)?(?:the\s+)?", text[chosen.end - offset : m.start - offset])
        ]
        if beside:
            admin1 = max(beside[0].admin1s, key=lambda a: analysis.country_weight.get(a[0], 0.0))
    return chosen, admin1


def _other_clause(place: PlaceMention, division: PlaceMention, admin1: tuple[str, str], anchor: int) -> bool:
    """ "the deaths in X district, which came days after a strike killed nine in Y province": the
    division named nearer the toll, far from a place of another division, is the toll's; the place is
    another clause's (a division named right beside a place corrects a homonym instead).
    """
    if place.chosen is None or (place.chosen.country, place.chosen.admin1_code) == admin1:
        return False
    apart = max(division.start - place.end, place.start - division.end)
    return apart > 40 and abs(division.start - anchor) < abs(place.start - anchor)


def locate(
    analysis: Analysis,
    incident: Incident,
    place: PlaceMention | None,
    admin1: tuple[str, str] | None,
    sentence: Sentence,
) -> None:
    incident.place = place
    if place is not None and place.chosen is not None:
        incident.country = place.chosen.country
        incident.admin1 = (place.chosen.country, place.chosen.admin1_code)
        if (
            admin1
            and admin1[0] == place.chosen.country
            and admin1 != incident.admin1
            and place.chosen.population < 500_000
        ):
            # The text names the division outright; a same-named town elsewhere loses
            # (a city that size is no homonym: its own division stands).
            incident.admin1 = admin1
            if not place.subplace:
                # Keep the article's spelling: the gazetteer's same-named town lies elsewhere.
                place = incident.place = PlaceMention(
                    place.start, place.end, place.surface, place.key, subplace=True, unmatched=True
                )
    elif admin1 is not None:
        incident.admin1 = admin1
        incident.country = admin1[0]
    if incident.admin1 is None and place is not None:
        # Unresolved district/village: borrow the division of the nearest resolved place, in its
        # sentence first, then up to three sentences back unless the story has moved on. Bearings
        # count ("the village of X north of Aleppo"); datelines and speakers' seats do not.
        nearest = _nearest_division_clue(analysis, sentence, place)
        if nearest is not None:
            incident.admin1 = (nearest.country, nearest.admin1_code)
            incident.country = nearest.country
    if incident.admin1 is None and place is not None and not incident.aggregate:
        dominant = dominant_admin1(analysis)
        if dominant is not None:
            incident.admin1 = dominant
            incident.country = dominant[0]
    if incident.admin1 is None and place is not None and place.unmatched and place.subplace:
        # "BAGHDAD — ... in the central Karrada district": a district the gazetteer lacks, in a story
        # that names no other place, lies in the city the reporter filed from.
        city = dateline_place(analysis)
        if city is not None and city.country == max(analysis.country_weight, key=analysis.country_weight.__getitem__):
            incident.admin1 = (city.country, city.admin1_code)
            incident.country = city.country
    if incident.country is None and analysis.named.get(sentence.index):
        named_here = analysis.named[sentence.index]
        incident.country = max(named_here, key=lambda c: analysis.country_weight.get(c, 0.0))
    if incident.country is None and analysis.country_weight:
        incident.country = max(analysis.country_weight, key=lambda c: analysis.country_weight[c])
    if (
        incident.aggregate
        and place is not None
        and not place.subplace
        and place.chosen is not None
        and REGION_WIDE.search(sentence.text)
    ):
        incident.place, incident.admin1 = None, None
    if incident.aggregate and REGION_WIDE.search(sentence.text):
        # "across the country": a country-wide total has no division.
        incident.place, incident.admin1 = None, None
    if (
        incident.aggregate
        and incident.place is None
        and incident.admin1 is None
        and re.search(r"\bacross\s+the\s+city\b", sentence.text, re.I)
    ):
        # "across the city": the city the article has been talking about.
        for other in range(sentence.index - 1, -1, -1):
            cities = [
                m
                for m in analysis.places.get(other, [])
                if m.chosen is not None and m.chosen.population >= 100_000 and not m.explicit_admin1
            ]
            if cities:
                incident.place = cities[-1]
                incident.country = cities[-1].chosen.country  # type: ignore[union-attr]
                incident.admin1 = (cities[-1].chosen.country, cities[-1].chosen.admin1_code)  # type: ignore[union-attr]
                break


# "the X district south of Damascus", "X, 10 km east of Homs": the town a place lacking from the gazetteer is placed by.
_BEARING_AFTER = re.compile(
    r"^\s*(?:(?:district|neighbou?rhood|area|suburb|quarter|village|town|camp|shrine)\s+)?,?\s*(?:just\s+|some\s+)?"
    r"(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+(?:\(\d+\s+miles\)\s+)?)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|"
    r"south-west)\s+of|near|outside)\s+(?:the\s+(?:\w+\s+)?(?:city|capital|town)\s+(?:of\s+)?)?$",
    re.IGNORECASE,
)


def first_telling_clue(analysis: Analysis, place: PlaceMention) -> Place | None:
    """The town a place the gazetteer lacks was placed by where the article first named it."""
    for index in sorted(analysis.places):
        for mention in analysis.places[index]:
            if mention.key != place.key or not mention.subplace:
                continue
            text, offset = analysis.sentences[index].text, analysis.sentences[index].start
            for clue in analysis.places[index]:
                if (
                    clue.chosen is not None
                    and clue.start >= mention.end
                    and not clue.explicit_admin1
                    and _BEARING_AFTER.match(text[mention.end - offset : clue.start - offset])
                ):
                    return clue.chosen
            return None
    return None


def _nearest_division_clue(analysis: Analysis, sentence: Sentence, place: PlaceMention) -> Place | None:
    if place.unmatched and place.subplace and (found := first_telling_clue(analysis, place)) is not None:
        return found
    # "the Haifa Bay area": the division of the town it is named after, in a country the article is about.
    top = max(analysis.country_weight.values(), default=0.0)
    towns = [town for town in place.containers if analysis.country_weight.get(town.country, 0.0) >= 0.5 * top > 0]
    if towns:
        return max(towns, key=lambda town: town.population)
    back = [] if topic_shift(sentence) else list(range(sentence.index - 1, max(-1, sentence.index - 4), -1))
    for index in [sentence.index, *back]:
        if index != sentence.index and analysis.sentences[index].paragraph < sentence.paragraph - 1:
            break
        clues = [
            m
            for m in analysis.places.get(index, [])
            if m.chosen is not None and (m.role == Role.EVENT or m.role in DIVISION_CLUE) and not m.explicit_admin1
        ]
        if clues:
            return min(clues, key=lambda m: abs(m.start - place.start)).chosen
    return None


def dateline_place(analysis: Analysis) -> Place | None:
    """The town of the article's dateline ("BAGHDAD —"), when the gazetteer knows it."""
    if not analysis.sentences:
        return None
    opening = analysis.sentences[0].start
    for mention in analysis.places.get(0, []):
        if mention.reference and mention.chosen is not None and mention.start - opening <= 2:
            return mention.chosen
    return None


def dominant_admin1(analysis: Analysis) -> tuple[str, str] | None:
    """The division the article mentions most (explicitly or through its places)."""
    votes: Counter[tuple[str, str]] = Counter()
    top = max(analysis.country_weight, key=lambda c: analysis.country_weight[c], default=None)
    for found in analysis.places.values():
        for mention in found:
            if mention.reference and mention.role not in DIVISION_CLUE:
                continue  # the dateline is where the reporter was, a speaker's seat where he spoke
            if mention.explicit_admin1:
                votes.update(a for a in mention.admin1s if a[0] == top)
            elif mention.chosen is not None and mention.chosen.country == top:
                votes[(mention.chosen.country, mention.chosen.admin1_code)] += 1
    return votes.most_common(1)[0][0] if votes else None


def same_place(left: Incident, right: Incident) -> bool:
    if left.place is None or right.place is None:
        return False
    if left.place.chosen is not None and right.place.chosen is not None:
        return left.place.chosen.index == right.place.chosen.index
    return left.place.key == right.place.key
