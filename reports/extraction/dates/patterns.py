"""The date expressions news copy uses, as regular expressions, and the word tables they need."""

from __future__ import annotations

import re

from reports.extraction.numbers import UNITS

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
MONTH_RE = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
# Counts of days, weeks, months in relative dates ("three weeks ago"), from the one number-word table.
AGO_WORDS = {word: value for word, value in UNITS.items() if 2 <= value <= 12}
NUMBER_WORDS = {word: value for word, value in AGO_WORDS.items() if value <= 10}

_OF_THIS_YEAR = r"\s+(?i:of\s+)?(?i:this\s+year)\b"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        # "between January and June 2020", "from March to May", "in March and April": both ends of a
        # period of months.
        "month_range",
        re.compile(
            r"\b(?i:between|from|in|during|throughout|over)\s+"
            + MONTH_RE
            + r"(?:\s+(\d{4}))?\s+(?i:and|to|until|through|-|\u2013)\s+"
            + MONTH_RE
            + r"(?:,?\s+(\d{4}))?\b(?![\s-]+\d)"
        ),
    ),
    (
        # "in the week to 15 April", "the week ending April 15": the seven days up to that day.
        "week_to",
        re.compile(
            r"\b(?i:week\s+(?:to|ending(?:\s+on)?|up\s+to))\s+(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + MONTH_RE
            + r"|"
            + MONTH_RE
            + r"\s+(\d{1,2})(?:st|nd|rd|th)?)(?:,?\s+(\d{4}))?\b"
        ),
    ),
    (
        # "overnight Tuesday", "overnight on Saturday": the night from that day into the next.
        "overnight_day",
        re.compile(
            r"\b(?i:overnight\s+(?:on\s+)?)(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!['\u2019])"
        ),
    ),
    (
        "day_range",
        re.compile(
            r"\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|\u2013|to|and|until)\s*(\d{1,2})(?:st|nd|rd|th)?\s+"
            + MONTH_RE
            + r"(?:,?\s+(\d{4}))?\b"
        ),
    ),
    # "28 June of this year" is that day of the publication's year, as "28 June" alone is.
    (
        "day_month",
        re.compile(
            r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH_RE + r"(?:,?\s+(\d{4})\b|" + _OF_THIS_YEAR + r")?\b"
        ),
    ),
    (
        "month_day",
        re.compile(r"\b" + MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})|" + _OF_THIS_YEAR + r")?"),
    ),
    (
        # "the third quarter of 2023", "the second half of the year".
        "part_of_year",
        re.compile(
            r"\b(first|second|third|fourth|last)\s+(quarter|half)\s+of\s+(?:(\d{4})|this\s+year|the\s+year|last\s+year)",
            re.I,
        ),
    ),
    (
        # "the first half of 2024", "the first four months of the year".
        "first_months",
        re.compile(
            r"\bfirst\s+(half|quarter|(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months)\s+of\s+"
            r"(?:(\d{4})|this\s+year|the\s+year)",
            re.I,
        ),
    ),
    # "the first week of March", "the last week of June 2023": seven days of the month.
    (
        "week_of_month",
        re.compile(r"\b(?i:first|second|third|fourth|last|final)\s+(?i:week)\s+of\s+" + MONTH_RE + r"(?:\s+(\d{4}))?"),
    ),
    ("end_of_month", re.compile(r"\b(?:the\s+)?end\s+of\s+" + MONTH_RE + r"(?:\s+(\d{4}))?")),
    # "January 2024", "late January 2024" (the last third of the month), "mid-March 2023".
    ("month_year", re.compile(r"\b(?:(?i:early|late|mid-?)\s*)?" + MONTH_RE + r"\s+(\d{4})\b")),
    # "On 19/12/2018", "12-19-2018": a police statement's numeric date (day or month first).
    ("numeric", re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d\d)(?![\d/.-])")),
    ("last_monthname", re.compile(r"\b(?i:last)\s+" + MONTH_RE + r"\b(?![\s-]+\d)")),
    ("month_last_year", re.compile(r"\b" + MONTH_RE + r"\s+(?:of\s+)?last\s+year\b")),
    # "a January attack on two villages", "the March massacre": the month as an adjective of the event.
    ("month", re.compile(r"\b(?i:a|an|the)\s+" + MONTH_RE + r"(?=\s+[a-z])")),
    # "February was the deadliest month", "January saw 300 killed": the month as the subject.
    (
        "month",
        re.compile(
            r"\b"
            + MONTH_RE
            + r"(?=\s+(?:alone\s+)?(?:was|saw|has\s+been|had\s+been|proved|became|remained|witnessed)\b)"
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?i:in|during|since|throughout|of|early|late|mid-?|from|until|through)\s+(?i:early\s+|late\s+|mid-?)?"
            + MONTH_RE
            + r"\b(?![\s-]+\d)(?:"
            + _OF_THIS_YEAR
            + r")?"
        ),
    ),
    (
        "overnight_into",
        re.compile(r"\b(?i:overnight\s+(?:into|to))\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    ),
    (
        "weekday_range",
        re.compile(
            r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+(?:and|to|through|until|into|-|\u2013)\s+"
            r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
    ),
    ("weekday", re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['\u2019]s)?\b")),
    (
        "yesterday",
        re.compile(
            r"\b(?:the\s+day\s+before\s+yesterday|yesterday|last\s+night|overnight|today|this\s+morning|tonight|earlier\s+today)\b",
            re.I,
        ),
    ),
    ("days_ago", re.compile(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+days\s+(?:ago|earlier)\b", re.I)),
    # "since the start of the year", "since the beginning of the month": the first day of that period.
    (
        "start_of_period",
        re.compile(r"\b(?:the\s+)?(?:start|beginning)\s+of\s+(?:the|this)\s+(year|month|week)\b", re.I),
    ),
    # "so far this year", "earlier this year": from the first of January to the report.
    ("this_year", re.compile(r"\b(?:so\s+far\s+)?(?:this|the\s+current)\s+year\b(?!['\u2019])", re.I)),
    # "over the weekend", "last weekend": the Saturday and Sunday on or before the report.
    (
        "weekend",
        re.compile(
            r"\b(?:(?:over|at|during|on)\s+the|this|last|the\s+past)\s+weekend\b"
            # "the weekend missile strike", "the weekend's attack": the event named by its days
            r"|\bthe\s+weekend(?:['\u2019]s)?(?=\s+(?:[\w-]+\s+){0,2}?(?:strike|attack|bombing|raid|shelling|massacre|"
            r"assault|ambush|blast|explosion)s?\b)",
            re.I,
        ),
    ),
    # "in 2019 and 2020", "between 2019 and 2021", "from 2015 to 2017", "in 2019-2020": both years whole.
    (
        "year_range",
        re.compile(
            r"\b(?:in|during|between|from|over|throughout)\s+((?:19|20)\d{2})\s*(?:and|to|until|through|-|\u2013)\s*"
            r"((?:19|20)\d{2})\b",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:in|since|of|during|throughout|the\s+year)\s+(?:late\s+|early\s+|mid-?)?((?:19|20)\d{2})\b"
            r"(?!\s*[-,]?\s*(?:people|civilians))",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+(weeks?|months?|years?)\s+ago\b",
            re.I,
        ),
    ),
    (
        "past_period",
        re.compile(
            r"\b(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+(?:(\d+|two|three|four|five|six|seven|eight|nine|ten"
            r"|twelve)\s+)?(hours|days?|weeks?|months?|years?)\b",
            re.I,
        ),
    ),
    (
        # "in the year since Moscow began its intervention", "in the six months since the truce".
        "period_since",
        re.compile(
            r"\b(?:in|over|during)\s+the\s+(?:(\d+|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+)?"
            r"(days?|weeks?|months?|years?)\s+since\b",
            re.I,
        ),
    ),
    (
        "period_of",
        re.compile(
            r"\b(days|weeks|months|years)\s+of\s+(?:fighting|clashes|bombardment|violence|shelling|air\s+strikes|war|conflict|siege)\b",
            re.I,
        ),
    ),
    (
        "year_adjective",
        re.compile(
            r"\b(?:the\s+|an?\s+)?((?:19|20)\d{2})\s+(?:[a-z-]+\s+){0,2}?(?:siege|attack|war|massacre|bombing|battle|offensive|"
            r"campaign|uprising|invasion|assault|strike|killings)\b",
            re.I,
        ),
    ),
    ("last_week", re.compile(r"\b(last|this)\s+week\b", re.I)),
    ("last_year", re.compile(r"\blast\s+year\b", re.I)),
    (
        "duration",
        re.compile(
            r"\b(two|three|four|five|six|seven|eight|nine|ten|\d+)[- ](day|week|month)[- ](?:long\s+)?"
            r"(?:offensive|campaign|battle|siege|operation|assault|bombardment|fighting|war)\b",
            re.I,
        ),
    ),
    ("last_month", re.compile(r"\b(last|this|earlier\s+this)\s+month\b", re.I)),
]
REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|say|told\s+[\w.]+(?:\s+\w+)?|reported|reports|announced|called|stated|added|confirmed|claimed|published|"
    r"released|issued|declared|warned|urged|wrote|tweeted|denied|acknowledged|appealed|demanded|statement|report|"
    r"briefing|news conference|interview)\s*,?\s*(?:late\s+|early\s+)?(?:on|in|published\s+on)?\s*$",
    re.I,
)
_BY_BEFORE = re.compile(r"\b(?:by|until|as of|on|)\s*$", re.I)
REPORTING_AFTER = re.compile(
    r"^\s*(?:morning|afternoon|evening|night)?\s*,?\s*(?:said|says|told|announced|reported|called|confirmed|warned)\b",
    re.I,
)


# A word each pattern cannot match without (lower case): a substring test is cheaper than the regex.
NEEDS: dict[str, tuple[str, ...]] = {
    "week_to": ("week",),
    "overnight_day": ("overnight",),
    "part_of_year": ("quarter", "half"),
    "first_months": ("first",),
    "end_of_month": ("end",),
    "week_of_month": ("week",),
    "last_monthname": ("last",),
    "month_last_year": ("last",),
    "overnight_into": ("overnight",),
    "weekday_range": ("day",),
    "weekday": ("day",),
    "yesterday": ("yesterday", "night", "today", "morning"),
    "days_ago": ("days",),
    "start_of_period": ("start", "beginning"),
    "this_year": ("year",),
    "weekend": ("weekend",),
    "ago": ("ago",),
    "past_period": ("past", "last", "previous"),
    "period_since": ("since",),
    "period_of": ("of",),
    "duration": ("day", "week", "month"),
    "last_week": ("week",),
    "last_year": ("last",),
    "last_month": ("month",),
}

# Every pattern above needs one of these; most sentences can skip the patterns.
HINT = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|(?i:\b(?:yesterday|today|tonight|overnight|last\s+night|this\s+morning|ago|earlier|years?|months?|weeks?|weekend|days?|hours)\b)"
    r"|\b(?:19|20)\d\d\b",
)


FULL_DATE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + MONTH_RE + r",?\s+((?:19|20)\d{2})\b"
    r"|\b" + MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b"
)
