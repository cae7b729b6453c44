"""Figures adjusted once every count of a sentence has its role: lists added up, coordinated
groups of dead joined, and vague background tolls dropped (GUIDE, "Conventions for real reports")."""

from __future__ import annotations

from reports.extraction.casualties.lists import Listed
from reports.extraction.casualties.model import Mention
from reports.extraction.casualties.words import AUXILIARIES, INJURE_ACTIVE, KILL_ACTIVE, KILL_PASSIVE, MONTH_WORDS
from reports.extraction.text import word_set
from reports.extraction.tokens import Token

# A verb right before a count makes it active: "killed four children, their father and a neighbour".
ACTIVE_BEFORE = KILL_ACTIVE | INJURE_ACTIVE | frozenset({"dead", "down"})


def add_listed(mention: Mention, listed: Listed, tokens: list[Token]) -> None:
    mention.low += listed.people
    mention.high += listed.people
    mention.end = tokens[listed.end - 1].end
    if listed.children:
        mention.children = (mention.children or 0) + listed.children
    if listed.women:
        mention.women = (mention.women or 0) + listed.women


def add_sub_figures(previous: Mention, chained: Mention) -> None:
    """ "The five boys and three women were killed": the chained figure's children and women count too."""
    if chained.children:
        previous.children = (previous.children or 0) + chained.children
    if chained.women:
        previous.women = (previous.women or 0) + chained.women


_COORDINATED = AUXILIARIES | KILL_PASSIVE | frozenset({"shot", "and"})


def join_coordinated(tokens: list[Token], mentions: list[Mention]) -> None:
    """ "15 villagers were shot dead and two girls drowned": two groups of dead of one event, added up.

    Only when nothing but the first group's own verb stands between the figures: a place, a time or
    a comma between them ("12 were killed in A and 3 in B") keeps them apart.
    """
    position = 1
    while position < len(mentions):
        first, second = mentions[position - 1], mentions[position]
        between = [token.lower for token in tokens if first.end <= token.start < second.start]
        verbs = [word for word in between if word in KILL_PASSIVE]
        # "killed 5 soldiers and 2 more were killed later": "more" or "others" says the figures add up.
        more = any(token.lower in ("more", "others") for token in tokens if second.end <= token.start < second.end + 8)
        if (
            first.kind == second.kind == "killed"
            and not (first.vague or second.vague or first.toll_update or second.toll_update)
            and not (second.also or second.also_after or second.later_death)
            and between.count("and") == 1
            and between[-1:] == ["and"]
            and (len(verbs) == 1 or (more and not verbs))
            and all(word in _COORDINATED or word in first.nouns for word in between)
        ):
            first.low += second.low
            first.high += second.high
            first.end = second.end
            if second.children:
                first.children = (first.children or 0) + second.children
            if second.women:
                first.women = (first.women or 0) + second.women
            del mentions[position]
            continue
        position += 1


# Words that date a toll or give it a period; a vague toll without any is background.
_DATED = MONTH_WORDS | word_set(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight overnight since between "
    "during week weekend month year morning evening night decade years months weeks days"
)


def background(tokens: list[Token], mention: Mention) -> bool:
    """ "The violence has killed thousands", "accused of killing hundreds": a vague toll of the whole
    conflict or an accusation, with no date or period of its own, is background (GUIDE), not a record.
    """
    if not mention.vague or mention.kind != "killed":
        return False
    index = next((i for i, token in enumerate(tokens) if token.start >= mention.start), len(tokens))
    before = [token.lower for token in tokens[max(0, index - 6) : index]]
    if any(word.startswith("accus") for word in before):
        return True
    words = [token.lower for token in tokens]
    # "in recent months" gives no period (GUIDE: background); "in the past two months" does.
    dated = any(word in _DATED and not (i > 0 and words[i - 1] == "recent") for i, word in enumerate(words))
    if not dated and any(
        words[i] == "recent" and words[i + 1] in ("weeks", "months", "years") for i in range(len(words) - 1)
    ):
        return True  # "similar blasts have killed scores of people in recent months": however few
    if mention.low < 100 or dated:
        return False
    # A perfect tense with no time: "has killed", "have died", "have been killed".
    return any(
        words[i] in ("has", "have") and (words[i + 1] in KILL_ACTIVE | KILL_PASSIVE or words[i + 1] == "been")
        for i in range(len(words) - 1)
    )
