"""Victims named one by one: \"shot dead a man\", \"a woman and her two daughters\"."""

from __future__ import annotations

from reports.extraction.casualties.model import Mention, SubCount
from reports.extraction.casualties.phrases import is_minor, noun_phrase, passive_role
from reports.extraction.casualties.words import (
    CHILD_WORDS,
    DEMONYM_PERSONS,
    INJURE_ACTIVE,
    INJURE_PASSIVE,
    KILL_ACTIVE,
    KILL_PASSIVE,
    PERSON_PLURAL,
    PERSON_SINGULAR,
    SINGULAR_ATTACKERS,
    WOMEN_WORDS,
)
from reports.extraction.numbers import Count, parse_count
from reports.extraction.tokens import Token


def singular_victims(
    tokens: list[Token], mentions: list[Mention], subcounts: list[SubCount], among_head: int | None = None
) -> list[Mention]:
    """ "shot dead a man", "killing a 10-year-old girl and her mother", "a boy was killed"."""
    found: list[Mention] = []
    taken = {(mention.start, mention.end) for mention in mentions}
    position = 0
    while position < len(tokens):
        word = tokens[position].lower
        if word == "another" and (kind := _another(tokens, position)) is not None:
            # "four guards were killed and another injured": one more victim, told without a noun;
            # "two died and another was killed": one more of the same figure.
            same = [m for m in mentions if m.kind == kind and m.end <= tokens[position].start]
            if same:
                same[-1].low += 1
                same[-1].high += 1
            else:
                found.append(
                    Mention(kind, 1, 1, False, tokens[position].start, tokens[position].end, nouns=["another"])
                )
            position += 1
            continue
        if word not in ("a", "an", "one"):
            position += 1
            continue
        if any(mention.start <= tokens[position].start < mention.end for mention in mentions):
            # Inside a figure already read: "One soldier was killed", "two men and a boy were killed".
            position += 1
            continue
        np_end = noun_phrase(tokens, position + 1, limit=8, allow_and=False)
        nouns = [token.lower for token in tokens[position + 1 : np_end]]
        person = next((noun for noun in reversed(nouns) if noun in PERSON_SINGULAR), None)
        if person is None and nouns and nouns[-1] in DEMONYM_PERSONS:
            person = nouns[-1]
        if person is None or person in SINGULAR_ATTACKERS:
            position += 1
            continue
        before = [token.lower for token in tokens[max(0, position - 3) : position]]
        start, end = tokens[position].start, tokens[np_end - 1].end
        extra_people = []
        cursor = np_end
        # "... and her mother", "... and a child"
        while cursor + 1 < len(tokens) and tokens[cursor].lower == "and":
            look = cursor + 1
            if tokens[look].lower in ("his", "her", "their", "a", "an"):
                look += 1
            counted = parse_count(tokens, look) if look < len(tokens) else None
            if counted is not None and _age(tokens, counted.last):
                counted = None  # "and a 45-year-old man": an age, one more person
            if counted is not None and not counted.vague:
                # "a woman and her two daughters"
                noun_start = counted.last
                if (
                    noun_start + 1 < len(tokens)
                    and tokens[noun_start].lower == "of"
                    and tokens[noun_start + 1].lower in ("his", "her", "their", "the")
                ):
                    # "and four of his bodyguards"
                    noun_start += 2
                look_end = noun_phrase(tokens, noun_start, limit=3, allow_and=False)
                words = [token.lower for token in tokens[noun_start:look_end]]
                if words and words[-1] in CHILD_WORDS | WOMEN_WORDS | PERSON_PLURAL:
                    extra_people.extend([words[-1]] * counted.low)
                    end = tokens[look_end - 1].end
                    cursor = look_end
                    continue
                break
            look_end = noun_phrase(tokens, look, limit=8, allow_and=False)  # "a 45-year-old man": 6 tokens
            words = [token.lower for token in tokens[look:look_end]]
            if words and words[-1] in PERSON_SINGULAR:
                extra_people.append(words[-1])
                end = tokens[look_end - 1].end
                cursor = look_end
            else:
                break
        kind = None
        if (before[-1:] and before[-1] in KILL_ACTIVE) or before[-2:] in (["shot", "dead"], ["gunned", "down"]):
            kind = "killed"
        elif before[-1:] and before[-1] in INJURE_ACTIVE:
            kind = "injured"
        elif (
            before[-1:] in (["including"],)
            or before[-2:] == ["among", "them"]
            or (before[-1:] == ["and"] and any(0 <= start - sub.start < 60 for sub in subcounts))
            or (among_head is not None and position >= among_head)
        ):
            _add_subcounts(subcounts, [person, *extra_people], start, minor=is_minor(nouns))
            position = cursor
            continue
        elif before[-1:] == ["and"] and _gapped(tokens, position, cursor, mentions):
            # "Two guards were killed at the depot and a soldier at the airfield": the verb is not repeated.
            target = _gapped(tokens, position, cursor, mentions)
            assert target is not None
            target.low += 1 + len(extra_people)
            target.high += 1 + len(extra_people)
            position = cursor
            continue
        else:
            role = passive_role(tokens, Count(1, 1, position, np_end, False), cursor)
            rest = [token.lower for token in tokens[cursor : cursor + 4]]
            if rest[:3] in (["was", "among", "the"], ["were", "among", "the"]):
                group = (
                    "children"
                    if person in CHILD_WORDS or is_minor(nouns)
                    else "women"
                    if person in WOMEN_WORDS
                    else None
                )
                # "a toddler was among the 52 who were injured": among the hurt, not the dead
                words = [token.lower for token in tokens[cursor + 3 : cursor + 9]]
                hurt = next((w for w in words if w in KILL_PASSIVE | INJURE_PASSIVE), "") in INJURE_PASSIVE
                if group:
                    subcounts.append(SubCount(group, 1, start, not hurt))
                position = cursor
                continue
            if role and before[-1:] != ["of"]:
                kind = role
        if kind and extra_people:
            # "A mother and her three children were killed": the three are inside this figure.
            mentions[:] = [m for m in mentions if not (start <= m.start and m.end <= end)]
        if (kind and (start, end) not in taken and position > 0) or (kind and position == 0):
            total = 1 + len(extra_people)
            mention = Mention(kind, total, total, False, start, end, nouns=nouns + extra_people)
            everyone = [person, *extra_people]
            children = sum(1 for noun in everyone if noun in CHILD_WORDS) + (
                1 if is_minor(nouns) and person not in CHILD_WORDS else 0
            )
            women = sum(1 for noun in everyone if noun in WOMEN_WORDS)
            mention.children = children or None
            mention.women = women or None
            found.append(mention)
        position = max(cursor, position + 1)
    return found


