"""Event dates resolved against the publication date (GUIDE.md rules).

dateparser is not used on the hot path: it is slow, invents a day for
month-only dates and does not parse spans. The forms news copy uses are few
enough to match directly.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

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
_MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_AGO_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "day_range",
        re.compile(
            r"\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|\u2013|to|and|until)\s*(\d{1,2})(?:st|nd|rd|th)?\s+"
            + _MONTH
            + r"(?:,?\s+(\d{4}))?\b"
        ),
    ),
    ("day_month", re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?\b")),
    ("month_day", re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?")),
    (
        "first_months",
        re.compile(
            r"\bfirst\s+(half|six months|three months|quarter|nine months)\s+of\s+(?:(\d{4})|this year|the year)", re.I
        ),
    ),
    ("end_of_month", re.compile(r"\b(?:the\s+)?end\s+of\s+" + _MONTH + r"(?:\s+(\d{4}))?")),
    ("month_year", re.compile(r"\b" + _MONTH + r"\s+(\d{4})\b")),
    (
        "month",
        re.compile(
            r"\b(?:in|during|since|throughout|of|early|late|mid-?|from|until|through)\s+(?:early\s+|late\s+|mid-?)?"
            + _MONTH
            + r"\b(?![\s-]+\d)"
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
    ("start_of_year", re.compile(r"\b(?:the\s+)?(?:start|beginning)\s+of\s+(?:the|this)\s+year\b", re.I)),
    (
        "year",
        re.compile(
            r"\b(?:in|since|of|during|throughout)\s+((?:19|20)\d{2})\b(?!\s*[-,]?\s*(?:people|civilians))", re.I
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
        "period_of",
        re.compile(
            r"\b(days|weeks|months|years)\s+of\s+(?:fighting|clashes|bombardment|violence|shelling|air\s+strikes|war|conflict|siege)\b",
            re.I,
        ),
    ),
    (
        "year_adjective",
        re.compile(
            r"\b(?:the\s+)?((?:19|20)\d{2})\s+(?:siege|attack|war|massacre|bombing|battle|offensive|"
            r"campaign|uprising|invasion|assault|strike|killings)\b",
            re.I,
        ),
    ),
    ("last_month", re.compile(r"\b(last|this|earlier\s+this)\s+month\b", re.I)),
]
_REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|say|told\s+[\w.]+(?:\s+\w+)?|reported|reports|announced|called|stated|added|confirmed|claimed|published|"
    r"released|declared|warned|urged|wrote|tweeted|denied|acknowledged|appealed|demanded|statement|report|"
    r"briefing|news conference|interview)\s*,?\s*(?:late\s+|early\s+)?(?:on|in|published\s+on)?\s*$",
    re.I,
)
_BY_BEFORE = re.compile(r"\b(?:by|until|as of|on|)\s*$", re.I)
_REPORTING_AFTER = re.compile(
    r"^\s*(?:morning|afternoon|evening|night)?\s*,?\s*(?:said|says|told|announced|reported|called|confirmed|warned)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # character offsets in the article text
    end: int
    first: date
    last: date
    precision: str  # "day", "month", "span"
    reporting: bool  # "said on Sunday": when it was told, not when it happened
    lead: str  # the word before the expression ("since", "between", "on" ...)


def latest_day(*, published: date, month: int, day: int) -> date | None:
    """The latest month/day on or before ``published`` (GUIDE: "15 October" with no year)."""
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _latest_month(published: date, month: int) -> tuple[date, date]:
    year = published.year if month <= published.month else published.year - 1
    return _month_span(year, month)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(kind: str, match: re.Match[str], published: date) -> tuple[date, date, str] | None:
    groups = match.groups()
    if kind == "day_range":
        month = MONTHS[groups[2].lower().rstrip(".")]
        year_text = groups[3]
        last_day = (
            _safe_date(int(year_text), month, int(groups[1]))
            if year_text
            else latest_day(published=published, month=month, day=int(groups[1]))
        )
        first_day = _safe_date(last_day.year, month, int(groups[0])) if last_day else None
        if first_day is None or last_day is None or first_day > last_day:
            return None
        return first_day, last_day, "span"
    if kind in ("day_month", "month_day"):
        day_text, month_text = (groups[0], groups[1]) if kind == "day_month" else (groups[1], groups[0])
        month = MONTHS[month_text.lower().rstrip(".")]
        day = int(day_text)
        if groups[2]:
            found = _safe_date(int(groups[2]), month, day)
        else:
            found = latest_day(published=published, month=month, day=day)
        return (found, found, "day") if found else None
    if kind == "first_months":
        year = int(groups[1]) if groups[1] else published.year
        months = {"half": 6, "six months": 6, "three months": 3, "quarter": 3, "nine months": 9}[groups[0].lower()]
        return date(year, 1, 1), _month_span(year, months)[1], "span"
    if kind == "end_of_month":
        month = MONTHS[groups[0].lower().rstrip(".")]
        if groups[1]:
            first, last = _month_span(int(groups[1]), month)
        else:
            first, last = _latest_month(published, month)
        return last, last, "day"
    if kind == "month_year":
        first, last = _month_span(int(groups[1]), MONTHS[groups[0].lower().rstrip(".")])
        return first, last, "month"
    if kind == "month":
        first, last = _latest_month(published, MONTHS[groups[0].lower().rstrip(".")])
        return first, last, "month"
    if kind == "weekday":
        weekday = WEEKDAYS[groups[0].lower()]
        found = published - timedelta(days=(published.weekday() - weekday) % 7)
        return found, found, "day"
    if kind == "yesterday":
        phrase = match.group().lower()
        if "before" in phrase:
            offset = 2
        elif "yesterday" in phrase or "last night" in phrase:
            offset = 1
        else:
            offset = 0
        found = published - timedelta(days=offset)
        return found, found, "day"
    if kind == "days_ago":
        raw = groups[0].lower()
        offset = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        found = published - timedelta(days=offset)
        return found, found, "day"
    if kind == "ago":
        raw = groups[0].lower()
        amount = 1 if raw in ("a", "an", "one") else int(raw) if raw.isdigit() else _AGO_WORDS.get(raw, 1)
        unit = groups[1].lower().rstrip("s")
        if unit == "week":
            found = published - timedelta(days=7 * amount)
            return (
                found - timedelta(days=found.weekday()),
                found - timedelta(days=found.weekday()) + timedelta(days=6),
                "span",
            )
        if unit == "month":
            year, month = divmod(published.year * 12 + published.month - 1 - amount, 12)
            first, last = _month_span(year, month + 1)
            return first, last, "month"
        return date(published.year - amount, 1, 1), date(published.year - amount, 12, 31), "span"
    if kind == "past_period":
        raw = (groups[0] or "1").lower()
        amount = int(raw) if raw.isdigit() else _AGO_WORDS.get(raw, 1)
        unit = groups[1].lower().rstrip("s")
        days = {"hour": 0, "day": 1, "week": 7, "month": 30, "year": 365}[unit] * amount
        if unit == "hour":
            days = max(1, amount // 24)
        return published - timedelta(days=days), published, "span"
    if kind == "period_of":
        # "weeks of fighting": no start given; the usual reading of the phrase.
        days = {"days": 7, "weeks": 28, "months": 90, "years": 730}[groups[0].lower()]
        return published - timedelta(days=days), published, "span"
    if kind == "year_adjective":
        year = int(groups[0])
        if year > published.year:
            return None
        return date(year, 1, 1), min(date(year, 12, 31), published), "span"
    if kind == "start_of_year":
        return date(published.year, 1, 1), date(published.year, 1, 1), "day"
    if kind == "year":
        year = int(groups[0])
        if year > published.year:
            return None
        return date(year, 1, 1), min(date(year, 12, 31), published), "span"
    if kind == "last_month":
        if groups[0].lower() == "last":
            previous = published.replace(day=1) - timedelta(days=1)
            first, last = _month_span(previous.year, previous.month)
        else:
            first, last = published.replace(day=1), published
        return first, last, "month"
    return None


# Every pattern above needs one of these; most sentences can skip the patterns.
_HINT = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|(?i:\b(?:yesterday|today|tonight|overnight|last\s+night|this\s+morning|ago|earlier|years?|months?|weeks?|days|hours)\b)"
    r"|\b(?:19|20)\d\d\b",
)


def find_dates(*, text: str, start: int, end: int, published: date) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, resolved, in order of position.

    Overlapping matches keep the earliest pattern in ``_PATTERNS`` (the most
    specific), so "15 October 2015" is one day and not also a month.
    """
    segment = text[start:end]
    if not _HINT.search(segment):
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(segment):
            span = match.span()
            if any(span[0] < other_end and other_start < span[1] for other_start, other_end in taken):
                continue
            resolved = _resolve(kind, match, published)
            if resolved is None:
                continue
            first, last, precision = resolved
            if first > published + timedelta(days=1):
                continue
            before = segment[max(0, span[0] - 40) : span[0]]
            after = segment[span[1] : span[1] + 40]
            reporting = bool(_REPORTING_BEFORE.search(before)) or bool(_REPORTING_AFTER.match(after))
            if re.search(r"\b(?:by|as of)\s+$", before, re.I) or re.match(r"^\s*[\u2014\u2013]", after):
                # "By Sunday, activists said ..." and datelines ("BAGHDAD, July 18 —").
                reporting = True
            words = re.findall(r"[A-Za-z]+", before)
            lead = words[-1].lower() if words else ""
            if kind in ("month", "year") and match.group().split()[0].lower() in (
                "since",
                "from",
                "until",
                "through",
                "in",
                "during",
            ):
                lead = match.group().split()[0].lower()
            taken.append(span)
            found.append(DateMention(start + span[0], start + span[1], first, last, precision, reporting, lead))
    found.sort(key=lambda mention: mention.start)
    return found


_FULL_DATE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+((?:19|20)\d{2})\b"
    r"|\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b"
)


def infer_published(text: str, *, today: date) -> date:
    """Best guess at a missing publication date: the latest full date the text gives, else ``today``.

    Articles mention dates up to the day they appear ("on December 18, 2015"),
    so the latest one bounds the publication date from below.
    """
    latest: date | None = None
    for match in _FULL_DATE.finditer(text[:200_000]):
        if match.group(1):
            day, month, year = match.group(1), match.group(2), match.group(3)
        else:
            month, day, year = match.group(4), match.group(5), match.group(6)
        found = _safe_date(int(year), MONTHS[month.lower().rstrip(".")], int(day))
        if found and found <= today and (latest is None or found > latest):
            latest = found
    return latest or today
