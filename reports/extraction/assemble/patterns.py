"""Regular expressions for the cues the assembler reacts to (tolls, aggregates, anaphora, disasters)."""

from __future__ import annotations

import re

CASUALTY_HINT = re.compile(
    r"kill|dead|died|death|wound|injur|hurt|bodies|massacr|toll|lives|perish|slain|execut|shot|among the", re.I
)
EVENT_WORDS = re.compile(
    r"\b(?:strikes?|attacks?|bomb\w*|blasts?|explosions?|shell\w*|raids?|clash\w*|fighting|ambush\w*|massacre|missiles?|rockets?|mortars?|fire|gunmen|shot|offensive|battle|assault|landmine|mine|drone|warplanes?)\b",
    re.I,
)
AGGREGATE_CUE = re.compile(
    r"\bsince\b|\bbetween\b.{0,60}\band\b|\bfrom\b.{0,40}\bto\b|\bso\s+far\b|\ba\s+total\s+of\b|\bin\s+total\b|"
    r"\bacross\s+the\s+(?:country|city|province|region|governorate|north|south|east|west)\b|\bfirst\s+(?:six|three|nine)\s+months\b|"
    r"\bfirst\s+half\b|\brecorded\b|\bover\s+the\s+(?:past|last)\b|\bin\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?|hours)\b|"
    r"\b(?:days|weeks|months|years)\s+of\s+(?:fighting|clashes|bombardment|violence|shelling|air\s+strikes|war|conflict|siege)\b|"
    r"\bduring\s+the\s+(?:war|conflict)\b|\bso\s+far\s+this\s+year\b|\bin\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b(?!\s+\d)",
    re.I,
)
# Deaths from disasters, accidents and disease are not violent incidents.
DISASTER = re.compile(
    r"\b(?:earthquakes?|quakes?|floods?|flooding|landslides?|mudslides?|storms?|cyclones?|hurricanes?|typhoons?|tornado(?:es)?|"
    r"avalanches?|droughts?|heat\s*waves?|wildfires?|blaze|road\s+accidents?|traffic\s+accidents?|car\s+crash|plane\s+crash|"
    r"crashed|capsized|sank|drowned|drowning|stampede|cholera|covid(?:-19)?|coronavirus|outbreak|epidemic|pandemic|famine|"
    r"starvation|lightning|volcan\w+|gas\s+leak|mine\s+collapse|building\s+collapse|heatstroke|malnutrition)\b",
    re.I,
)
VIOLENCE = re.compile(
    r"\b(?:strikes?|attack\w*|bomb\w*|shell\w*|missiles?|rockets?|mortars?|gunm[ae]n|shot|shoot\w*|militants?|rebels?|insurgents?|"
    r"fighting|clash\w*|raids?|assault\w*|massacre\w*|execut\w*|troops|forces|army|snipers?|drones?|warplanes?|explosives?|"
    r"IEDs?|grenades?|airstrikes?|gunfire|stabb\w*|militia\w*|jihadists?|soldiers|war|conflict)\b",
    re.I,
)
REGION_WIDE = re.compile(r"\bacross\s+the\s+(?:country|nation)\b|\bnationwide\b|\bcountrywide\b", re.I)
AREA_WIDE = re.compile(
    r"\bacross\s+the\s+(?:city|province|region|governorate|state|north|south|east|west|area)\b", re.I
)
ANAPHORA = re.compile(
    r"\bin\s+the\s+(?:attack|blast|strike|explosion|bombing|raid|massacre|shelling|ambush|assault)\b", re.I
)
DATELINE = re.compile(
    r"^[A-Z][A-Z .,'/-]{2,60}?(?:,\s*[A-Z][\w .]+?)?(?:,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?\s*[\u2014\u2013-]"
)
TOLL_CUE = re.compile(
    r"\btoll\b|\brisen\b|\brose\b|\binitial(?:ly)?\b|\bearly\s+reports\b|\bearlier\s+reports\b|\bnumber\s+of\s+(?:dead|people\s+killed|deaths|victims)\b|\bhad\s+died\b"
    r"|\bdied\s+of\s+(?:his|her|their)\s+(?:wounds|injuries)\b|\bsuccumbed\b",
    re.I,
)
ELABORATION = re.compile(
    r"^(?:The|That|This)\s+(?:\w+\s+){0,2}(?:explosion|blast|attack|strike|air\s+strike|bombing|raid|massacre|shelling|ambush|killings?|bomb|assault)s?\b"
    r"|\btook\s+place\b|\bhappened\b|\boccurred\b",
    re.I,
)
CONTAINER = re.compile(
    r"^\s+(?:district|neighbourhood|neighborhood|area|quarter|suburb|camp|refugee\s+camp)\s+(?:of|in|on\s+the\s+\w+\s+of)\s+$",
    re.I,
)
# Where one sentence turns to a second event: "; a mortar round ...", ", and a roadside bomb ...",
# ", while in Hama shelling ...".
CLAUSE_BREAK = re.compile(
    r"(?:;|,\s+(?:and|while|whereas)|,\s+and\s+(?:later|earlier))\s+"
    r"(?=(?:(?:a|an|the|another|two|three|in|on|at)\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:bombs?|strikes?|air\s*strikes?|shells?|shelling|rockets?|mortars?|missiles?|drones?|landmines?|mines?|"
    r"snipers?|gunmen|attacks?|raids?|clash(?:es)?|fighting|explosions?|blasts?|IEDs?)\b)",
    re.IGNORECASE,
)
# "the highest daily toll since 2015": a comparison, not a running total.
SUPERLATIVE_SINCE = re.compile(
    r"\b(?:highest|deadliest|worst|bloodiest|biggest|largest|heaviest|most\s+\w+)\b[^.;,]{0,60}\bsince\b[^.;,]*",
    re.IGNORECASE,
)
# "another bomb", "a separate attack": a new event, never a toll update.
NEW_EVENT = re.compile(
    r"\b(?:another|separate|second|new)\s+(?:\w+\s+){0,2}(?:bomb|bombing|blast|explosion|attack|strike|air\s+strike|raid|shell|"
    r"rocket|mortar|missile|drone|ambush|incident|clash)",
    re.IGNORECASE,
)