def _age(tokens: list[Token], after: int) -> bool:
    """Whether the number ending before ``after`` is an age: "45-year-old"."""
    words = [token.lower for token in tokens[after : after + 2]]
    return words in (["-", "year"], ["-", "years"])


def _add_subcounts(subcounts: list[SubCount], people: list[str], start: int, *, minor: bool) -> None:
    """Children and women among people named one by one, summed per group ("a mother and two children")."""
    children = sum(1 for person in people if person in CHILD_WORDS) + (
        1 if minor and people[0] not in CHILD_WORDS else 0
    )
    women = sum(1 for person in people if person in WOMEN_WORDS)
    if children:
        subcounts.append(SubCount("children", children, start, True))
    if women:
        subcounts.append(SubCount("women", women, start, True))


_GAP_PREPOSITIONS = frozenset({"at", "in", "on", "near", "inside", "outside"})


def _gapped(tokens: list[Token], position: int, cursor: int, mentions: list[Mention]) -> Mention | None:
    """The figure whose passive verb a singular victim shares: "... were killed at A and a soldier at B"."""
    if cursor >= len(tokens) or tokens[cursor].lower not in _GAP_PREPOSITIONS:
        return None
    earlier = [mention for mention in mentions if mention.end <= tokens[position].start]
    if not earlier:
        return None
    target = earlier[-1]
    between = [token for token in tokens if target.end <= token.start < tokens[position].start]
    if len(between) > 10 or any(token.text in (",", ";", ":") or token.lower in ("said", "says") for token in between):
        return None
    verbs = [token for token in between if token.lower in KILL_PASSIVE | INJURE_PASSIVE]
    if len(verbs) != 1 or (verbs[0].lower in KILL_PASSIVE) != (target.kind == "killed"):
        return None
    return target


def _another(tokens: list[Token], position: int) -> str | None:
    """The role of a bare "another" right before a casualty verb: "and another injured", "another was killed"."""
    if position == 0 or tokens[position - 1].lower != "and":
        return None
    look = position + 1
    while look < len(tokens) and tokens[look].lower in ("was", "is", "had", "has", "been", "also"):
        look += 1
    if look >= len(tokens) or (look + 1 < len(tokens) and tokens[look + 1].lower in ("and", "or")):
        return None
    word = tokens[look].lower
    if word in ("killed", "dead", "died"):
        return "killed"
    if word in ("injured", "wounded", "hurt"):
        return "injured"
    return None
