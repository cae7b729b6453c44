"""Casualty mentions: which counts in a sentence are killed or injured figures.

A count is classified by its neighbours: an active verb before it ("killing
at least 14"), a passive or adjectival form after its noun phrase ("27
civilians were killed", "44 dead"), a toll phrase ("the toll rose to 26"), or
a sub-count marker ("including 32 children"). Counts joined by "and" under one
verb are summed ("13 police officers and 20 insurgents were killed").
"""

from __future__ import annotations

import re

from reports.extraction.casualties.adjust import (
    ACTIVE_BEFORE,
    add_listed,
    add_sub_figures,
    background,
    join_coordinated,
)
from reports.extraction.casualties.lists import listed_people
from reports.extraction.casualties.model import SHARE, Mention, SubCount
from reports.extraction.casualties.phrases import (
    among_clause,
    breakdown_aside,
    day_then_figure,
    group_of,
    is_non_count,
    lookback_has,
    noun_phrase,
    passive_role,
)
from reports.extraction.casualties.singular import singular_victims
from reports.extraction.casualties.words import (
    AUXILIARIES,
    CHILD_WORDS,
    CLAUSE_END,
    COUNT_STARTS,
    INJURE_ACTIVE,
    INJURE_PASSIVE,
    KILL_ACTIVE,
    KILL_PASSIVE,
    MODALS,
    NOMINAL_KILLING,
    PERSON_SINGULAR,
    TO_DEATH_VERBS,
    TOLL_VERBS,
    WOMEN_WORDS,
)
from reports.extraction.numbers import Count, parse_count
from reports.extraction.tokens import Token

__all__ = ["Mention", "SubCount", "find_mentions"]

_LATER_DEATH = re.compile(
    r"\bdied\s+(?:later\s+)?(?:of|from)\s+(?:his|her|their)\s+(?:wounds|injuries)\b|\bsuccumbed\s+to\b"
    r"|\blater\s+died\b|\bdied\s+later\b|\ba\s+(?:third|fourth|fifth|sixth)\b"
)


def find_mentions(tokens: list[Token]) -> tuple[list[Mention], list[SubCount]]:
    """Killed and injured mentions, and sub-counts, in one sentence's tokens."""
    counts: list[Count] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        count = None
        if token.is_number or token.lower in COUNT_STARTS:
            count = parse_count(tokens, position)
            if count is not None and token.lower in ("a", "an") and count.low == 1:
                count = None
        if count is not None and count.low != count.high and day_then_figure(tokens, count):
            # "the toll since May 10 to 227": a day, then the figure, not a range of 10 to 227.
            position += 1
            continue
        if count is not None:
            if not is_non_count(tokens, count):
                counts.append(count)
            position = max(count.last, position + 1)
        else:
            position += 1
    mentions: list[Mention] = []
    subcounts: list[SubCount] = []
    roles: dict[int, str] = {}
    respectively = any(token.lower == "respectively" for token in tokens)
    listed_until = 0
    among_head = among_clause(tokens)
    breakdown: tuple[int, int, str] | None = None  # the commas around a toll's kinds of people, and its kind
    for number, count in enumerate(counts):
        if count.first < listed_until:
            continue  # counted already as part of a list ("... and their three sons")
        if breakdown is not None and breakdown[0] < count.first < breakdown[1]:
            role = "sub-" + breakdown[2]  # "Nine members of a family, three women and six children, were killed"
        else:
            role = _classify(tokens, count, counts, number, roles, among_head)
        if role in (None, "killed") and _share_goes_on(tokens, count, number, roles):
            role = "sub-killed"  # "Of the dead, 18 died in A and seven in B": the list of shares goes on
        if role is None:
            continue
        roles[number] = role
        np_end = noun_phrase(tokens, count.last)
        if role in ("killed", "injured") and (closing := breakdown_aside(tokens, np_end)) is not None:
            breakdown = (np_end, closing, role)
        nouns = [token.lower for token in tokens[count.last : np_end]]
        if role.startswith("sub"):
            group = group_of(nouns, tokens, count)
            if group:
                subcounts.append(SubCount(group, count.low, tokens[count.first].start, role == "sub-killed"))
            elif (
                role == "sub-killed"
                and among_head is None
                and not {"including", "includes", "include", "included", "among"}
                & {token.lower for token in tokens[max(0, count.first - 3) : count.first]}
            ):
                # "Eighteen of the dead were killed in A": a share of a toll, perhaps by place (the assembler
                # reads it as a place's part only when the sentence tells shares at two places or more).
                subcounts.append(SubCount(SHARE, count.low, tokens[count.first].start, True))
            continue
        kind, _, extra = role.partition(":")
        extra = "" if extra == "head" else extra
        mention = Mention(
            kind,
            count.low,
            count.high,
            count.vague,
            tokens[count.first].start,
            tokens[count.last - 1].end,
            toll_update=extra == "toll",
            nouns=nouns,
        )
        mention.also = (count.first > 0 and tokens[count.first - 1].lower == "also") or (
            count.first > 1 and tokens[count.first - 2].lower == "also"
        )
        mention.also_after = any(token.lower == "also" for token in tokens[np_end : np_end + 3])
        # The count's own noun: "two men and a boy" counts men, the boy is listed after them.
        own = nouns[: nouns.index("and")] if "and" in nouns else nouns
        if own and (own[-1] in CHILD_WORDS or own[0] in CHILD_WORDS):
            mention.children = count.low
        if own and (own[-1] in WOMEN_WORDS or own[0] in WOMEN_WORDS):
            mention.women = count.low
        active = count.first > 0 and tokens[count.first - 1].lower in ACTIVE_BEFORE
        listed = listed_people(tokens, count.last, passive=not active) if extra in ("", "chain") else None
        if listed is not None:
            add_listed(mention, listed, tokens)
            listed_until = listed.end
        if extra == "chain" and mentions and mentions[-1].kind == kind and respectively:
            # "killed 12 and 7 people respectively": one figure per event named before.
            mentions[-1].respective = mention.respective = True
        elif extra == "chain" and mentions and mentions[-1].kind == kind:
            previous = mentions[-1]
            add_sub_figures(previous, mention)
            previous.low += mention.low
            previous.high += mention.high
            previous.end = mention.end
            previous.nouns += nouns
            previous.vague = previous.vague or count.vague
            continue
        mentions.append(mention)
    join_coordinated(tokens, mentions)
    mentions = [mention for mention in mentions if not background(tokens, mention)]
    mentions.extend(singular_victims(tokens, mentions, subcounts, among_head))
    if _LATER_DEATH.search(" ".join(token.lower for token in tokens)):
        # "A third protester died of his wounds": more dead of an earlier event.
        for mention in mentions:
            if mention.kind == "killed":
                mention.also_after = True
                mention.later_death = True
    mentions.sort(key=lambda mention: mention.start)
    return mentions, subcounts


