"""Noun phrases and verb frames around a count: the evidence for its role."""

from __future__ import annotations

from reports.extraction.casualties.words import (
    AGE_WORDS,
    AUXILIARIES,
    CHILD_WORDS,
    CLAUSE_END,
    INJURE_ACTIVE,
    INJURE_PASSIVE,
    KILL_ACTIVE,
    KILL_PASSIVE,
    LIST_PERSONS,
    MONTH_WORDS,
    NP_STOP,
    PERSON_SINGULAR,
    UNITS,
    WOMEN_WORDS,
)
from reports.extraction.numbers import Count, parse_count
from reports.extraction.tokens import Token


def noun_phrase(tokens: list[Token], index: int, *, limit: int = 7, allow_and: bool = True) -> int:
    """Index one past a short noun phrase starting at ``index``."""
    position = index
    while position < len(tokens) and position - index < limit:
        token = tokens[position]
        if not allow_and and token.lower == "and":
            break
        if (
            token.text == ","
            and position - index <= 3
            and position + 2 < len(tokens)
            and tokens[position + 1].is_word
            and tokens[position + 1].lower
            not in NP_STOP
            | {
                "including",
                "most",
                "mostly",
                "many",
                "all",
                "among",
                "state",
                "local",
                "police",
                "officials",
                "a",
                "an",
            }
            and any(t.lower == "and" for t in tokens[position + 1 : position + 5])
            and list_ends_passive(tokens, position)
        ):
            position += 1
            continue
        if (
            position > index
            and tokens[position - 1].lower == "of"
            and token.lower in ("the", "a", "one", "his", "her", "their")
            and tokens[position - 2].lower in ("members", "member", "relatives", "people")
        ):
            # "four members of the same family": the phrase goes on after "of the".
            position += 1
            continue
        if (
            position == index
            and token.lower == "of"
            and position + 2 < len(tokens)
            and tokens[position + 1].lower in ("its", "their", "his", "her", "our")
            and tokens[position + 2].is_word
        ):
            # "nine of its staff", "two of their children": the people are named after "of its".
            position += 2
            continue
        if token.lower == "and" and position > index and _their_person(tokens, position + 1):
            position += 2  # "six engineers and their driver": the phrase goes on past "and their"
            continue
        if token.text in CLAUSE_END or (
            token.lower in NP_STOP
            and not (
                token.lower == "of"
                and position + 1 < len(tokens)
                and tokens[position + 1].lower in ("one", "a", "the", "his", "her", "their", "two", "three")
                and position - index <= 2
                and tokens[position - 1].lower in ("members", "member", "relatives", "people")
            )
            and not (
                token.lower == "and"
                and position + 1 < len(tokens)
                and tokens[position + 1].is_word
                and parse_count(tokens, position + 1) is None
                and position + 1 < len(tokens)
                and tokens[position + 1].lower not in KILL_ACTIVE | INJURE_ACTIVE | NP_STOP
            )
        ):
            break
        if token.is_number and not (position + 1 < len(tokens) and tokens[position + 1].text == "-"):
            break
        position += 1
    return position


def _their_person(tokens: list[Token], position: int) -> bool:
    """ "six engineers and their (Pakistani) driver": one more person, named through those before."""
    if position >= len(tokens) or tokens[position].lower not in ("their", "his", "her"):
        return False
    return any(token.lower in PERSON_SINGULAR | LIST_PERSONS for token in tokens[position + 1 : position + 3])


def list_ends_passive(tokens: list[Token], position: int) -> bool:
    """ "rebels, soldiers and Hezbollah members had been killed": a list, not a new clause."""
    for ahead in tokens[position + 1 : position + 12]:
        if ahead.lower in ("said", "says", "told", "according") or ahead.text in (";", ".", ":"):
            return False
        if ahead.lower in KILL_PASSIVE | INJURE_PASSIVE:
            return True
    return False


# Words between a number and the things it counts: "four passing cars", "three nearby buildings".
_THING_ADJECTIVES = frozenset({"passing", "parked", "nearby", "neighbouring", "neighboring", "residential", "civilian"})
_HOUSEHOLD = frozenset({"family", "household", "clan", "home"})


