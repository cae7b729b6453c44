"""Vocabulary of casualty reporting: verbs, victim nouns, units (general English news usage)."""

from __future__ import annotations

from reports.extraction.numbers import MODIFIERS
from reports.extraction.text import word_set

KILL_ACTIVE = word_set(
    "killed killing kill kills massacred massacring slaughtered executed executing slaying slew murdered murdering "
    "beheaded beheading"
)
# Verbs that kill when followed by "to death": "hacked to death", "beat two men to death".
TO_DEATH_VERBS = word_set(
    "hacked hacking burned burnt burning beaten beat beating stabbed stabbing stoned stoning tortured torturing "
    "starved clubbed clubbing bludgeoned bludgeoning crushed trampled shot mauled"
)
INJURE_ACTIVE = word_set(
    "wounded wounding injured injuring wounds injures hurt hurting maimed maiming stabbed stabbing"
)
KILL_PASSIVE = word_set(
    "killed dead died perished massacred executed slain deaths fatalities bodies corpses lives murdered beheaded "
    "drowned"
)
INJURE_PASSIVE = frozenset({"wounded", "injured", "hurt", "injuries", "maimed"})
AUXILIARIES = word_set(
    "were was had have has been are is being reportedly also all later subsequently believed thought to "
    "be confirmed now either both feared"
)
# Words that end a noun phrase: verbs, prepositions, conjunctions, relatives.
NP_STOP = word_set(
    "were was had have has been are is be being in on at near from after when as by during while since "
    "including with who which that among under across over into for to aged and or but than said says "
    "according the killed killing wounded wounding injured injuring dead died this last their whose where "
    "before out up so far between inside outside of lost losing claimed left leaving drowned murdered beheaded "
    "perished slain sustained suffered treated hospitalised hospitalized"
)
# Nouns of killing whose object is the victims: "the killing of two commanders".
NOMINAL_KILLING = frozenset(
    {
        "killing",
        "killings",
        "murder",
        "murders",
        "massacre",
        "deaths",
        "execution",
        "executions",
        "slaying",
        "beheading",
    }
)
TOLL_VERBS = word_set(
    "risen rose rise rises reached climbed jumped increased stood stands put puts putting raised raising "
    "revised hit passed topped exceeded surpassed bringing brought bring brings taking took"
)
# Plural nouns for people, for lists such as "a commander and two other fighters".
PERSON_PLURAL = word_set(
    "people persons civilians fighters soldiers militants rebels insurgents troops policemen officers guards members "
    "children women men relatives passengers workers residents villagers worshippers students pupils protesters "
    "others sons daughters brothers sisters grandchildren colleagues bodyguards commanders journalists paramedics "
    "guards companions friends cousins nephews wives husbands parents siblings escorts aides"
)
UNITS = word_set(
    "km kilometres kilometers kilometre kilometer miles mile metres meters m percent % per tonnes tons "
    "years year months month days day hours hour minutes weeks week aircraft sorties times am pm a.m p.m "
    "mm kg sq square barrels dollars euros pounds feet yards jets planes missiles rockets shells strikes "
    "raids attacks villages towns checkpoints points point seats votes vehicles tanks buildings "
    "homes houses families cases rounds bombs drones kilograms trucks buses cars shops stores"
)
CHILD_WORDS = word_set(
    "children child kids minors boys boy girls girl babies baby infants infant toddlers toddler "
    "schoolchildren teenagers teenager newborn sons son daughters daughter"
)
WOMEN_WORDS = word_set("women woman mothers mother wives wife sisters sister grandmother aunt")
PERSON_SINGULAR = word_set(
    "man woman boy girl child baby infant toddler soldier civilian policeman officer fighter journalist "
    "doctor nurse farmer teenager student worker resident driver paramedic person mother father son "
    "daughter wife husband brother sister commander militant rebel member guard shepherd teacher pupil "
    "volunteer medic photographer reporter passer passerby pedestrian grandmother grandfather imam priest "
    "official policewoman gunman attacker bomber displaced refugee migrant protester demonstrator "
    "cameraman employee aid elderly pensioner fisherman herder labourer laborer trader leader elder chief "
    "politician lawmaker judge lawyer activist cleric businessman candidate pilot prisoner hostage detainee "
    "mayor governor councillor councilor diplomat engineer contractor tourist pilgrim worshipper "
    "youth youngster schoolboy schoolgirl villager citizen colonel sergeant lieutenant recruit cadet conscript"
)
# Singular victims a list may name beside the counted ones: "four children, their father and a neighbour".
LIST_PERSONS = word_set(
    "neighbour neighbor uncle aunt nephew niece cousin grandson granddaughter relative friend minor couple adult "
    "husband wife father mother son daughter brother sister"
)
# People who speak about a toll more often than they are in it: "..., a doctor at the hospital said".
SPEAKERS = word_set(
    "official doctor medic paramedic nurse spokesman spokeswoman spokesperson governor mayor councillor councilor "
    "commander officer source witness resident activist reporter journalist chief leader lawmaker diplomat "
    "elder politician judge lawyer cleric imam priest"
)
# A demonym heading a victim phrase: "shot dead a Palestinian", "an Iraqi was killed".
DEMONYM_PERSONS = word_set(
    "palestinian israeli syrian iraqi yemeni afghan libyan lebanese somali sudanese nigerian kurd turk "
    "ukrainian russian egyptian jordanian saudi iranian pakistani malian congolese ethiopian american briton "
    "yazidi christian muslim jew settler"
)
SINGULAR_ATTACKERS = frozenset({"gunman", "attacker", "bomber"})
CLAUSE_END = frozenset({",", ";", ".", ":", "(", ")", "\u2014", "\u2013", '"', "\u201c", "\u201d"})
MODALS = word_set("to would could will may might not never threatened threatening can should vowed")
MONTH_WORDS = word_set(
    "january february march april may june july august september october november december jan feb mar "
    "apr jun jul aug sep sept oct nov dec"
)
WORD_NUMBERS = word_set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred"
)
COUNT_STARTS = (
    frozenset(
        {
            "a",
            "an",
            "between",
            "several",
            "many",
            "dozens",
            "scores",
            "hundreds",
            "thousands",
            "tens",
            "dozen",
            "numerous",
        }
        | {phrase[0] for phrase in MODIFIERS}
    )
    - {"the"}
    | WORD_NUMBERS
)
AGE_WORDS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
        ]
    )
}
