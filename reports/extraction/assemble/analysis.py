"""One pass over the article: sentences, casualty mentions, places, dates and country weights."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from datetime import date

from reports.extraction.assemble.model import Analysis
from reports.extraction.assemble.patterns import CASUALTY_HINT, CLAUSE_BREAK, CONTAINER, DATELINE, RUNNING_TOLL_CLAUSE
from reports.extraction.casualties import Mention, SubCount, find_mentions
from reports.extraction.dates import DateMention, find_dates
from reports.extraction.gazetteer import Gazetteer, Place
from reports.extraction.places import PlaceMention, Role, capital_of, choose, scan_sentence
from reports.extraction.places.countries import armed_group_countries
from reports.extraction.text import Sentence, name_key, split_sentences
from reports.extraction.tokens import Token, tokenize

# ", 4 civilians were killed in B": a clause with its own passive toll, so its own event when it names a place.
TOLL_CLAUSE = re.compile(
    r",\s+(?:and\s+|while\s+)?(?=(?:at\s+least\s+|another\s+)?(?:\d[\d,]*|a|an|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve)\s+(?:[\w-]+\s+){0,3}?(?:were|was|had\s+been|have\s+been)\s+(?:\w+\s+)?"
    r"(?:killed|wounded|injured|hurt)\b)",
    re.IGNORECASE,
)
# An article with more casualty sentences than this is a list or a dump, not a report;
# the rest is ignored so the cost stays bounded.
MAX_CASUALTY_SENTENCES = 400


def split_clauses(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """Cut a sentence that reports several events ("..., and a roadside bomb wounded three ...").

    Cuts are made at a clause boundary followed by a new event noun or a semicolon (one a
    sentence), and before every clause with its own passive toll (", 4 were killed in B, and
    one was wounded in C"); each only when both halves carry a casualty figure of their own.
    """
    result: list[Sentence] = []
    for sentence in sentences:
        start = sentence.start
        for cut in clause_cuts(sentence):
            head_end, tail_start = sentence.start + cut.start(), sentence.start + cut.end()
            if head_end <= start:
                continue
            tail_counts = find_mentions(tokenize(text[tail_start : sentence.end], offset=tail_start))[0]
            if not tail_counts:
                continue
            if not (find_mentions(tokenize(text[start:head_end], offset=start))[0] or cut.group().startswith(";")):
                continue
            result.append(Sentence(start, head_end, sentence.paragraph, 0, text[start:head_end]))
            start = tail_start
        result.append(Sentence(start, sentence.end, sentence.paragraph, 0, text[start : sentence.end]))
    return [Sentence(s.start, s.end, s.paragraph, position, s.text) for position, s in enumerate(result)]


def clause_cuts(sentence: Sentence) -> list[re.Match[str]]:
    """Where a casualty sentence may be cut, in order: see ``split_clauses``."""
    if not CASUALTY_HINT.search(sentence.text):
        return []
    cut = CLAUSE_BREAK.search(sentence.text)
    if cut is None and "; " in sentence.text:
        # "It was the third attack this month; on 3 March, gunmen killed two guards": the toll
        # after a semicolon is its own clause, with its own date.
        cut = re.search(r";\s+", sentence.text)
    cuts = [cut] if cut is not None else []
    cuts += [found for found in TOLL_CLAUSE.finditer(sentence.text) if cut is None or found.start() != cut.start()]
    cuts += list(RUNNING_TOLL_CLAUSE.finditer(sentence.text))
    return sorted(cuts, key=lambda found: found.start())


def outside_named_divisions(place: Place, divisions: set[tuple[str, str]]) -> bool:
    """Whether the article names divisions of ``place``'s country, none of them ``place``'s own."""
    own_country = {division for division in divisions if division[0] == place.country}
    return bool(own_country) and (place.country, place.admin1_code) not in own_country


def analyse(*, text: str, published: date, title: str | None, gazetteer: Gazetteer) -> Analysis:
    sentences = split_clauses(text, split_sentences(text))
    tokens: dict[int, list[Token]] = {}
    mentions: dict[int, tuple[list[Mention], list[SubCount]]] = {}
    interesting: set[int] = set()
    for sentence in sentences:
        if len(mentions) >= MAX_CASUALTY_SENTENCES:
            break
        if CASUALTY_HINT.search(sentence.text):
            tokens[sentence.index] = tokenize(sentence.text, offset=sentence.start)
            found = find_mentions(tokens[sentence.index])
            if found[0] or found[1]:
                mentions[sentence.index] = found
                interesting.update(range(max(0, sentence.index - 3), min(len(sentences), sentence.index + 3)))
    if not mentions:
        # No casualty figure anywhere: nothing to locate.
        return Analysis(sentences, tokens, mentions, {}, {}, {}, set(), {}, None)
    # Long texts: scan places only around casualty sentences so work stays linear.
    scan = range(len(sentences)) if len(sentences) <= 60 else sorted(interesting | set(range(min(5, len(sentences)))))
    places: dict[int, list[PlaceMention]] = {}
    dates: dict[int, list[DateMention]] = {}
    named: Counter[str] = Counter()
    adjectival: Counter[str] = Counter()
    place_votes: Counter[str] = Counter()
    explicit_votes: Counter[str] = Counter()
    named_by_sentence: dict[int, set[str]] = {}
    if title:
        title_tokens = tokenize(title)
        found_places, title_named, title_adjectival = scan_sentence(
            text=title, tokens=title_tokens, gazetteer=gazetteer
        )
        named.update(title_named)
        adjectival.update(title_adjectival)
        vote(found_places, place_votes, explicit_votes)
    for index in scan:
        sentence = sentences[index]
        if index not in tokens:
            tokens[index] = tokenize(sentence.text, offset=sentence.start)
        found_places, sentence_named, sentence_adjectival = scan_sentence(
            text=text, tokens=tokens[index], gazetteer=gazetteer
        )
        if index == 0:
            dateline = DATELINE.match(sentence.text)
            for mention in found_places:
                if dateline and mention.end <= sentence.start + dateline.end():
                    mention.reference = True
        places[index] = found_places
        named_by_sentence[index] = set(sentence_named)
        named.update(sentence_named)
        adjectival.update(sentence_adjectival)
        vote(found_places, place_votes, explicit_votes)
        dates[index] = find_dates(text=text, start=sentence.start, end=sentence.end, published=published)
    remention_subplaces(text, sentences, places)
    groups = armed_group_countries(text if title is None else f"{title}\n{text}")
    weight: dict[str, float] = {}
    for country in set(named) | set(adjectival) | set(place_votes) | set(explicit_votes) | set(groups):
        weight[country] = (
            3.0 * min(named[country], 4)
            + 0.5 * min(adjectival[country], 4)
            + 1.0 * min(place_votes[country], 6)
            + 3.0 * min(explicit_votes[country], 3)
            + 2.0 * min(groups[country], 2)
        )
    supported = {
        country
        for country in weight
        if named[country] or adjectival[country] or explicit_votes[country] or groups[country]
    }
    if supported:
        for country in set(weight) - supported:
            # Known only through place names that other countries share ("Palma" in a story about
            # Mozambique): weak evidence beside a country the article names.
            weight[country] *= 0.5
    top_weight = max(weight.values(), default=0.0)
    for found_places in places.values():
        for mention in found_places:
            if mention.bare_admin1:
                mention.admin1s = tuple(a for a in mention.admin1s if weight.get(a[0], 0.0) >= 0.5 * top_weight)
                mention.explicit_admin1 = bool(mention.admin1s)
    article_admin1s: set[tuple[str, str]] = set()
    for found_places in places.values():
        for mention in found_places:
            if mention.explicit_admin1:
                article_admin1s.update(mention.admin1s)
    top_countries = (
        [c for c in sorted(weight, key=lambda c: -weight[c]) if weight[c] >= 0.5 * max(weight.values())][:2]
        if weight
        else []
    )
    unknown_names: set[str] = set()
    # Divisions named as such ("Zamfara state"), not the divisions of the towns the article names.
    named_divisions = set(article_admin1s)
    for found_places in places.values():
        sentence_admin1s = {admin1 for mention in found_places for admin1 in mention.admin1s if mention.explicit_admin1}
        for mention in list(found_places):
            if mention.unmatched:
                fuzzy = gazetteer.fuzzy_place(mention.key, countries=top_countries) if top_countries else None
                if fuzzy is not None and outside_named_divisions(fuzzy, named_divisions):
                    # "Kurya village" in a story about Zamfara state is no misspelling of Kura in Kano.
                    fuzzy = None
                if fuzzy is None:
                    if not mention.subplace and (
                        division_follows(mention, found_places, text) or counted_in_list(mention, found_places, text)
                    ):
                        # "in an ambush in El Aguaje, in the western state of Michoacan": a village the
                        # gazetteer lacks, placed by the division named right after it; "killed 21 people
                        # in A and 19 in B": villages the gazetteer lacks, each with its own toll.
                        mention.subplace = True
                    if not mention.subplace:
                        found_places.remove(mention)
                    continue
                mention.candidates = [fuzzy]
        for mention in found_places:
            if division_not_village(mention, weight):
                continue
            mention.chosen = choose(
                mention, country_weight=weight, sentence_admin1s=sentence_admin1s, article_admin1s=article_admin1s
            )
            if (
                mention.chosen is None
                and mention.candidates
                and not mention.explicit_admin1
                and top_countries
                and len(mention.key) >= 5
            ):
                fuzzy = gazetteer.fuzzy_place(mention.key, countries=top_countries)
                if fuzzy is not None and not outside_named_divisions(fuzzy, named_divisions):
                    mention.chosen = fuzzy
            if misread_spelling(mention, found_places, text, sentence_admin1s, article_admin1s) or (
                mention.chosen is None and foreign_spelling_of_village(mention, found_places, text)
            ):
                unknown_names.add(as_unknown_place(mention))
                continue
            if mention.chosen is not None and not mention.explicit_admin1 and mention.chosen.population > 100_000:
                article_admin1s.add((mention.chosen.country, mention.chosen.admin1_code))
        check_containers(found_places, text)
    for found_places in places.values():
        for mention in found_places:
            if mention.key in unknown_names and mention.candidates and not mention.explicit_admin1:
                # The same name read as an unknown place where the article counts its dead is one everywhere.
                as_unknown_place(mention)
    capital = main_capital(gazetteer, weight)
    return Analysis(sentences, tokens, mentions, places, dates, weight, article_admin1s, named_by_sentence, capital)


def remention_subplaces(text: str, sentences: list[Sentence], places: dict[int, list[PlaceMention]]) -> None:
    """A district the gazetteer lacks, named again later without its cue word ("near the X shrine").

    The first telling ("the X district") makes the name a place for the rest of the article.
    """
    names = {
        mention.surface: mention
        for found in places.values()
        for mention in found
        if mention.subplace and mention.unmatched and len(mention.surface.split()) >= 2
    }
    for surface, first in names.items():
        pattern = re.compile(r"(?<![\w-])" + re.escape(surface) + r"(?![\w-])")
        for index, found in places.items():
            sentence = sentences[index]
            for match in pattern.finditer(text, sentence.start, sentence.end):
                start, end = match.start(), match.end()
                overlapping = [m for m in found if m.start < end and start < m.end]
                if any(m.start < start or m.end > end or m.chosen is not None for m in overlapping):
                    continue  # a longer or resolved name holds these words
                for mention in overlapping:
                    found.remove(mention)  # "Jadid" alone, inside "Qadam Jadid"
                found.append(
                    PlaceMention(
                        start, end, surface, first.key, subplace=True, unmatched=True, containers=first.containers
                    )
                )
            found.sort(key=lambda m: m.start)


def division_follows(mention: PlaceMention, found_places: list[PlaceMention], text: str) -> bool:
    """An unknown name followed closely by a named division ("in Inates in Niger's Tillaberi region")."""
    for other in found_places:
        if other.explicit_admin1 and 0 < other.start - mention.end <= 45:
            between = text[mention.end : other.start]
            if re.fullmatch(r"[\s,]*(?:in|of)\s+(?:the\s+)?(?:[\w'\u2019-]+\s+){0,3}", between):
                return True
    return False


# "21 people in A", "19 in B": a count right before "in" and a name.
_COUNT_IN = re.compile(
    r"\b(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|dozens?)\s+(?:[a-z]+\s+){0,3}?(?:in|at)\s+$",
    re.IGNORECASE,
)


def misread_spelling(
    mention: PlaceMention,
    found_places: list[PlaceMention],
    text: str,
    sentence_admin1s: set[tuple[str, str]],
    article_admin1s: set[tuple[str, str]],
) -> bool:
    """ "four in Sabon Gari" in a story about Zamfara: a town reached only through another spelling, in a
    division the article never names while the sentence (or, for a list of tolls by place, the article)
    names another of that country, is no reading of the name.
    """
    chosen = mention.chosen
    if (
        chosen is None
        or mention.explicit_admin1
        or spelled_alike(name_key(chosen.name), mention.key)
        or (chosen.country, chosen.admin1_code) in article_admin1s
    ):
        return False
    return any(admin1[0] == chosen.country for admin1 in sentence_admin1s) or (
        counted_in_list(mention, found_places, text) and any(admin1[0] == chosen.country for admin1 in article_admin1s)
    )


def as_unknown_place(mention: PlaceMention) -> str:
    """Make the mention a place the gazetteer lacks, kept as the article spells it; its key."""
    mention.chosen, mention.candidates, mention.unmatched, mention.subplace = None, [], True, True
    return mention.key


def spelled_alike(name: str, other: str) -> bool:
    """Two keys that spell one name ("hamah" and "hama"), not two names ("sabongarinnangere", "sabongari")."""
    return difflib.SequenceMatcher(None, name, other).ratio() >= 0.8


def foreign_spelling_of_village(mention: PlaceMention, found_places: list[PlaceMention], text: str) -> bool:
    """A name whose only towns lie in countries the story is not about, counted in a list of tolls by place."""
    return (
        bool(mention.candidates)
        and not mention.admin1s
        and not mention.reference
        and bool(re.search(r"\b(?:in|at)\s+$", text[max(0, mention.start - 4) : mention.start]))
        and counted_in_list(mention, found_places, text)
    )


def counted_in_list(mention: PlaceMention, found_places: list[PlaceMention], text: str) -> bool:
    """An unknown name with a count before it, beside another place with its own count ("killed 21 people
    in A and 19 in B"): one place of a list of tolls by place."""
    if not _COUNT_IN.search(text[max(0, mention.start - 40) : mention.start]):
        return False
    return any(
        other is not mention
        and abs(other.start - mention.start) <= 80
        and _COUNT_IN.search(text[max(0, other.start - 40) : other.start])
        for other in found_places
    )


def division_not_village(mention: PlaceMention, weight: dict[str, float]) -> bool:
    """ "in Anbar" in a story about Iraq is the province, not a same-named village abroad.

    When every town of that name lies in a country the article weighs no more
    than the division's, the mention becomes the division.
    """
    if not mention.admin1s or mention.explicit_admin1 or not mention.candidates:
        return False
    division_countries = {admin1[0] for admin1 in mention.admin1s}
    if any(place.country in division_countries for place in mention.candidates):
        return False
    best_town = max(weight.get(place.country, 0.0) for place in mention.candidates)
    best_division = max(weight.get(country, 0.0) for country in division_countries)
    if best_division <= 0.0 or best_division < best_town:
        return False
    mention.admin1s = tuple(a for a in mention.admin1s if weight.get(a[0], 0.0) >= best_town)
    mention.chosen = None
    mention.candidates = []
    mention.explicit_admin1 = mention.bare_admin1 = True
    return True


def main_capital(gazetteer: Gazetteer, weight: dict[str, float]) -> Place | None:
    """The capital of the article's main country, for "the capital" in the text."""
    if not weight:
        return None
    country = max(weight, key=lambda c: weight[c])
    return capital_of(gazetteer, country)


def check_containers(found_places: list[PlaceMention], text: str) -> None:
    """ "the X district of Kabul": X must lie in Kabul's division, else its match is wrong."""
    for position, mention in enumerate(found_places[:-1]):
        container = found_places[position + 1]
        if not (mention.subplace and mention.chosen is not None and container.chosen is not None):
            continue
        if not CONTAINER.match(text[mention.end : container.start]):
            continue
        if (mention.chosen.country, mention.chosen.admin1_code) != (
            container.chosen.country,
            container.chosen.admin1_code,
        ):
            mention.chosen = None


def vote(found_places: list[PlaceMention], place_votes: Counter[str], explicit_votes: Counter[str]) -> None:
    for mention in found_places:
        if mention.explicit_admin1 and not mention.bare_admin1:
            for country in {admin1[0] for admin1 in mention.admin1s}:
                explicit_votes[country] += 1
        if (not mention.explicit_admin1 or mention.bare_admin1) and len({admin1[0] for admin1 in mention.admin1s}) == 1:
            place_votes[mention.admin1s[0][0]] += 1
        # A place of that very name outranks one that only had it once ("Islamabad", an old name of Chattogram).
        named_so = [place for place in mention.candidates if name_key(place.name) == mention.key]
        own = named_so or mention.candidates
        largest = max((place.population for place in own), default=0)
        # A town of 50,000 beside a namesake twice its size is the lesser reading.
        big = {place.country for place in own if place.population >= max(50_000, largest // 2)}
        if len(big) == 1 and not named_so:
            # Known only by another spelling ("Otawa" for Ottawa, an unknown Nigerian village): weak evidence.
            place_votes[next(iter(big))] += 0.5  # type: ignore[assignment]
        elif len(big) == 1:
            # A dateline city is where the reporter files from: the country the story is about.
            place_votes[next(iter(big))] += 2 if mention.role == Role.DATELINE else 1
        elif len(mention.candidates) == 1:
            place_votes[mention.candidates[0].country] += 0.5  # type: ignore[assignment]
