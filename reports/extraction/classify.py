"""Event type, alleged actor and victim category from the words of the evidence.

Keyword rules over the evidence sentences first, then their context; the
categories are the guide's (ACLED's violent sub-event types).
"""

from __future__ import annotations

import re

from reports.extraction.contract import EventType, Victims

_SUICIDE = re.compile(
    r"\bsuicide\s+(?:bomb|attack|car|truck|vest|belt|blast)|\bblew\s+(?:him|her|them)sel(?:f|ves)\s+up\b|\bsuicide\s+bomber",
    re.I,
)
_REMOTE = re.compile(
    r"\b(?:car|truck|lorry|roadside|motorcycle|motorbike|bicycle|parcel|van|tanker)[\s-]+bombs?\b|\bcar[\s-]+bombings?\b|\bIEDs?\b|\bimprovised\s+explosive|\bland\s*mines?\b|\bmines?\s+(?:exploded|blasts?|explosions?)|\b(?:hit|struck|stepped\s+on|ran\s+over|drove\s+over|triggered|detonated)\s+(?:a|an)\s+(?:anti-\w+\s+)?mine\b|\bexplosive\s+device|\bunexploded|\bbooby[\s-]+trap|\bsticky\s+bomb|\bbomb\s+(?:exploded|went\s+off|blast)|(?<!mortar\s)(?<!barrel\s)(?<!glide\s)(?<!cluster\s)\bbombs?\b(?!ing)",
    re.I,
)
_BLAST = re.compile(r"\bexplosions?\b|\bblasts?\b|\bexplosives?\b|\bbombings?\b", re.I)
_AIR = re.compile(
    r"\bair\s*(?:strikes?|raids?|attacks?|power)|\bairstrikes?\b|\bwarplanes?\b|\bjets?\b|\bdrones?\b|\bbarrel\s+bombs?\b|\bhelicopters?\b|\bgunships?\b|\bglide\s+bombs?\b|\baircraft\b|\baerial\b|\bbombing\s+raids?\b|\bbombers\b|\bcluster\s+(?:bombs|munitions)\b",
    re.I,
)
_MISSILE = re.compile(r"\bmissiles?\b", re.I)
_SHELLING = re.compile(
    r"\bshell(?:s|ing|ed)?\b|\bartillery\b|\bmortars?\b|\brockets?\b|\bballistic\b|\bGrad\b|\bIskander|\btank\s+fire\b|\bhowitzer|\bcruise\s+missile",
    re.I,
)
_STRIKE = re.compile(r"\bstrikes?\b|\bbombed\b|\bbombing\s+raids?\b", re.I)
_CLASH = re.compile(
    r"\bclash(?:es|ed)?\b|\bfighting\b|\bfought\b|\bbattles?\b|\bfirefights?\b|\bexchange\s+of\s+fire\b|\bgun\s*battles?\b|\bambush(?:ed)?\b|\bfrom\s+both\s+sides\b",
    re.I,
)
_ATTACK = re.compile(
    r"\bgunm[ae]n\b|\bshot\b|\bshooting\b|\bmassacres?\b|\bstabb(?:ed|ing)\b|\bexecut(?:ed|ion)|\bopened\s+fire\b|\bfired\s+on\b|\bsnipers?\b|\bkillings\b|\bslaughter|\bbeheaded\b|\bhacked\b|\bmachetes?\b|\btied\s+up\b|\babducted\s+and\s+killed|\bstorm(?:ed|ing)\b|\bsiege\b|\bhostages?\b|\bgrenades?\b",
    re.I,
)