def _classify(
    tokens: list[Token], count: Count, counts: list[Count], number: int, roles: dict[int, str], among_head: int | None
) -> str | None:
    before = [token.lower for token in tokens[max(0, count.first - 3) : count.first]]
    previous = before[-1] if before else ""
    if previous in INJURE_ACTIVE and len(before) > 2 and before[-2] in ("and", "or") and before[-3] in KILL_ACTIVE:
        # "killing and wounding 23": dead and hurt together are neither figure (GUIDE).
        return None
    if (
        count.last + 1 < len(tokens)
        and tokens[count.last].lower in ("were", "was", "are")
        and (tokens[count.last + 1].lower in CHILD_WORDS | WOMEN_WORDS)
    ):
        # "... and 11 were women": a part of a toll told just before.
        return "sub-killed"
    # Sub-counts: "including 32 children", "among them two women".
    window = [token.lower for token in tokens[max(0, count.first - 5) : count.first]]
    if "among" in window and {"dead", "killed", "victims"} & set(window):
        return "sub-killed"  # "Among the dead were 20 children"
    if window[:1] == ["of"] and len(window) > 2 and window[2] in ("killed", "dead", "victims") and "," in window:
        return "sub-killed"  # "Of the dead, 140 had been shot": a part of the toll, not another toll
    if (
        previous in ("including", "includes", "include", "included")
        and count.last < len(tokens)
        and tokens[count.last].lower in ("killed", "dead", "injured", "wounded")
        and any(token.lower == "casualties" for token in tokens[max(0, count.first - 25) : count.first])
        and not any(role.startswith("killed") for role in roles.values())
    ):
        # "Civilian casualties amounted to 30,457, including 10,582 killed": the dead out of all the
        # casualties, not a part of a toll of the dead.
        return "killed" if tokens[count.last].lower in ("killed", "dead") else "injured"
    if previous in ("including", "includes", "include", "included") or before[-2:] in (
        ["among", "them"],
        ["among", "whom"],
        ["of", "whom"],
        ["them", "were"],
    ):
        subject = {token.lower for token in tokens[max(0, count.first - 5) : count.first]}
        if subject & {"injured", "wounded"} and not subject & {"killed", "dead", "died", "deaths"}:
            return "sub-injured"  # "the injured people included seven children": not a part of the dead
        return "sub-killed"
    elided = _elided_place_toll(tokens, count, counts, number, roles)
    if elided is not None:
        return elided
    np_end = noun_phrase(tokens, count.last)
    after = [token.lower for token in tokens[count.last : count.last + 4]]
    verb_before = previous in KILL_ACTIVE | INJURE_ACTIVE or before[-2:] in (["shot", "dead"], ["gunned", "down"])
    if after[:3] in (
        ["of", "the", "dead"],
        ["of", "those", "killed"],
        ["of", "the", "victims"],
        ["of", "the", "killed"],
        ["of", "the", "deaths"],
    ) or (after[:2] == ["of", "them"] and not verb_before):
        return "sub-killed"
    rest = [token.lower for token in tokens[np_end : np_end + 5]]
    if rest[:3] in (
        ["were", "among", "the"],
        ["was", "among", "the"],
        ["were", "among", "those"],
        ["are", "among", "the"],
    ):
        return "sub-killed"
    if rest[:2] in (["were", "among"], ["are", "among"]) and _among_victims(tokens, np_end + 2):
        # "9 boys were among some 30 people killed"
        return "sub-killed"
    if previous == "of" and len(before) > 1 and before[-2] in NOMINAL_KILLING:
        # "the killing of two commanders", "the massacre of 40 villagers"
        return "killed"
    if _to_death(tokens, before, np_end):
        return "killed"
    if previous == "and" and (verb := _verb_before_named(tokens, count.first - 1)) is not None:
        # "killed the bomber and 14 others", "wounding the imam and two worshippers": the verb's object.
        return "killed" if verb in KILL_ACTIVE else "injured"
    # Active verb right before the count: "killing at least 14", "shot dead eleven".
    if previous in KILL_ACTIVE and not (previous == "kill" and len(before) > 1 and before[-2] in MODALS):
        return "killed"
    if previous in ("its", "their", "all") and len(before) > 1 and before[-2] in KILL_ACTIVE | INJURE_ACTIVE:
        # "killing its three occupants", "wounding all 11 passengers"
        return "killed" if before[-2] in KILL_ACTIVE else "injured"
    if before[-2:] in (["shot", "dead"], ["gunned", "down"], ["lives", "of"]) or before[-3:] == [
        "shooting",
        "them",
        "dead",
    ]:
        return "killed"
    if previous in INJURE_ACTIVE:
        return "injured"
    if previous == "of" and len(before) > 1 and before[-2] in ("bodies", "corpses", "remains"):
        # "recovered the bodies of at least 30 people"
        return "killed"
    wider = [token.lower for token in tokens[max(0, count.first - 4) : count.first]]
    if len(wider) == 4 and wider[1:] in (["a", "family", "of"], ["the", "family", "of"]):
        # "killing a family of five"
        if wider[0] in KILL_ACTIVE or wider[0] == "dead":
            return "killed"
        if wider[0] in INJURE_ACTIVE:
            return "injured"
    # "claimed 12 lives", "cost three lives"
    next_word = tokens[count.last].lower if count.last < len(tokens) else ""
    if previous in ("claimed", "claiming", "cost", "costing", "took", "taking") and next_word in ("lives", "life"):
        return "killed"
    if (
        previous == "and"
        and number > 0
        and roles.get(number - 1) == "sub-killed"
        and count.first - counts[number - 1].last <= 4
        and next_word not in KILL_PASSIVE | INJURE_PASSIVE
    ):
        return "sub-killed"
    if (
        previous in ("and", ",")
        and number > 0
        and next_word not in KILL_PASSIVE | INJURE_PASSIVE
        and _in_inclusion(tokens, counts[number - 1], count, roles, number)
    ):
        # "30 dead, including three women, five children and a guard": the list goes on.
        return "sub-killed"
    if (
        previous == "and"
        and number > 0
        and roles.get(number - 1) in ("killed", "injured")
        and any(token.lower in ("including", "among") for token in tokens[counts[number - 1].last : count.first])
        and count.first - counts[number - 1].last <= 10
    ):
        # "nine people including a guard and a widow and her two sons": the children are among the eight.
        return "sub-killed"
    if among_head is not None and count.first >= among_head:
        # "Among those killed on the farm were a woman and four children"
        return "sub-killed"
    if previous == "and" and number > 0 and roles.get(number - 1, "").endswith(":head"):
        return roles[number - 1].split(":")[0] + ":chain"
    if (
        previous == "and"
        and number > 0
        and number - 1 in roles
        and roles[number - 1] in ("killed", "injured", "killed:chain", "injured:chain")
    ):
        gap = counts[number - 1].last
        between = tokens[gap : count.first - 1]
        interrupted = any(
            token.lower in KILL_ACTIVE | INJURE_ACTIVE | KILL_PASSIVE or token.text in CLAUSE_END for token in between
        )
        if len(between) <= 7 and not interrupted and not passive_role(tokens, count, np_end):
            return roles[number - 1].split(":")[0] + ":chain"
    fronted = _fronted_toll(tokens, count, before)
    if fronted is not None:
        return fronted
    # A toll: "the toll rose to 26", "put the toll at 61", "a death toll of 40".
    if (
        previous in ("to", "at", "of", "reached", "passed", "topped", "exceeded")
        or before[-2:] == ["stood", "at"]
        # "on Sunday the toll was 41"
        or (
            previous in ("was", "is")
            and lookback_has(tokens, count.first, frozenset({"toll", "figure"}), 10) is not None
        )
        or (
            previous in ("dead", "deaths", "killed", "victims", "toll")
            and count.first > 0
            and tokens[count.first].lower == "as"
        )
    ):
        anchor = lookback_has(tokens, count.first, frozenset({"toll", "tolls", "number"}), 30)
        if (
            anchor is not None
            and lookback_has(tokens, count.first, TOLL_VERBS | frozenset({"toll", "of"}), 10) is not None
        ):
            phrase = {token.lower for token in tokens[anchor : count.first]}
            if tokens[anchor].lower == "number" and not phrase & (
                KILL_PASSIVE | INJURE_PASSIVE | {"victims", "casualties", "killed"}
            ):
                return None
            if phrase & INJURE_PASSIVE and not phrase & KILL_PASSIVE:
                return "injured:toll"
            return "killed:toll"
    role = passive_role(tokens, count, np_end)
    if role:
        # "35 injured remain in hospital" is no toll; "several of the 61 wounded were in a serious condition" is.
        return None if role == "injured" and "of" not in before and _condition_only(tokens, np_end) else role
    # Chained before a passive verb: "13 police officers and at least 20 insurgents were killed".
    if after and number + 1 < len(counts):
        following = counts[number + 1]
        joined = np_end < len(tokens) and tokens[np_end].lower == "and"
        # "94 massacres and 320 killings": a count of events is not a head of victims
        events = bool({token.lower for token in tokens[count.last : np_end]} & _EVENT_NOUNS)
        if joined and not events and np_end < following.first <= np_end + 4:
            next_end = noun_phrase(tokens, following.last)
            role = passive_role(tokens, following, next_end)
            if role and not role.endswith("toll"):
                return role + ":head"
    return None


