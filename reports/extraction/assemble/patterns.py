"""Regular expressions for the cues the assembler reacts to (tolls, aggregates, anaphora, disasters)."""

from __future__ import annotations

import re

# A cheap filter before the tokeniser: every word of the casualty vocabulary (casualties/words.py) must pass it.
CASUALTY_HINT = re.compile(
    r"kill|dead|died|death|wound|injur|hurt|bodies|corpse|massacr|toll|lives|perish|slain|slay|slew|execut|shot|stab|"
    r"murder|homicid|slaughter|behead|drown|fatalit|maim|hospitali[sz]ed|among the",
    re.I,
)
EVENT_WORDS = re.compile(
    r"\b(?:strikes?|attacks?|bomb\w*|blasts?|explosions?|shell\w*|raids?|clash\w*|fighting|ambush\w*|massacre|missiles?|rockets?|mortars?|fire|gunmen|shot|offensive|battle|assault|landmine|mine|drones?|warplanes?)\b",
    re.I,
)
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# "during March", "throughout the month of May": the whole month is the period of the toll.
WHOLE_MONTH = re.compile(r"\b(?:during|throughout)\s+(?:the\s+month\s+of\s+)?" + _MONTH + r"\b(?!\s+\d)", re.I)
# "this year" is a period, "28 June of this year" a day: not after a month's name.
_NOT_AFTER_MONTH = r"(?<!\d\s)" + "".join(rf"(?<!{month}\s)(?<!{month}\sof\s)" for month in _MONTH[3:-1].split("|"))
AGGREGATE_CUE = re.compile(
    r"\bsince\b|\bbetween\b.{0,60}\band\b|\bfrom\b.{0,40}\bto\b|\bso\s+far\b|\ba\s+total\s+of\b|\bin\s+total\b|"
    r"\bacross\s+the\s+(?:country|city|province|region|governorate|north|south|east|west)\b|\bfirst\s+(?:\w+\s+)?months\s+of\b|"
    r"\b(?:first|second|third|fourth|last)\s+(?:half|quarter)\s+of\b|\bweek\s+(?:to|ending|up\s+to)\b|"
    + r"\b(?=(?:this|last)\s+year\b)"  # checked first: the month lookbehinds run only where "this year" is
    + _NOT_AFTER_MONTH
    + r"(?:this|last)\s+year\b(?!['\u2019])|\brecorded\b|\bover\s+the\s+(?:past|last)\b|"
    r"\bin\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?|hours)\b|"
    r"\b(?:days|weeks|months|years)\s+of\s+(?:fighting|clashes|bombardment|violence|shelling|air\s+strikes|war|conflict|siege)\b|"
    r"\bduring\s+the\s+(?:war|conflict)\b|\b(?:this|last|past)\s+(?:week|month)\b|"
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+)[- ](?:week|month)[- ](?:long\s+)?"
    r"(?:offensive|campaign|battle|siege|operation|assault|bombardment|fighting|war)\b|"
    r"\b(?:in|during|throughout)\s+(?:19|20)\d\d\b(?!\s*[-,]?\s*(?:people|civilians))|\bso\s+far\s+this\s+year\b|\b(?:in|during|throughout)\s+(?:the\s+month\s+of\s+)?"
    + _MONTH
    + r"\b(?!\s+\d)",
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
# "across Syria", "throughout Aleppo province": a toll over a named area, if a span says so.
ACROSS_NAMED = re.compile(r"\b(?:[Aa]cross|[Tt]hroughout)\s+(?:all\s+of\s+)?[A-Z][\w-]+")
ANAPHORA = re.compile(
    r"\bin\s+the\s+(?:attack|blast|strike|explosion|bombing|raid|massacre|shelling|ambush|assault)\b", re.I
)
DATELINE = re.compile(
    r"^[A-Z][A-Z .,'/-]{2,60}?(?:,\s*[A-Z][\w .]+?)?(?:,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?\s*[\u2014\u2013-]"
)
TOLL_CUE = re.compile(
    r"\btoll\b|\brisen\b|\brose\b|\binitial(?:ly)?\b|\bearly\s+reports\b|\bearlier\s+reports\b|\bnumber\s+of\s+(?:dead|people\s+killed|deaths|victims)\b|\bhad\s+died\b"
    r"|\bdied\s+of\s+(?:his|her|their)\s+(?:wounds|injuries)\b|\bsuccumbed\b"
    r"|\b(?:had\s+)?(?:first|at\s+first|previously|earlier)\s+(?:counted|reported|put|given|said)\b",
    re.I,
)
ELABORATION = re.compile(
    r"^(?:The|That|This)\s+(?:\w+\s+){0,2}(?:explosion|blast|attack|strike|air\s+strike|bombing|raid|massacre|shelling|ambush|killings?|bomb|assault)s?\b"
    r"|\btook\s+place\b|\bhappened\b|\boccurred\b"
    # "said the attack targeted residential neighbourhoods of X", "in the attack that hit X"
    r"|\bthe\s+(?:explosion|blast|attack|strike|air\s+strike|bombing|raid|shelling|ambush|assault)\s+(?:that\s+|which\s+)?"
    r"(?:targeted|hit|struck)\b",
    re.I,
)
CONTAINER = re.compile(
    r"^\s+(?:district|neighbourhood|neighborhood|area|quarter|suburb|camp|refugee\s+camp)\s+(?:of|in|on\s+the\s+\w+\s+of)\s+$",
    re.I,
)
# Where one sentence turns to a second event: "; a mortar round ...", ", and a roadside bomb ...",
# ", while in Hama shelling ...".
CLAUSE_BREAK = re.compile(
    r"(?:;|,\s+(?:and|while|whereas)|,\s+and\s+(?:later|earlier)|\s+and(?=\s+(?:a\s+separate|another)\s))\s+"
    r"(?=(?:(?:a|an|the|another|two|three|in|on|at)\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:bombs?|strikes?|air\s*strikes?|shells?|shelling|rockets?|mortars?|missiles?|drones?|landmines?|mines?|"
    r"snipers?|gunmen|attacks?|raids?|clash(?:es)?|fighting|explosions?|blasts?|IEDs?)\b)",
    re.IGNORECASE,
)
# ", bringing the toll in Gaza since May 10 to 227", ", bringing to nearly 2,000 the toll since March": a
# running count over a period, told after one event's toll in the same sentence; its own clause, so the
# event and the period's count stay apart.
RUNNING_TOLL_CLAUSE = re.compile(
    r",\s+(?=(?:bringing|raising|taking|pushing)\s+(?:to\s+(?:[\w,-]+\s+){1,3}?)?(?:the\s+)?(?:[\w-]+\s+){0,2}?toll\b"
    r"[^.;]{0,80}?\bsince\b)",
    re.IGNORECASE,
)
# "the highest daily toll since 2015": a comparison, not a running total.
# "the deadliest since 2022", "the deadliest month this year", "the worst in a decade": the frame of a
# comparison, which dates nothing ("Last month was the deadliest this year, with 870 killed").
SUPERLATIVE_SINCE = re.compile(
    r"\b(?:highest|deadliest|worst|bloodiest|biggest|largest|heaviest|most\s+\w+)\b[^.;,]{0,60}?"
    r"\b(?:since\b[^.;,]*|(?:so\s+far\s+)?this\s+year\b|of\s+the\s+(?:year|war|conflict)\b"
    r"|in\s+(?:a|\w+)\s+(?:years|decades?)\b|on\s+record\b)",
    re.IGNORECASE,
)
# "Earlier in the day, a bomb ...": another event at another hour, unless the toll is what changed.
OTHER_HOUR = re.compile(
    r"\b(?:earlier|later)\s+(?:in\s+the\s+day|that\s+day|the\s+same\s+day)\b|\bhours\s+(?:earlier|before)\b|\belsewhere\b",
    re.IGNORECASE,
)
# "another bomb", "a separate attack": a new event, never a toll update.
NEW_EVENT = re.compile(
    r"\b(?:another|separate|second|new)\s+(?:\w+\s+){0,2}(?:bomb|bombing|blast|explosion|attack|strike|air\s+strike|raid|shell|"
    r"rocket|mortar|missile|drone|ambush|incident|clash)",
    re.IGNORECASE,
)

