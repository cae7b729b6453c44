"""Event dates resolved against the publication date (GUIDE.md rules).

dateparser is not used on the hot path: it is slow, invents a day for
month-only dates and does not parse spans. The forms news copy uses are few
enough to match directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from reports.extraction.contract import DatePrecision
from reports.extraction.dates.patterns import (
    FULL_DATE,
    HINT,
    MONTHS,
    NEEDS,
    PATTERNS,
    REPORTING_AFTER,
    REPORTING_BEFORE,
)
from reports.extraction.dates.resolve import latest_day, resolve, safe_date

__all__ = ["MONTHS", "DateMention", "find_dates", "infer_published", "latest_day"]

# A verb of the event itself: a date after it in the same clause dates the event, even before "said".
EVENT_VERB = re.compile(
    r"\b(?:killed|killing|wounded|wounding|injured|injuring|died|dead|struck|hit|exploded|attacked|shot|fired|"
    r"shelled|bombed|clashed|ambushed|raided)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # character offsets in the article text
    end: int
    first: date
    last: date
    precision: DatePrecision  # a day, a month or a span; never PUBLISHED
    reporting: bool  # "said on Sunday": when it was told, not when it happened
    lead: str  # the word before the expression ("since", "between", "on" ...)


def find_dates(*, text: str, start: int, end: int, published: date) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, resolved, in order of position.

    Overlapping matches keep the earliest pattern in ``PATTERNS`` (the most
    specific), so "15 October 2015" is one day and not also a month.
    """
    segment = text[start:end]
    if not HINT.search(segment):
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    lowered = segment.lower()
    for kind, pattern in PATTERNS:
        needs = NEEDS.get(kind)
        if needs is not None and not any(word in lowered for word in needs):
            continue
        for match in pattern.finditer(segment):
            span = match.span()
            if any(span[0] < other_end and other_start < span[1] for other_start, other_end in taken):
                continue
            resolved = resolve(kind, match, published)
            if resolved is None:
                continue
            first, last, precision = resolved
            if first > published + timedelta(days=1):
                continue
            before = segment[max(0, span[0] - 40) : span[0]]
            after = segment[span[1] : span[1] + 40]
            clause = segment[: span[0]].rsplit(",", 1)[-1]
            introduces_toll = bool(re.match(r",\s*(?:at\s+least|more\s+than|some|about|nearly|around|\d)", after, re.I))
            reporting = (bool(REPORTING_BEFORE.search(before)) and not introduces_toll) or (
                # "killed four farmers on Monday, officials said": the day of the killing, told after it
                bool(REPORTING_AFTER.match(after)) and not EVENT_VERB.search(clause)
            )
            line_start = text.rfind("\n", 0, start + span[0]) + 1
            line_end = text.find("\n", start + span[1])
            line_end = len(text) if line_end == -1 else line_end
            line = text[line_start:line_end]
            if (
                not text[start + span[1] : line_end].strip(" .")
                and len(line.split()) <= 8
                and (heading := text[line_start : start + span[0]].strip(" ,-\u2013\u2014"))
                and all(word[:1].isupper() for word in heading.split())
            ):
                # "Islamabad, August 1, 2019" or "Monthly Security Report - September 2014" on a line of its
                # own: a dateline or a page's heading, not when anything happened. (A bare date on its line,
                # the page's stamp, is left as it was: it is nearly always the publication day.)
                reporting = True
            if (
                re.search(r"\b(?:by|as of)\s+$", before, re.I)
                or re.search(r"\bas\s+of\b[^.;]{0,25}$", before, re.I)
                or re.match(r"^\s*[\u2014\u2013]", after)
            ):
                # "By Sunday, activists said ...", "as of 06:00 on 9 March" and datelines ("BAGHDAD, July 18 —").
                reporting = True
            words = re.findall(r"[A-Za-z]+", before)
            lead = words[-1].lower() if words else ""
            if kind in ("month", "year", "year_range") and match.group().split()[0].lower() in (
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
    for position in range(1, len(found)):
        previous, current = found[position - 1], found[position]
        if previous.reporting and re.fullmatch(r",\s*|\s*\(\s*", text[previous.end : current.start]):
            # "police said Friday, 4 March", "said on Monday (Jan 16)": the same day said twice
            found[position] = replace(current, reporting=True)
    return found


def infer_published(text: str, *, today: date) -> date:
    """Best guess at a missing publication date: the latest full date the text gives, else ``today``.

    Articles mention dates up to the day they appear ("on December 18, 2015"),
    so the latest one bounds the publication date from below.
    """
    latest: date | None = None
    for match in FULL_DATE.finditer(text[:200_000]):
        if match.group(1):
            day, month, year = match.group(1), match.group(2), match.group(3)
        else:
            month, day, year = match.group(4), match.group(5), match.group(6)
        found = safe_date(int(year), MONTHS[month.lower().rstrip(".")], int(day))
        if found and found <= today and (latest is None or found > latest):
            latest = found
    return latest or today