_EVENT_NOUNS = frozenset(
    {"massacres", "attacks", "strikes", "airstrikes", "incidents", "raids", "bombings", "explosions", "clashes"}
)


def _elided_place_toll(
    tokens: list[Token], count: Count, counts: list[Count], number: int, roles: dict[int, str]
) -> str | None:
    """ "Seven people were killed in Sakkada; four in Gyadadde, and eight in Otawa": a place's toll
    with its verb left out, after a toll told at a place of its own in the same sentence.
    """
    if count.first == 0 or tokens[count.first - 1].text not in (";", ",", "and"):
        return None
    if not _at_named_place(tokens, count.last):
        return None
    for earlier in range(number - 1, -1, -1):
        role = roles.get(earlier, "")
        if role in ("killed", "injured") and _at_named_place(tokens, noun_phrase(tokens, counts[earlier].last) + 2):
            return role
        if role in ("killed", "injured") and _at_named_place(tokens, noun_phrase(tokens, counts[earlier].last) + 1):
            return role
    return None


def _at_named_place(tokens: list[Token], position: int) -> bool:
    """Whether ``in``/``at`` and a capitalised name start at ``position``."""
    return (
        position + 1 < len(tokens)
        and tokens[position].lower in ("in", "at")
        and tokens[position + 1].is_word
        and tokens[position + 1].is_capitalised
    )