def is_non_count(tokens: list[Token], count: Count) -> bool:
    """Ages, distances, years, days of the month and other numbers that are never victims."""
    after = [token.lower for token in tokens[count.last : count.last + 3]]
    before = tokens[count.first - 1].lower if count.first > 0 else ""
    if (after[:1] and after[0] in MONTH_WORDS) or (
        after[:2] and after[0] == "of" and after[1:2] and after[1] in MONTH_WORDS
    ):
        return True
    if before in MONTH_WORDS and count.low <= 31:
        return True
    if _day_of_a_list(tokens, count) or _clock_time(tokens, count):
        return True
    if before in ("of", "from") and count.low == 1 and after[:1] and after[0] in _HOUSEHOLD:
        # "Three members of one family were killed": the family is one, its dead are three.
        return True
    if after[:2] == ["-", "year"] or after[:1] == ["year"] or (after[:1] == ["-"] and after[1:2] and after[1] in UNITS):
        return True
    if (
        before
        in (
            "aged",
            "age",
            "resolution",
            "number",
            "no",
            "route",
            "highway",
            "m",
            "road",
            "flight",
            "article",
            "page",
            "of",
        )
        and before != "of"
    ):
        return True
    if after[:1] and after[0] in UNITS:
        return True
    if len(after) > 1 and after[1] in UNITS and after[0] in _THING_ADJECTIVES:
        return True  # "four passing cars caught fire and some motorists were killed"
    value_token = tokens[count.first if count.first == count.last - 1 else count.last - 1]
    # A bare four-digit year ("in 2014"), not "2,014 people".
    return (
        value_token.is_number and 1900 <= count.low <= 2100 and count.low == count.high and "," not in value_token.text
    )


def day_then_figure(tokens: list[Token], count: Count) -> bool:
    """ "since May 10 to 227": a range whose low end is a day of the month named before it."""
    before = tokens[count.first - 1].lower if count.first > 0 else ""
    return before in MONTH_WORDS and count.low <= 31 < count.high


def _day_of_a_list(tokens: list[Token], count: Count) -> bool:
    """ "On 3 and 4 May", "on 2, 3 and 5 June": days of the month listed before the month's name."""
    if count.low > 31 or count.vague:
        return False
    position = count.last
    while position + 1 < len(tokens) and tokens[position].lower in (",", "and", "to", "-", "\u2013", "or"):
        following = tokens[position + 1]
        if not (following.is_number and following.text.isdigit() and int(following.text) <= 31):
            return False
        position += 2
        if position < len(tokens) and tokens[position].lower in MONTH_WORDS:
            return True
    return False


def _glued(tokens: list[Token], first: int, last: int) -> bool:
    """Whether tokens first..last are written with no space between them."""
    return all(tokens[i].end == tokens[i + 1].start for i in range(first, last))


def _clock_time(tokens: list[Token], count: Count) -> bool:
    """ "as of 8:00", "at 07:30 GMT", "at 9 a.m.": the time of day, never a figure."""
    after = [token.text.lower() for token in tokens[count.last : count.last + 3]]
    # "8:00" is written solid; "rose to 22: 12 staff and 10 patients" opens a list.
    solid = count.last + 1 < len(tokens) and _glued(tokens, count.last - 1, count.last + 1)
    if after[:1] == [":"] and len(after) > 1 and after[1].isdigit() and len(after[1]) == 2 and solid:
        return True
    if count.first > 1 and tokens[count.first - 1].text == ":" and count.low < 60:
        # the minutes of "8:00"
        return tokens[count.first - 2].is_number and _glued(tokens, count.first - 2, count.first)
    return after[:2] in (["a", "."], ["p", "."]) and (len(after) < 3 or after[2] == "m")


def among_clause(tokens: list[Token]) -> int | None:
    """Where the victims start in "Among the six (people) killed in the raid(, ...) were a woman and ...".

    The sentence opens with "Among"; the first "were"/"was" after a killed word begins the
    list of those among the dead. None when the sentence is not of that shape.
    """
    if not tokens or tokens[0].lower != "among":
        return None
    killed_at = next(
        (index for index, token in enumerate(tokens[:12]) if token.lower in KILL_PASSIVE | INJURE_PASSIVE), None
    )
    if killed_at is None or tokens[killed_at].lower in INJURE_PASSIVE:
        return None
    for index in range(killed_at + 1, min(len(tokens), killed_at + 30)):
        if tokens[index].lower in ("were", "was") and tokens[index - 1].lower not in ("which", "who", "that"):
            return index + 1
        if tokens[index].text in (";", ".", ":"):
            return None
    return None


def lookback_has(tokens: list[Token], index: int, words: frozenset[str], window: int) -> int | None:
    for position in range(index - 1, max(-1, index - 1 - window), -1):
        if tokens[position].lower in words:
            return position
    return None


