"""What a place mention is doing in its sentence: where the event happened, or something else.

A report names many places that are not where anyone was hurt: the dateline
("HAMA —"), a news outlet named after a region, the seat of the official who
speaks ("the ministry in Baghdad said"), a bearing ("a village north of X",
"near X"), the setting of a wider story ("the war in Darfur"), where the
attackers came from, or an actor ("raids by Damascus and its allies"). Each
mention gets one role from the words around it; only ``EVENT`` mentions are
candidates for an incident's place.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Role(StrEnum):
    EVENT = "event"
    DATELINE = "dateline"  # "HAMA (Agency) —": where the reporter filed from
    OUTLET = "outlet"  # "the Delta 9 channel": a news outlet named after a region
    SPEAKER = "speaker"  # "the ministry in Baghdad said", "speaking from Kassala"
    REFERENCE = "reference"  # "north of X", "near X", "the X-Y road", "X's mayor": its division is still a clue
    CONTEXT = "context"  # "the war in Darfur", "taken to hospital in X": the setting, not the event
    ORIGIN = "origin"  # "returning from X", "rockets fired from X": where the attack or victims came from
    ACTOR = "actor"  # "raids by Damascus", "the stronghold of the Lions Brigade": a party to the fighting


# Roles whose place still tells the division of the event ("a village north of Aleppo" lies in Aleppo's).
DIVISION_CLUE = frozenset({Role.REFERENCE})

# "HAMA —", "Tartus:", "MOSUL, Iraq —", "ZAWIYA (Radio 7) -", "HOMS, May 4 (Agency) -", "Sirte (Agency) ...",
# "KASSALA, May 4:": a place at the very start of the text, then a dash, a colon, an agency in
# brackets, or a date.
DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][\w'\u2019.-]*(?:[ -][A-Z][\w'\u2019.-]*){0,3})"
    r"(?:,\s*(?:the\s+)?[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,2})?"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?)?"
    r"\s*(?:\((?:[^()\n]{1,40}\)\s*[:\u2014\u2013-]?|\s*[A-Z])|[:\u2014\u2013]|-\s|--)"
)

_BEARING = (
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|"
    r"south-west|northern|southern|eastern|western)"
)
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:(?:villages?|hamlets?|towns?|localit(?:y|ies)|mountains|hills)\s+(?:[\w'\u2019-]+\s+){0,3}?"
    r"(?:near|close\s+to|not\s+far\s+from|outside)"
    r"|(?:miles|kilometres|kilometers|km)\s+(?:away\s+)?from)"
    r"\s+(?:the\s+)?(?:(?:city|town|provincial\s+capital)\s+of\s+)?"
    r"|\bborder(?:\s+crossing)?\s+with\s+"
    rf"|\b{_BEARING}\s+of\s+(?:the\s+)?(?:capital|city|town)?,?\s*)$",
    re.IGNORECASE,
)
_SPEAKER_BEFORE = re.compile(
    r"(?:\b(?:speaking|spoke|talking|reporting|writing|calling)\s+(?:\w+\s+){0,3}(?:from|in)\s+"
    r"|\bbased\s+in\s+"
    # "the Ministry of Health (MoH) in Gaza": the office's name and its initials before its seat
    r"|\b(?:ministry|ministries|government|embassy|headquarters|command)(?:\s+of\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)?"
    r"(?:\s+\([A-Za-z]{2,8}\))?\s+in\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_SPEAKER_AFTER = re.compile(r"^-based\b", re.I)
# "An official in Baghdad said ... in Ramadi": where the speakers sit, when "said" follows and the
# sentence goes on to name another place ("officials in Kano said ... in the city" is Kano's event).
_ANOTHER_PLACE = re.compile(
    r"\b(?:in|near|at|on)\s+(?:the\s+(?:town|city|village|district|province)\s+of\s+)?"
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b)[A-Z]"
)
_SPEAKER_IN_BEFORE = re.compile(
    r"\b(?:officials?|spokes(?:man|woman|person)|sources?|authorities|diplomats?|analysts?|residents?\s+reached)\s+"
    r"in\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "Turkey said": a country as the speaker (for its weight in the article; a town before "said" is
# more often where the officials sit who speak of it).
SAYS_AFTER = re.compile(r"^\s+(?:has\s+|had\s+)?(?:said|says|told|announced|reported|confirmed|stated|denied)\b")
_OUTLET_AFTER = re.compile(
    r"^(?:\s+\d+\b|\s+(?:News|Agency|Television|TV|Radio|Times|Post|Herald|Tribune|Observer|Daily|Press|"
    r"Channel|Network|Media|Today|Online|Broadcasting)\b)"
)
_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:war|wars|conflict|crisis|blockade|invasion|occupation)\s+(?:on|in|against|of|over)\s+(?:the\s+)?"
    r"|\b(?:taken(?!\s+place)|rushed|brought|evacuated|transferred|transported|flown)\s+(?:\w+\s+){0,3}?(?:to|in)\s+(?:the\s+)?"
    r"|\b(?:treat(?:ed|ing)|hospitali[sz]ed)\s+(?:\w+\s+){0,2}?(?:in|at)\s+(?:the\s+)?(?:\w+\s+){0,3}?)$",
    re.IGNORECASE,
)
# "the Sennar Regional Hospital": an institution named after its town, told as a source.
_INSTITUTION_AFTER = re.compile(
    r"^\s+(?:(?:Provincial|Regional|District|Central|General|Teaching|Civil|Military|University|Public|National)\s+)+"
    r"(?:Hospital|Clinic|Medical)\b"
)
_CONTEXT_AFTER = re.compile(
    r"^(?:['\u2019\u00b4]s?)?,?\s+(?:where|which)\s+(?!(?:\w+\s+){0,4}?"
    r"(?:attack|blast|bombing|strike|raid|massacre|explosion|shelling|fighting|clash|ambush|killing)s?\b)"
    r"|^\s+(?:is|was|has\s+been|remains)\s+(?:\w+\s+){0,3}?(?:stronghold|bastion|hotbed|base)\b",
    re.IGNORECASE,
)
_ORIGIN_BEFORE = re.compile(
    r"\b(?:returning|coming|fired|launched|fleeing|fled|travell?ing|heading|driving|displaced|crossing|"
    r"infiltrated|deported|arriving|came|moving|barrages?|rockets?|missiles?|projectiles?|drones?|shells?|fire)"
    r"\s+(?:\w+\s+){0,3}?from\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ACTOR_BEFORE = re.compile(
    # "followed by Anbar (95 killed)": a ranking, not an agent.
    r"(?:(?<!followed\s)(?<!preceded\s)\bby\s+(?:the\s+)?"
    r"|\b(?:stronghold|bastion|fighters|members|militants|militia|loyal(?:ists)?|allies|ally|forces|troops|"
    r"regime|army|gunmen|rebels)\s+(?:of|from)\s+(?:the\s+)?|\bloyal\s+to\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_ACTOR_AFTER = re.compile(
    r"^(?:['\u2019\u00b4]s?)?\s+(?:(?:new|former|current)\s+)?(?:and\s+(?:its|their)\s+(?:\w+\s+)?all(?:y|ies)|forces|troops|regime|government|rulers|leaders|leadership|"
    r"militia|militiamen|army|fighters|rebels|brigades?|corps|movement|front|group|battalion|authorities)\b",
    re.IGNORECASE,
)


# "Tallafar's mayor said", "Beni's civil society president": an office of the place, not the event.
_OFFICE_AFTER = re.compile(
    r"^['\u2019]s\s+(?:[\w-]+\s+){0,2}?(?:president|governor|mayor|chief|head|spokes(?:man|woman|person)|"
    r"commander|council|councillor|officials?|administrator|representative)\b",
    re.IGNORECASE,
)
# "the Damascus-Homs highway", "on the Kabul road": a road named after the towns it joins.
_ROAD_AFTER = re.compile(r"^(?:[-\u2013][A-Z][\w'\u2019]*)?\s+(?:road|highway|motorway|expressway)\b")


# "(Beirut) - ...": the place in brackets that opens a rights group's release.
BRACKETED_DATELINE = re.compile(
    r"\s*\((?P<place>[A-Z][\w'\u2019.-]*(?:[ -][A-Z][\w'\u2019.-]*){0,3})\)\s*[:\u2014\u2013-]"
)


def dateline_end(text: str) -> int:
    """Where the dateline of ``text`` ends (0 when the text opens with none)."""
    found = DATELINE.match(text) or BRACKETED_DATELINE.match(text)
    if found is None or len(found.group("place")) < 3:
        return 0
    return found.end()


def _rest(text: str, end: int) -> str:
    """The rest of the sentence after ``end`` (up to 300 characters)."""
    rest = text[end : end + 300]
    stop = re.search(r"[.!?](?:\s|$)", rest)
    return rest[: stop.start()] if stop else rest


def mention_role(
    text: str, start: int, end: int, *, dateline: int = 0, run_end: int | None = None, opening: bool = False
) -> Role:
    """The role of the place at ``text[start:end]``.

    ``dateline`` is where the text's dateline ends (0 if none); ``run_end`` the end
    of the capitalised run the name was taken from, when the name is only its
    beginning ("Zawiya" of "Zawiya Sky militia"); ``opening`` whether the name
    opens its sentence (the subject: "X, where the group is strong, ...").
    """
    if dateline and end <= dateline:
        bracketed = text.rfind("(", 0, start) > text.rfind(")", 0, start) and not BRACKETED_DATELINE.match(text)
        return Role.OUTLET if bracketed else Role.DATELINE
    before = text[max(0, start - 60) : start]
    after = text[end : end + 60]
    if _OUTLET_AFTER.match(after):
        return Role.OUTLET
    if run_end is not None and run_end > end and _ACTOR_AFTER.match(text[run_end : run_end + 40]):
        return Role.ACTOR
    if _ACTOR_BEFORE.search(before) or _ACTOR_AFTER.match(after):
        return Role.ACTOR
    if (
        _SPEAKER_BEFORE.search(before)
        or _SPEAKER_AFTER.match(after)
        or (_SPEAKER_IN_BEFORE.search(before) and SAYS_AFTER.match(after) and _ANOTHER_PLACE.search(_rest(text, end)))
    ):
        return Role.SPEAKER
    if _ORIGIN_BEFORE.search(before):
        return Role.ORIGIN
    if _REFERENCE_BEFORE.search(before) or _ROAD_AFTER.match(after) or _OFFICE_AFTER.match(after):
        return Role.REFERENCE
    if _CONTEXT_BEFORE.search(before) or _INSTITUTION_AFTER.match(after) or (opening and _CONTEXT_AFTER.match(after)):
        return Role.CONTEXT
    return Role.EVENT
