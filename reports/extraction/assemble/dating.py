"""Dates told relative to the text's own anchor (GUIDE): "a week earlier", "one day after",
"the toll rose to 61 on Thursday", "Monday's attack"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from reports.extraction.assemble.model import Analysis
from reports.extraction.casualties import Mention
from reports.extraction.contract import DatePrecision
from reports.extraction.dates import DateMention
from reports.extraction.numbers import UNITS
from reports.extraction.text import Sentence

# "a week", "three days": number words, and the indefinite article as one.
_COUNT_WORDS = {**UNITS, "a": 1, "an": 1}
# "a week earlier", "three days before": counted back from the event told just before.
EARLIER = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(days?|weeks?)\s+(?:earlier|before)\b", re.I
)
# "The following month 237 more were killed": the month after the one told just before.
FOLLOWING_MONTH = re.compile(r"\b(?:the\s+(?:following|next)\s+month|a\s+month\s+later)\b", re.I)
# "came one day after shelling killed seven", "days after the bombing that killed 20": counted back from the anchor.
AFTER = re.compile(
    r"\b(less\s+than\s+|within\s+)?(?:(a|an|one|two|three|four|five|six|seven|\d+)\s+(days?|weeks?)|(days|weeks))"
    r"\s+after\b",
    re.I,
)
# "Monday's attack", "in Sunday evening's raid": a day named for the event itself.
NAMED_EVENT_DAY = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?['\u2019]s\s+"
    r"(?:[\w-]+\s+){0,2}?(?:attack|strike|air\s*strike|bombing|blast|explosion|raid|assault|shelling|ambush|massacre|"
    r"clashes|fighting|shooting)\b"
)


def relative_to_anchor(
    analysis: Analysis, sentence: Sentence, own_dates: list[DateMention], anchor: int, published: date
) -> tuple[date, date, DatePrecision] | None:
    """The date of a toll told relative to another event ("a week earlier", "one day after"), or None."""
    text = sentence.text
    if not own_dates and FOLLOWING_MONTH.search(text):
        told = [
            found
            for index in range(sentence.index - 1, max(-1, sentence.index - 4), -1)
            for found in reversed(analysis.dates.get(index, []))
            if not found.reporting
        ]
        if told:
            year, month = divmod(told[0].first.year * 12 + told[0].first.month, 12)
            first = date(year, month + 1, 1)
            last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
            if first <= published:
                return first, min(last, published), DatePrecision.MONTH
    found = EARLIER.search(text)
    if found is not None and _dated_after(own_dates, sentence.start + found.end()):
        return None  # "days after 9 were killed in an ambush on Monday": the toll's own day
    if found is not None:
        # "A week earlier, ..." at the end of the story: counted from the main story's day.
        base = previous_event_day(analysis, sentence.index) or lead_event_day(analysis)
        if base is None:
            return None
        amount = _COUNT_WORDS.get(found.group(1).lower()) or int(found.group(1))
        days = amount * (7 if found.group(2).lower().startswith("week") else 1)
        day = base - timedelta(days=days)
        return day, day, DatePrecision.DAY
    found = AFTER.search(text)
    if found is None or sentence.start + found.end() > anchor or _dated_after(own_dates, sentence.start + found.end()):
        return None  # the toll must belong to the earlier event, after "after", and have no day of its own
    before = [d for d in own_dates if d.end <= sentence.start + found.start()]
    if before and (before[-1].last - before[-1].first).days >= 7:
        # "in March 2018, a day after a bombing that killed 30": dated no finer than its anchor
        return before[-1].first, min(before[-1].last, published), DatePrecision.MONTH
    base = before[-1].last if before else lead_event_day(analysis) or published
    return before_anchor(found, base)


def before_anchor(found: re.Match[str], base: date) -> tuple[date, date, DatePrecision]:
    """The days of an event told ``AFTER`` as "N days after" it, counted back from the ``base`` day."""
    if found.group(4):
        # "days after": some days, up to a week, before the anchor
        return base - timedelta(days=7), base - timedelta(days=1), DatePrecision.SPAN
    amount = _COUNT_WORDS.get(found.group(2).lower()) or int(found.group(2))
    days = amount * (7 if found.group(3).lower().startswith("week") else 1)
    if found.group(1):
        # "less than a week after": any day of that week before the anchor
        return base - timedelta(days=days - 1), base - timedelta(days=1), DatePrecision.SPAN
    day = base - timedelta(days=days)
    return day, day, DatePrecision.DAY


def _dated_after(own_dates: list[DateMention], position: int) -> bool:
    return any(d.precision == DatePrecision.DAY and d.start >= position for d in own_dates)


def event_days(analysis: Analysis, indexes: range) -> list[DateMention]:
    return [
        d
        for index in indexes
        for d in analysis.dates.get(index, [])
        if not d.reporting and d.precision == DatePrecision.DAY
    ]


def previous_event_day(analysis: Analysis, index: int) -> date | None:
    """The day of the event told last before sentence ``index``, within two paragraphs."""
    paragraph = analysis.sentences[index].paragraph
    days = [d for d in event_days(analysis, range(index)) if _paragraph_of(analysis, d) >= paragraph - 2]
    return days[-1].first if days else None


def lead_event_day(analysis: Analysis) -> date | None:
    """The first event day the article gives in a casualty sentence: the day of its main story."""
    casualty = [index for index in sorted(analysis.mentions) if analysis.mentions[index][0]]
    days = event_days(analysis, range(casualty[0], casualty[0] + 1)) if casualty else []
    return days[0].first if days else None


def _paragraph_of(analysis: Analysis, mention: DateMention) -> int:
    for sentence in analysis.sentences:
        if sentence.start <= mention.start < sentence.end:
            return sentence.paragraph
    return 0


def after_update(text: str, start: int, mention: Mention, day: DateMention) -> bool:
    """Whether ``day`` dates a toll update ("rose to 61 on Thursday"), not the event."""
    if not mention.toll_update or day.precision != DatePrecision.DAY or day.start < mention.end:
        return False
    between = text[mention.end - start : day.start - start]
    return len(between) <= 40 and bool(re.fullmatch(r"[\s\w.,:()]*?\b(?:on|as\s+of|by)\s*", between, re.I))


def event_day_before(analysis: Analysis, bound: date) -> DateMention | None:
    """The first event day the article gives before ``bound`` (at most a week before)."""
    days = [
        d for d in event_days(analysis, range(len(analysis.sentences))) if bound - timedelta(days=7) <= d.first < bound
    ]
    return days[0] if days else None


def named_event_day(analysis: Analysis, index: int) -> DateMention | None:
    """The day the next sentences give for the event of a lead that has none.

    "Tuesday's bombing was aimed at ...", "two missiles struck the city centre on Monday
    evening", "the killings overnight in the district": a day named for the event itself, or a
    day after a verb of attack in a sentence with no toll of its own, or right after an
    anaphoric noun of the event.
    """
    paragraph = analysis.sentences[index].paragraph
    for other in range(index + 1, min(len(analysis.sentences), index + 4)):
        sentence = analysis.sentences[other]
        if sentence.paragraph > paragraph + 2:
            break
        near = other <= index + 2 and sentence.paragraph <= paragraph + 1
        found = NAMED_EVENT_DAY.search(sentence.text)
        has_toll = bool(analysis.mentions.get(other, ([], []))[0])
        for day in analysis.dates.get(other, []):
            if day.reporting or not (
                day.precision == DatePrecision.DAY
                or (day.precision == DatePrecision.SPAN and (day.last - day.first).days <= 1)
            ):
                continue
            before = sentence.text[max(0, day.start - sentence.start - 60) : day.start - sentence.start]
            before = re.split(r"[,;:]", before)[-1]
            if (
                (found is not None and day.start == sentence.start + found.start())
                or (near and not has_toll and ATTACK_VERB.search(before))
                or (near and EVENT_ANAPHORA.search(before))
                or (near and TOOK_PLACE.search(sentence.text))
            ):
                return day
    return None


# A verb of attack before a day: "two missiles struck the city centre on Monday evening".
ATTACK_VERB = re.compile(
    r"\b(?:fired|struck|hit|launched|attacked|exploded|detonated|bombed|shelled|targeted|stormed|raided|opened\s+fire)\b",
    re.I,
)
# "the attack took place on Saturday": the sentence tells the same event again.
TOOK_PLACE = re.compile(
    r"\b(?:the\s+(?:attack|strike|raid|bombing|massacre|killings?)\s+)(?:took\s+place|happened|occurred)\b", re.I
)
# The event named again, right before its day: "the killings overnight", "the attack on Monday".
EVENT_ANAPHORA = re.compile(
    r"\bthe\s+(?:deaths|killings?|attack|strike|air\s*strike|bombing|blast|explosion|raid|massacre|ambush)"
    r"(?:\s+(?:on|in|at|late|early))?\s*$",
    re.I,
)