def group_of(nouns: list[str], tokens: list[Token], count: Count) -> str | None:
    window = nouns + [token.lower for token in tokens[count.last : count.last + 12]]
    if nouns and any(word in CHILD_WORDS for word in nouns[:3]):
        return "children"
    if nouns and any(word in WOMEN_WORDS for word in nouns[:3]):
        return "women"
    if window[:2] in (["of", "them"], ["of", "whom"]) and len(window) > 2:
        # "64 dead, 18 of them children"
        following = window[3] if window[2] in ("were", "was", "are") and len(window) > 3 else window[2]
        if following in CHILD_WORDS:
            return "children"
        if following in WOMEN_WORDS:
            return "women"
    text = " ".join(window)
    if "were children" in text or "minors" in window[:8] or _under_age(window[:8]):
        return "children"
    if "were women" in text:
        return "women"
    return None


def combined(tokens: list[Token], position: int) -> bool:
    """ "killed and wounded", "dead or injured" from ``position``: both together, neither figure alone."""
    return (
        position + 2 < len(tokens)
        and tokens[position].lower in KILL_PASSIVE | INJURE_PASSIVE
        and tokens[position + 1].lower in ("and", "or")
        and tokens[position + 2].lower in KILL_PASSIVE | INJURE_PASSIVE
        and (tokens[position].lower in KILL_PASSIVE) != (tokens[position + 2].lower in KILL_PASSIVE)
    )


def _under_age(words: list[str]) -> bool:
    """ "under the age of 12", "aged under 15", "under 18": younger than 18."""
    for index, word in enumerate(words):
        if word != "under":
            continue
        rest = words[index + 1 : index + 5]
        if rest[:3] == ["the", "age", "of"]:
            rest = rest[3:]
        elif rest[:1] == ["age"]:
            rest = rest[1:]
        if rest and (rest[0].isdigit() or rest[0] in AGE_WORDS):
            age = int(rest[0]) if rest[0].isdigit() else AGE_WORDS[rest[0]]
            return age <= 18
    return False


def passive_role(tokens: list[Token], count: Count, np_end: int) -> str | None:
    first_noun = tokens[count.last].lower if count.last < len(tokens) else ""
    if combined(tokens, count.last):
        return None
    if first_noun in (
        "dead",
        "bodies",
        "corpses",
        "deaths",
        "fatalities",
        "killed",
        "died",
        "martyrs",
        "homicides",
        "murders",
        "killings",
    ):
        return "killed"
    if first_noun in ("wounded", "injured", "injuries", "hurt"):
        return "injured"
    position = np_end
    if (
        (
            position + 1 < len(tokens)
            and tokens[position].text == ","
            and tokens[position + 1].lower
            in (
                "including",
                "among",
                "mostly",
                "most",
                "many",
                "mainly",
                "about",
                "half",
                "nearly",
                "almost",
                "all",
                "both",
            )
        )
        or _of_them_aside(tokens, position)
        or breakdown_aside(tokens, position) is not None
    ):
        # Skip a parenthetical: "At least 40 Palestinians, including eight children, have been killed".
        for close in range(position + 2, min(len(tokens), position + 36)):
            if tokens[close].text == ",":
                position = close + 1
                break
            if tokens[close].text in CLAUSE_END:
                break
            if (
                tokens[close].lower in ("were", "was")
                and tokens[position + 1].lower == "including"
                and tokens[close - 1].lower not in ("who", "that", "which")
                and close + 1 < len(tokens)
                and tokens[close + 1].lower in KILL_PASSIVE | INJURE_PASSIVE
            ):
                # "212 residents, including 80 minors and 30 women were killed": no closing comma.
                position = close
                break
    if position < len(tokens) and tokens[position].lower == "including" and position > count.last:
        # "fourteen people including a volunteer fighter were killed": skip the inclusion.
        for ahead in range(position + 1, min(len(tokens), position + 9)):
            if tokens[ahead].text in CLAUSE_END:
                break
            if tokens[ahead].lower in ("were", "was", "had", "have", "has"):
                position = ahead
                break
    if (
        position < len(tokens)
        and tokens[position].lower in ("from", "on", "of", "in", "with")
        and (
            position > count.last
            # "Four of my neighbours were killed"
            or (
                tokens[position].lower == "of"
                and position + 1 < len(tokens)
                and tokens[position + 1].lower in ("my", "our", "his", "her", "their", "your")
            )
        )
    ):
        # "80 fighters from both sides had been killed"
        for ahead in range(position + 1, min(len(tokens), position + 6)):
            if tokens[ahead].text in CLAUSE_END:
                break
            if tokens[ahead].lower in ("were", "was", "had", "have", "has"):
                position = ahead
                break
    if position < len(tokens) and tokens[position].lower in ("who", "that") and position - count.last <= 3:
        # "doctors treated 52 who were injured"
        position += 1
    skipped = 0
    while (
        position < len(tokens) and skipped < 6 and (tokens[position].lower in AUXILIARIES or _adverb(tokens, position))
    ):
        position += 1
        skipped += 1
    if position >= len(tokens):
        return None
    if combined(tokens, position):
        return None
    word = tokens[position].lower
    if (
        position == np_end
        and word in KILL_PASSIVE | INJURE_PASSIVE | {"shot"}
        and _object_follows(tokens, position + 1)
    ):
        # "Two roadside bombs wounded eleven people": the count is the weapon or attacker, not the victims.
        return None
    if word in ("shot", "found") and position + 1 < len(tokens) and tokens[position + 1].lower == "dead":
        return "killed"  # "were shot dead", "were found dead"
    if word in ("lost", "losing") and position + 2 < len(tokens) and tokens[position + 2].lower == "lives":
        return "killed"
    if word in ("lost", "claimed", "taken") and np_end > count.last and tokens[np_end - 1].lower in ("lives", "life"):
        return "killed"  # "198 lives were lost", "12 lives were claimed"
    following = [token.lower for token in tokens[position + 1 : position + 4]]
    if (
        word in ("hospitalised", "hospitalized")
        or (word == "treated" and following[:1] == ["for"] and _HURT_NOUNS & set(following[1:]))
        or (word in ("sustained", "suffered") and _HURT_NOUNS & set(following))
    ):
        return "injured"  # "were treated for injuries", "sustained shrapnel wounds", "were hospitalised"
    if word in KILL_PASSIVE and word not in ("lives", "bodies", "deaths", "fatalities"):
        return "killed"
    if word in INJURE_PASSIVE and word != "injuries":
        return "injured"
    if np_end > count.last and tokens[np_end - 1].lower in (
        "bodies",
        "corpses",
        "dead",
        "deaths",
        "fatalities",
        "homicides",
        "murders",
        "killings",
    ):
        # "64 civilian deaths", "31 murders"
        return "killed"
    return None