def _share_goes_on(tokens: list[Token], count: Count, number: int, roles: dict[int, str]) -> bool:
    """ "... 18 died in A and seven in B": a bare count after "and", at a place, after a share; "Russian
    forces were responsible for 679 of the deaths, while government forces killed 511": shares by who killed."""
    if number == 0 or roles.get(number - 1) != "sub-killed" or count.first == 0:
        return False
    if tokens[count.first - 1].lower in KILL_ACTIVE and count.last >= len(tokens) - 1:
        # the last figure of the sentence, its killer named after "while"
        return bool({token.lower for token in tokens[max(0, count.first - 6) : count.first]} & {"while", "whereas"})
    return (
        tokens[count.first - 1].lower == "and" and count.last < len(tokens) and tokens[count.last].lower in ("in", "at")
    )


def _verb_before_named(tokens: list[Token], conjunction: int) -> str | None:
    """The active verb before "the <person> and", where ``conjunction`` is the index of "and"."""
    words = [token.lower for token in tokens[max(0, conjunction - 4) : conjunction]]
    if len(words) < 3 or words[-1] not in PERSON_SINGULAR:
        return None
    for at in (-2, -3):
        if words[at] in ("the", "a", "an", "his", "her", "their") and len(words) >= -at + 1:
            verb = words[at - 1]
            return verb if verb in KILL_ACTIVE | INJURE_ACTIVE else None
    return None