_CONFLICT = r"(?:civil\s+)?(?:war|conflict|insurgency|uprising|rebellion|revolt|revolution|crisis)"
# A named campaign whose toll is given in the present perfect is a running total.
_CAMPAIGN = r"(?:battle|offensive|siege|campaign|fighting|violence|bombardment)"
_LONG_SPELL = (
    r"(?:civil\s+)?(?:war|conflict|insurgency|uprising|rebellion|revolt|crisis|revolution|campaign|unrest|violence|"
    r"bloodshed|fighting)"
)
# A toll of a whole war or insurgency ("has died in the five-year conflict",
# "the insurgency has killed 20,000"): background, summed over years.
CONFLICT_TOLL = re.compile(
    r"\b(?:killed|died|dead|deaths|lives|perished)\s+(?:\w+\s+){0,3}?(?:in|during|since|over|throughout)\s+"
    r"(?:the|its|this|their|a)\s+"
    r"(?:[\w-]+\s+){0,3}?" + _CONFLICT + r"\b"
    r"|\b(?:" + _CONFLICT + "|" + _CAMPAIGN + r")\s+(?:\w+\s+){0,3}?(?:has|have)\s+(?:now\s+|so\s+far\s+|already\s+)?"
    r"(?:killed|claimed|left|cost|resulted\s+in|caused)\b"
    r"|\b(?:[\w-]+[- ]year|decade|years)[- ](?:long|old)?\s*" + _LONG_SPELL + r"\b"
    r"|\bsince\s+the\s+(?:[\w-]+\s+){0,2}?" + _CONFLICT + r"\s+(?:began|started|erupted|broke\s+out)\b",
    re.I,
)
# "the five-year conflict", "a decade-long insurgency": how far back the toll reaches.
CONFLICT_YEARS = re.compile(r"\b(\w+)[- ]year(?:s)?[- ](?:long|old)?\s*|\b(decade)[- ]long\b", re.I)
# One event named in the singular ("a bombing at the market", "the attack"): a coarse date does not make it a total.
SINGLE_EVENT = re.compile(
    r"\b(?:a|an|the|one|that)\s+(?:[\w.'-]+\s+){0,2}(?:bombing|attack|strike|air\s*strike|blast|explosion|massacre|raid|ambush|"
    r"assault|shooting|bomb|suicide\s+bomber|landmine|land\s+mine|mine|stabbing|grenade|explosive\s+device)\b(?!s)",
    re.I,
)
# "three attacks", "a series of air strikes": more than one event summed into the toll.
PLURAL_EVENTS = re.compile(
    r"\b(?:strikes|air\s*strikes|attacks|raids|bombings|clashes|killings|incidents|a\s+(?:series|wave|spate)\s+of)\b",
    re.I,
)
# "300 civilians have been killed": a running count, not one event's toll, unless an event is named with it.
PRESENT_PERFECT_TOLL = re.compile(
    r"\b(?:have|has)\s+(?:now\s+|so\s+far\s+|already\s+)?(?:been\s+killed|died|lost\s+their\s+lives|perished)\b", re.I
)
ANNIVERSARY = re.compile(r"\banniversary\s+of\b|\bcommemorat\w+\b|\bmemorial\s+(?:service|ceremony)\s+for\b", re.I)
# A family's dead ("his parents and four of his siblings"): an anecdote inside a larger toll.
KIN = re.compile(
    r"\b(?:his|her|their|my|our)\s+(?:\w+\s+)?(?:parents|children|sons|daughters|siblings|brothers|sisters|family|"
    r"relatives|wife|husband|father|mother|neighbours|neighbors|friends|cousins)\b",
    re.I,
)
# "struck a southeastern Ukrainian city", "an attack on a village": a place the sentence does not name
# yet (the story names it later), so not the one the sentences before it named.
UNNAMED_PLACE = re.compile(
    r"\b(?:a|an|another)\s+(?:[\w-]+\s+){0,3}?(?:city|town|village|hamlet|neighbou?rhood|suburb)\b", re.I
)
# "SNHR means by the word massacre: ...", "an attack is defined as ...": a definition, which counts nobody.
DEFINITION = re.compile(
    r"\bmeans?\s+by\b|\bby\s+(?:the\s+(?:word|term)\s+)?[\"'\u201c\u2018]?\w+[\"'\u201d\u2019]?\s*,?\s+(?:[\w-]+\s+){1,3}?means?\b"
    r"|\b(?:is|are)\s+defined\s+as\b|\bdefines?\s+(?:an?\s+|the\s+)?[\"'\u201c\u2018]?\w+[\"'\u201d\u2019]?\s+as\b",
    re.I,
)
