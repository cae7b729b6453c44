"""Vocabulary for finding places: connectors, division words, capitalised words that are never places."""

from __future__ import annotations

import re

from reports.extraction.text import word_set

CONNECTORS = word_set(
    "al el ad an ar as at az ash ez es ed bin ibn abu de du da do dos das del della di la le au aux - ul e i"
)
ADMIN1_WORDS = word_set(
    "province governorate region oblast state governorates provinces regions states oblasts prefecture division county"
)
# The countries whose first-level divisions English copy calls by these words: "Plateau state" is
# Nigeria's, not Benin's Plateau department; "Sinai governorate" no oblast. Used only to narrow a name
# that several countries' divisions bear.
DIVISION_WORD_COUNTRIES = {
    word: frozenset(countries.split())
    for words, countries in (
        ("state states", "NG SD SS MX IN MM US BR VE MY AU DE AT ET"),
        ("governorate governorates", "SY IQ YE EG JO LB PS TN OM BH KW"),
        ("oblast oblasts", "UA RU KZ KG BY BG TJ"),
    )
    for word in words.split()
}
SUBPLACE_WORDS = word_set(
    "district neighbourhood neighborhood area camp quarter suburb village town city hamlet settlement "
    "municipality township subdistrict sub-district"
)
# A place right after a bearing is a reference point, not where it happened:
# "60 km north-east of Baghdad", "a suburb east of the Libyan capital Tripoli", "near the border with Turkey";
# but "in west Mosul" is in Mosul.
REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|"
    r"south-west)\s+of|towards|toward)\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+|(?:[\w-]+\s+){0,2})$"
    r"|\bkm\s+(?:\(\d+\s+miles\)\s+)?(?:\w+\s+)?(?:of|from)\s+$|\bborder\s+with\s+$|\bcapital\s+of\s+$)",
    re.IGNORECASE,
)
# Capitalised words that are never places by themselves in news copy.
STOP_SINGLE = word_set(
    # Common sentence-opening English words that are also names of some village somewhere.
    "more most less least other others another such both each every all any few much only even still then now "
    "here where what which whom whose how why yet thus hence too very just already again once soon first second "
    "third next young people civilians among including following amid despite within over under across through "
    "around inside outside against along behind beyond upon above below down off out into like via added called "
    "asked warned urged those these there their they them when while after before during until unless because "
    "although though however both either neither nor not no none nobody nothing everyone everything someone "
    "something anyone anything many several dozens hundreds thousands scores victims survivors relatives families "
    "doctors medics rescuers rescue emergency hospital officials witnesses sources reports report reporters "
    "the a an in on at of and but he she it they we i his her their this that these those there when "
    "while after before since as by for from with without according said says monday tuesday wednesday "
    "thursday friday saturday sunday january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "mr mrs ms dr president prime minister ministry army police state states islamic "
    "united nations council security forces force government coalition observatory human rights red cross "
    "crescent news agency reuters associated press afp ap bbc jazeera television tv front party movement "
    "brigade brigades group committee international national civil defence defense health interior "
    "foreign white helmets doctors medecins sans frontieres save children amnesty watch unicef who un eu "
    "us nato isis isil is hamas hezbollah taliban houthi houthis kurdish kurds sunni shia shiite "
    "christian muslim arab west east north south northern southern eastern western central great hall "
    "hospital mosque church school market street road highway airport camp city town village district "
    "province governorate region area old new holy mount river lake sea gulf witnesses officials "
    "residents survivors rebels opposition activists militants monitors pentagon kremlin moscow "
    "washington london paris geneva brussels beirut istanbul ankara tehran riyadh doha cairo amman "
    "gaziantep berlin dozens scores hundreds thousands several many some one two three four five six "
    "seven eight nine ten late early local regional provincial federal supreme military air naval ground "
    "special republic democratic people popular liberation revolutionary guard guards corps command "
    "general lieutenant colonel major captain sergeant spokesman spokeswoman governor mayor chief head "
    "leader commander deputy secretary envoy ambassador king prince sheikh imam mohammed muhammad ahmed "
    "ali hassan hussein abdullah omar khalid mahmoud ibrahim yousef youssef mustafa syrian iraqi yemeni "
    "ukrainian afghan libyan lebanese palestinian israeli russian turkish iranian saudi american british "
    "french german nigerian somali sudanese an but no not yes also however meanwhile separately earlier "
    "later today yesterday tomorrow it's its our your my me him them us shi'ite shiite alawite druze "
    "yazidi armenian christian sunni catholic orthodox coptic jewish hindu buddhist rohingya tribal "
    # The last word of an organisation's name ("the Violations Documentation Center"), never a town alone.
    "center centre office institute foundation association union network commission organisation "
    "organization society alliance federation assembly court tribunal bureau authority department media agency"
)
# Cities that news copy mostly uses for their governments or as the place a
# statement came from ("Ankara denied", "talks in Geneva" is still a place, but
# "Moscow said" is not). They count as places only after a locative word.
METONYM_CITIES = word_set(
    "moscow washington london paris geneva brussels beirut istanbul ankara tehran riyadh doha cairo amman "
    "gaziantep berlin"
)
# Titles before a person's name ("Minister Alfonso Durazo"): the name is no place.
PERSON_TITLES = word_set(
    "minister president spokesman spokeswoman spokesperson governor mayor commander general colonel captain "
    "lieutenant sergeant chief leader secretary envoy ambassador king prince sheikh imam dr mr mrs ms judge "
    "senator lawmaker mp director coordinator deputy adviser advisor premier chancellor pope cleric "
    "correspondent reporter activist resident witness survivor doctor nurse official officer"
)
LEADING_STOP = word_set(
    "a an the in on at of and but for from with by as to after before when while near separately "
    "meanwhile elsewhere some several two three"
)
LOCATIVE_BEFORE = word_set("in near at of outside into around from on")
SUBPLACE_PATTERN = re.compile(
    r"\b(?:villages?|towns?|city|hamlets?|camp|settlement|municipality|district|neighbourhood|neighborhood|suburb|"
    r"quarter)\s+of\s+((?:(?:al|el|an|ad|ar|as|at|az|ash)[- ])?[A-Z][\w'\u2019]+(?:[\s-]+(?:[A-Z][\w'\u2019]+|al|el))*)"
    r"|\b((?:[A-Z][\w'\u2019]+)(?:[\s-]+(?:al|el|[A-Z][\w'\u2019]+))*)"
    r"\s+(?:(?:residential|industrial|commercial|central|northern|southern|eastern|western|old)\s+)?"
    r"(?:district|sub-?district|neighbourhood|neighborhood|area|refugee\s+camp|camp|quarter|suburb|town|village)\b"
    r"(?!\s+of\b)"
)