def _to_death(tokens: list[Token], before: list[str], np_end: int) -> bool:
    """ "hacked to death 22 civilians", "beat two men to death", "22 were hacked to death"."""
    if before[-3:-2] and before[-3] in TO_DEATH_VERBS and before[-2:] == ["to", "death"]:
        return True
    following = [token.lower for token in tokens[np_end : np_end + 8]]
    if before[-1:] and before[-1] in TO_DEATH_VERBS and following[:2] == ["to", "death"]:
        return True
    # The passive: the verb after the auxiliaries ("were", "had been", "reportedly").
    position = 0
    while position < len(following) and following[position] in AUXILIARIES:
        position += 1
    return (
        0 < position < len(following) - 2
        and following[position] in TO_DEATH_VERBS
        and following[position + 1 : position + 3] == ["to", "death"]
    )


def _fronted_toll(tokens: list[Token], count: Count, before: list[str]) -> str | None:
    """ "brought to 54 the number of people killed", "raises to 219 the death toll": the figure before the toll."""
    if len(before) < 2 or before[-1] != "to" or before[-2] not in TOLL_VERBS | {"raise", "raises"}:
        return None
    ahead: list[str] = []
    for token in tokens[count.last : count.last + 16]:
        if token.text in CLAUSE_END:
            break
        ahead.append(token.lower)
    if "the" not in ahead:
        return None
    told = ahead[ahead.index("the") :]
    if "toll" not in told[:3] and told[1:3] not in (["number", "of"], ["total", "number"]):
        return None
    words = set(told)
    if words & KILL_PASSIVE or ("toll" in told[:3] and not words & INJURE_PASSIVE):
        return "killed:toll"
    if words & INJURE_PASSIVE:
        return "injured:toll"
    return None


_CONDITION = (
    ("under", "treatment"),
    ("in", "critical"),
    ("in", "serious"),
    ("in", "a", "critical"),
    ("in", "a", "serious"),
    ("still", "in"),
    ("remain", "in"),
    ("remain", "under"),
    ("remained", "in"),
    ("remains", "in"),
)


def _condition_only(tokens: list[Token], np_end: int) -> bool:
    """ "35 injured remain in hospital", "12 injured are in critical condition": how many are still
    in hospital, not how many were hurt (GUIDE: people in critical condition are no toll)."""
    words = [token.lower for token in tokens[np_end : np_end + 6] if token.lower not in AUXILIARIES]
    return any(tuple(words[index : index + len(phrase)]) == phrase for phrase in _CONDITION for index in range(3))


def _in_inclusion(tokens: list[Token], prior: Count, count: Count, roles: dict[int, str], number: int) -> bool:
    """Whether ``count`` continues a list of sub-counts: the count before it was one, and only a comma,
    "and", a noun and a singular victim ("a guard") stand between them."""
    if roles.get(number - 1) != "sub-killed":
        return False
    between = tokens[prior.last : count.first]
    if len(between) > 8 or any(token.lower in KILL_ACTIVE | INJURE_ACTIVE | KILL_PASSIVE for token in between):
        return False
    return any(token.text == "," for token in between) and all(
        token.is_word or token.text == "," or token.text == "-" for token in between
    )


def _among_victims(tokens: list[Token], start: int) -> bool:
    """A count and its victims, then a killed word, right after "were among": "among at least 20 people killed"."""
    count = parse_count(tokens, start) if start < len(tokens) else None
    if count is None:
        return False
    end = noun_phrase(tokens, count.last, limit=4)
    return end < len(tokens) and tokens[end].lower in KILL_PASSIVE