ACTORS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(?:U\.?S\.?|US|American)\s+(?:drones?|forces|troops|air\s*strikes?|aircraft|warplanes|jets|military|special\s+forces|raid)\b"
        ),
        "United States",
    ),
    (re.compile(r"\bTurkish[\s-]backed\b", re.I), "Turkish-backed groups"),
    (re.compile(r"\bSaudi[\s-]led\b", re.I), "Saudi-led coalition"),
    (re.compile(r"\bU\.?S\.?[\s-]led\b", re.I), "US-led coalition"),
    (re.compile(r"\bIslamic\s+State\b|\bISIS\b|\bISIL\b|\bDaesh\b"), "Islamic State"),
    (re.compile(r"\bBoko\s+Haram\b"), "Boko Haram"),
    (re.compile(r"\bTaliban\b"), "Taliban"),
    (re.compile(r"\bal[\s-]Shabaab\b", re.I), "al-Shabaab"),
    (re.compile(r"\bHouthis?\b"), "Houthis"),
    (re.compile(r"\bHezbollah\b"), "Hezbollah"),
    (re.compile(r"\bHamas\b"), "Hamas"),
    (re.compile(r"\bYPG\b"), "YPG"),
    (re.compile(r"\bSDF\b|\bSyrian\s+Democratic\s+Forces\b"), "SDF"),
    (re.compile(r"\bLibyan\s+National\s+Army\b|\bLNA\b|\bHaftar\b"), "Libyan National Army"),
    (re.compile(r"\bNusra\s+Front\b|\bHayat\s+Tahrir\s+al-Sham\b|\bHTS\b"), "Hayat Tahrir al-Sham"),
    (re.compile(r"\b[Pp]ro-Russian\s+(?:separatists|rebels|forces|fighters)\b"), "pro-Russian separatists"),
    (
        re.compile(r"(?<![Pp]ro-)\bRussian\b|\bRussia(?:'s)?\s+(?:forces|military|army|jets|warplanes|aircraft)\b"),
        "Russia",
    ),
    (
        re.compile(
            r"\bTurkish\s+(?:air|drone|shell|artillery|forces|troops|army|military|jets|warplanes|strike)|\bTurkey's\s+(?:army|forces|military)",
            re.I,
        ),
        "Turkey",
    ),
    (re.compile(r"\bIsraeli\s+(?:warplanes|jets|aircraft|air|drone|strikes?|raids?|missiles?)\b"), "Israel"),
    (re.compile(r"\bIsraeli\s+(?:troops|soldiers|forces|army|police|military|settlers)\b"), "Israeli forces"),
    (
        re.compile(
            r"\b(?:pro-)?government\s+(?:forces|warplanes|jets|troops|air|aircraft|artillery|shelling|helicopters?|strikes?|militias?)\b|\bregime\s+(?:forces|warplanes|jets|aircraft)\b|\bgovernment\s+air\s+strike|\bSyrian\s+(?:army|government|warplanes|jets|troops)\b|\barmy\s+(?:positions|artillery|shelling|tanks|troops)\b",
            re.I,
        ),
        "government forces",
    ),
    (
        re.compile(
            r"\b(Iraqi|Afghan|Nigerian|Somali|Sudanese|Yemeni|Libyan|Lebanese|Ukrainian|Egyptian|Pakistani|Ethiopian|Malian|Kenyan|Indian)\s+(?:security\s+)?(?:forces|troops|soldiers|army|police|military)\b"
        ),
        "{0} forces",
    ),
    (re.compile(r"\brebels?\b|\brebel[\s-]held\s+positions\b", re.I), "rebels"),
    (re.compile(r"\bgunm[ae]n\b", re.I), "gunmen"),
    (re.compile(r"\bmilitants\b", re.I), "militants"),
]
_GOVERNMENT_OF = {
    "SY": "Syrian",
    "IQ": "Iraqi",
    "YE": "Yemeni",
    "AF": "Afghan",
    "LY": "Libyan",
    "NG": "Nigerian",
    "SO": "Somali",
    "SD": "Sudanese",
    "UA": "Ukrainian",
    "MM": "Myanmar",
}
_BLAME = re.compile(
    r"\bblam(?:ed|es|ing)\b|\bclaimed\s+responsibility\b|\bcarried\s+out\b|\baccus(?:ed|es)\b|\bfired\s+by\b|\bresponsible\b|\bcame\s+from\b|\bwas\s+behind\b|\bsaid\s+it\s+had\b|\bdenied\s+(?:involvement|responsibility|carrying|targeting|any\s+role)",
    re.I,
)

CIVILIAN_WORDS = frozenset(
    [
        "civilians",
        "civilian",
        "children",
        "women",
        "residents",
        "passengers",
        "worshippers",
        "pilgrims",
        "patients",
        "students",
        "pupils",
        "farmers",
        "workers",
        "labourers",
        "laborers",
        "protesters",
        "demonstrators",
        "family",
        "families",
        "migrants",
        "refugees",
        "journalists",
        "mourners",
        "shoppers",
        "villagers",
        "men",
        "girl",
        "boy",
        "mother",
        "child",
        "man",
        "woman",
        "people",
        "staff",
        "doctors",
        "nurses",
        "paramedics",
        "evacuees",
        "relatives",
    ]
)
COMBATANT_WORDS = frozenset(
    [
        "soldiers",
        "fighters",
        "militants",
        "rebels",
        "insurgents",
        "troops",
        "police",
        "policemen",
        "officers",
        "gunmen",
        "militiamen",
        "combatants",
        "jihadists",
        "militia",
        "soldier",
        "fighter",
        "militant",
        "rebel",
        "insurgent",
        "guards",
        "militiamen",
    ]
)