_HURT_NOUNS = frozenset({"injuries", "wounds", "burns"})


def _object_follows(tokens: list[Token], position: int) -> bool:
    """A victim count right after the verb: "... wounded eleven people", "... killed at least 9"."""
    if position < len(tokens) and tokens[position].lower == "dead" and position + 1 < len(tokens):
        position += 1  # "shot dead two"
    if position >= len(tokens):
        return False
    following = parse_count(tokens, position)
    return following is not None and not (tokens[position].lower in ("a", "an") and following.low == 1)


def breakdown_aside(tokens: list[Token], position: int) -> int | None:
    """ "Nine members of a family, three women and six children, were killed": the people counted again by
    kind between commas; the index of the closing comma, or None."""
    if position + 3 >= len(tokens) or tokens[position].text != ",":
        return None
    part = parse_count(tokens, position + 1)
    if part is None or part.last >= len(tokens) or tokens[part.last].lower not in CHILD_WORDS | WOMEN_WORDS:
        return None
    for close in range(part.last + 1, min(len(tokens), position + 14)):
        if tokens[close].text == ",":
            following = [token.lower for token in tokens[close + 1 : close + 4]]
            verb = following[1:2] if following[:1] in (["were"], ["was"]) else []
            return close if verb and verb[0] in KILL_PASSIVE | INJURE_PASSIVE else None
        if tokens[close].text in CLAUSE_END or tokens[close].lower in KILL_PASSIVE | INJURE_PASSIVE:
            return None
    return None


def _of_them_aside(tokens: list[Token], position: int) -> bool:
    """ "Eight people, two of them children, were killed": a part of the count set off by commas."""
    if position + 3 >= len(tokens) or tokens[position].text != ",":
        return False
    part = parse_count(tokens, position + 1)
    return part is not None and [token.lower for token in tokens[part.last : part.last + 2]] in (
        ["of", "them"],
        ["of", "whom"],
    )


def _adverb(tokens: list[Token], position: int) -> bool:
    """ "were lightly and moderately wounded", "were seriously hurt": manner words before the verb."""
    word = tokens[position].lower
    if word in ("and", "or"):
        return (
            position > 0
            and position + 1 < len(tokens)
            and tokens[position - 1].lower.endswith("ly")
            and tokens[position + 1].lower.endswith("ly")
        )
    return len(word) > 4 and word.endswith("ly") and word.isalpha() and word not in ("only", "early", "family")


def is_minor(nouns: list[str]) -> bool:
    """ "a 10-year-old", "a six-year-old boy": an age under 18 in the phrase."""
    for index, word in enumerate(nouns):
        if word == "year" and index >= 2 and nouns[index - 1] == "-":
            age_word = nouns[index - 2]
            age = int(age_word) if age_word.isdigit() else AGE_WORDS.get(age_word, 99)
            return age < 18
    return False