def aggregate_event_type(*, evidence: str, article: str) -> EventType:
    """A toll summed over many events has one type only if its sentence names one weapon."""
    kinds: set[EventType] = set()
    if _AIR.search(evidence) or (_STRIKE.search(evidence) and not _SHELLING.search(evidence)):
        kinds.add(EventType.AIR_DRONE_STRIKE)
    if _SHELLING.search(evidence) or (_MISSILE.search(evidence) and not _AIR.search(evidence)):
        kinds.add(EventType.SHELLING_ARTILLERY_MISSILE)
    if _SUICIDE.search(evidence):
        kinds.add(EventType.SUICIDE_BOMB)
    elif _REMOTE.search(evidence):
        kinds.add(EventType.REMOTE_EXPLOSIVE)
    if _CLASH.search(evidence):
        kinds.add(EventType.ARMED_CLASH)
    return kinds.pop() if len(kinds) == 1 else EventType.OTHER


def event_type(*, evidence: str, context: list[str], following: str, article: str, story: str = "") -> EventType:
    """ACLED sub-event type: evidence words first, then context (nearest first), then what follows.

    ``story`` (title and lead) decides what a bare "missile" was: fired from
    the air when the story is about air raids, from the ground otherwise.
    """
    for text in (evidence, *context, following):
        found = _type_of(text, " ".join((story, *context)), following)
        if found:
            return found
    for text in (evidence, *context, following):
        if _BLAST.search(text):
            return EventType.REMOTE_EXPLOSIVE
    found = _type_of(article, article)
    if found and found not in (EventType.ATTACK, EventType.ARMED_CLASH):
        return found
    if _ATTACK.search(evidence + " " + " ".join(context)):
        return EventType.ATTACK
    if re.search(r"\b(?:fighters|militants|insurgents|rebels|soldiers|troops)\b", evidence, re.I) and re.search(
        r"\battack(?:ed|s)?\b", evidence, re.I
    ):
        return EventType.ARMED_CLASH
    return EventType.OTHER


def _type_of(text: str, article: str, following: str = "") -> EventType | None:
    if not text:
        return None
    if _SUICIDE.search(text):
        return EventType.SUICIDE_BOMB
    if _AIR.search(text):
        return EventType.AIR_DRONE_STRIKE
    if re.search(
        r"\bmissiles?\b.{0,40}\b(?:fired|launched)\b|\b(?:fired|launched)\b.{0,30}\bmissiles?\b", text, re.I
    ) and not _AIR.search(text):
        return EventType.SHELLING_ARTILLERY_MISSILE
    if _MISSILE.search(text) and not _SHELLING.search(text):
        # A bare "missile" is surface-launched unless the story is about air raids.
        surface = re.search(r"\bballistic|\bcruise|\bsurface|\bfired\b|\blaunched\b", f"{article} {following}", re.I)
        if surface or not _AIR.search(article):
            return EventType.SHELLING_ARTILLERY_MISSILE
        return EventType.AIR_DRONE_STRIKE
    if _SHELLING.search(text):
        return EventType.SHELLING_ARTILLERY_MISSILE
    if _REMOTE.search(text):
        return EventType.REMOTE_EXPLOSIVE
    if _STRIKE.search(text):
        return EventType.AIR_DRONE_STRIKE
    if _CLASH.search(text):
        return EventType.ARMED_CLASH
    if _ATTACK.search(text):
        return EventType.ATTACK
    return None


_HELD = re.compile(
    # "held by X", "rebel-held": territory, not the attacker. ("Turkish-backed" stays: it names a party.)
    r"\b(?:held|controlled|run|besieged|surrounded|backed)\s+by\s+[\w -]+"
    r"|\b[\w.-]+[\s-](?:held|controlled|run)\b",
    re.IGNORECASE,
)
_AGENT = re.compile(
    r"\b(?:fired|carried\s+out|launched|dropped|planted|claimed|conducted)\s+by\s+|\bblam(?:ed|es|ing)\s+(?:on\s+)?|\bclaimed\s+responsibility|\bsaid\s+it\s+(?:was\s+behind|had\s+carried\s+out)",
    re.I,
)
# An actor word right after an active verb or a count is the victim ("killing three militants").
_VICTIM_BEFORE = re.compile(
    r"(?:\b(?:killing|kill|wounding|injuring|shot\s+dead|(?<!were\s)(?<!was\s)(?<!been\s)(?<!be\s)killed)"
    r"\s+(?:(?!by\b|as\b|when\b|after\b)\w+\s+){0,4}"
    r"|\b\d[\d,]*\s+(?:(?!by\b|as\b|when\b|after\b|on\b|in\b)\w+\s+){0,3}"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|dozens|scores|hundreds|several|many)\s+(?:of\s+)?"
    r"(?:(?!by\b|as\b|when\b|after\b|on\b|in\b)\w+\s+){0,3})$",
    re.IGNORECASE,
)
_GENERIC = frozenset({"gunmen", "militants", "rebels"})


def _actors_in(text: str, country: str | None) -> list[tuple[int, str]]:
    """(position, canonical name) of every perpetrator named in ``text``, victims excluded."""
    masked = _HELD.sub(lambda match: " " * len(match.group()), text)
    found: list[tuple[int, str]] = []
    for pattern, name in ACTORS:
        for match in pattern.finditer(masked):
            if _VICTIM_BEFORE.search(masked[max(0, match.start() - 60) : match.start()]):
                continue
            label = name
            if name == "government forces":
                prefix = _GOVERNMENT_OF.get(country or "")
                label = f"{prefix} government forces" if prefix else "government forces"
            elif "{0}" in name:
                label = name.format(match.group(1))
            found.append((match.start(), label))
    found.sort()
    return found


def actor(*, evidence: str, context: str, following: str, country: str | None) -> str | None:
    """The alleged perpetrator as named near the toll, canonicalised.

    An agent phrase ("fired by X", "blamed X", "X claimed responsibility")
    beats a bare mention; a named group in a blame sentence after the toll
    beats a generic "gunmen" in the toll sentence.
    """
    in_evidence = _actors_in(evidence, country)
    agent = _AGENT.search(evidence)
    if agent:
        after = [name for position, name in in_evidence if position >= agent.end() - 1]
        if after:
            return after[0]
    blamed = []
    for sentence in re.split(r"(?<=[.!?])\s+", following)[:3]:
        if _AGENT.search(sentence) or _BLAME.search(sentence):
            found = _actors_in(sentence, country)
            denial = re.search(r"\bden(?:ied|ies|y)\b", sentence, re.I)
            accusation = re.search(r"\bblam(?:ed|es|ing)\b|\baccus(?:ed|es|ing)\b", sentence, re.I)
            if denial and accusation and accusation.start() > denial.start():
                # "X denied involvement and blamed Y": Y is the one alleged.
                found = [(position, name) for position, name in found if position > accusation.start()]
            blamed += [name for _, name in found]
    named = [name for _, name in in_evidence]
    if named and named[0] not in _GENERIC:
        return named[0]
    specific = [name for name in blamed if name not in _GENERIC]
    if specific:
        return specific[0]
    if named:
        return named[0]
    if blamed:
        return blamed[0]
    if re.match(r"\s*(?:Separately|Elsewhere|Meanwhile|In\s+another|In\s+a\s+separate)\b", evidence):
        return None
    in_context = [name for _, name in _actors_in(context, country)]
    return in_context[0] if in_context else None


_CIVILIAN_TARGET = re.compile(
    r"\b(?:market|hospital|school|mosque|church|bakery|petrol\s+station|funeral|wedding|residential|homes?|house|apartment|shop|cafe|restaurant|family|families|buses|camp\s+for\s+displaced|compound\s+for\s+workers)\b",
    re.I,
)
_CIVILIAN_CONTEXT = re.compile(
    r"\b(?:civilians?|unarmed|shepherds|herders|fishermen|passengers|worshippers|pilgrims|shoppers|villagers|farm\s+workers|farmers|labourers|pupils|schoolchildren|students|mourners|protesters|demonstrators|migrants|refugees|displaced\s+families|patients|residents)\b",
    re.I,
)


def victims(*, nouns: list[str], evidence: str) -> Victims:
    words = set(nouns)
    # "residents said" names a source, not the victims.
    unsourced = re.sub(r"\b\w+\s+(?:said|say|says|told|reported)\b", " ", evidence.replace("Civilian", ""))
    civil = bool(words & CIVILIAN_WORDS - {"people", "men", "man", "staff"}) or bool(
        _CIVILIAN_CONTEXT.search(unsourced)
    )
    # "people" stays unspecified even at a market: the guide asks for what the article says.
    fighters = bool(words & COMBATANT_WORDS)
    if civil and fighters:
        return Victims.MIXED
    if civil:
        return Victims.CIVILIANS
    if fighters:
        return Victims.COMBATANTS
    return Victims.UNSPECIFIED
