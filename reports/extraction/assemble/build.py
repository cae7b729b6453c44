"""A new incident (or aggregate) from one casualty sentence: dates, span and place."""

from __future__ import annotations

import re
from datetime import date, timedelta

from reports.extraction.assemble.dating import (
    after_update,
    event_day_before,
    event_days,
    named_event_day,
    relative_to_anchor,
)
from reports.extraction.assemble.locate import (
    anaphoric_town,
    capital_named,
    context_sentences,
    country_located,
    locate,
    pick_place,
)
from reports.extraction.assemble.model import Analysis, Incident
from reports.extraction.assemble.patterns import (
    ACROSS_NAMED,
    AGGREGATE_CUE,
    ANAPHORA,
    AREA_WIDE,
    CONFLICT_TOLL,
    CONFLICT_YEARS,
    PLURAL_EVENTS,
    PRESENT_PERFECT_TOLL,
    REGION_WIDE,
    SINGLE_EVENT,
    SUPERLATIVE_SINCE,
    TOLL_CUE,
    UNNAMED_PLACE,
    WHOLE_MONTH,
)
from reports.extraction.casualties import Mention
from reports.extraction.contract import DatePrecision
from reports.extraction.dates import DateMention
from reports.extraction.places import PlaceMention
from reports.extraction.text import Sentence

_RUNNING_COUNT = re.compile(r"\bsince\b|\b(?:in|over|during)\s+the\s+(?:past|last)\b", re.I)
_BETWEEN_DAYS = re.compile(r"\bbetween\b", re.I)
_RUNNING_TOTAL = re.compile(r"\bsince\b|\bbetween\b|\bso\s+far\b|\bin\s+total\b|\ba\s+total\s+of\b", re.I)


def build(
    analysis: Analysis,
    sentence: Sentence,
    mentions: list[Mention],
    published: date,
    last_event_date: DateMention | None,
) -> Incident:
    index = sentence.index
    killed = [m for m in mentions if m.kind == "killed"]
    injured = [m for m in mentions if m.kind == "injured"]
    anchor = (killed or injured)[0].start
    incident = Incident(
        aggregate=False, sentences=[index], killed=killed, injured=injured, paragraph=sentence.paragraph
    )
    own_dates = [d for d in analysis.dates.get(index, []) if not d.reporting]
    running_short = False
    # "the worst violence since a truce took effect on 27 February" compares; it sets no span.
    blanked = SUPERLATIVE_SINCE.sub(lambda match: " " * len(match.group()), sentence.text)
    span_dates = [d for d in own_dates if not blanked[d.start - sentence.start : d.end - sentence.start].isspace()]
    conflict = CONFLICT_TOLL.search(blanked)
    wide = AREA_WIDE.search(blanked) or REGION_WIDE.search(blanked) or ACROSS_NAMED.search(blanked)
    cue = (AGGREGATE_CUE.search(blanked) or conflict or wide) and not ANAPHORA.search(sentence.text)
    plain = Sentence(sentence.start, sentence.end, sentence.paragraph, sentence.index, blanked)
    aggregate_span = span_of_aggregate(plain, span_dates, published) if cue else None
    if aggregate_span is None and cue and (since_event := SINCE_EVENT.search(blanked)) is not None:
        aggregate_span = span_since_event(analysis, sentence, since_event.start(), published)
    if aggregate_span is None and conflict:
        aggregate_span = conflict_span(blanked, published)
        incident.background = war_long(conflict.group(), blanked)
    if conflict and aggregate_span is not None and (aggregate_span[1] - aggregate_span[0]).days >= 7:
        # The toll of a whole war or insurgency: summed over years, never one event.
        incident.aggregate = True
        incident.date_first, incident.date_last, incident.date_precision = (
            aggregate_span[0],
            aggregate_span[1],
            DatePrecision.SPAN,
        )
    elif aggregate_span is not None:
        first, last = aggregate_span
        month_only = (
            all(d.precision == DatePrecision.MONTH for d in own_dates)
            and not re.search(
                r"\bsince\b|\bbetween\b|\bfrom\b.{0,40}\bto\b|\brecorded\b|\bso\s+far\b|\bin\s+total\b|\ba\s+total\s+of\b|\bover\s+the\s+(?:past|last)\b|\bin\s+the\s+(?:past|last)\b|\bduring\s+the\s+(?:war|conflict)\b",
                sentence.text,
                re.I,
            )
            and not WHOLE_MONTH.search(sentence.text)
        )
        many_events = bool(
            re.search(r"\b(?:strikes|attacks|raids|bombings|shelling|clashes|fighting|violence)\b", sentence.text, re.I)
        )
        year_only = (
            bool(own_dates)
            and all(
                d.precision in (DatePrecision.MONTH, DatePrecision.SPAN) and (d.last - d.first).days >= 27
                for d in own_dates
            )
            and not re.search(
                r"\bsince\b|\bbetween\b|\bso\s+far\b|\bin\s+total\b|\ba\s+total\s+of\b", sentence.text, re.I
            )
        )
        if year_only and SINGLE_EVENT.search(sentence.text) and not wide:
            # "Last year, a bombing at the same market killed 30": one past event, dated coarsely
            # by the date nearest its toll ("in October 2014 a double bombing ... killed dozens").
            nearest = min(span_dates or own_dates, key=lambda d: abs(d.start - anchor))
            first, last = nearest.first, min(nearest.last, published)
        elif (
            (SINGLE_EVENT.search(sentence.text) or TOLL_CUE.search(sentence.text))
            and not many_events
            and not wide
            and (last - first).days <= 7
            and not _RUNNING_TOTAL.search(sentence.text)
        ):
            pass  # "the toll in a gang attack last week has risen to 115": one event, dated within the week
        elif (
            month_only
            and not many_events
            and not REGION_WIDE.search(sentence.text)
            and not AREA_WIDE.search(sentence.text)
            and not ACROSS_NAMED.search(sentence.text)
        ):
            pass
        elif (
            (last - first).days >= 6  # a week or more, both ends included
            or REGION_WIDE.search(sentence.text)
            or AREA_WIDE.search(sentence.text)
            or re.search(r"\ba\s+total\s+of\b|\bin\s+total\b|\bso\s+far\b", sentence.text, re.I)
        ):
            incident.aggregate = True
        elif _RUNNING_COUNT.search(sentence.text) and not SINGLE_EVENT.search(sentence.text):
            # "123 dead since Monday in the state", "60 killed in the past three days": a running count over a
            # stated period, however short (GUIDE: "52 killed since yesterday across the province"), unless
            # one event is named or the count is of one town (shelling on a city since Friday: one incident).
            running_short = True
        incident.date_first, incident.date_last, incident.date_precision = first, last, DatePrecision.SPAN
    elif (
        relative := relative_to_anchor(analysis, sentence, own_dates, min(m.start for m in mentions), published)
    ) is not None:
        # "A week earlier, a bomb wounded nine", "came one day after shelling killed seven": counted from
        # the text's own anchor, not from the publication day (GUIDE).
        incident.date_first, incident.date_last, incident.date_precision = relative
    else:
        # "the deadliest since 2022": a comparison's date is the event's only when the sentence has no other.
        own_dates = span_dates or own_dates
        update_days = [d for d in own_dates if any(after_update(sentence.text, sentence.start, m, d) for m in mentions)]
        own_dates = [d for d in own_dates if d not in update_days]
        day_dates = [d for d in own_dates if d.precision == DatePrecision.DAY]
        other_dates = [d for d in own_dates if d.precision in (DatePrecision.MONTH, DatePrecision.SPAN)]
        if update_days and not day_dates:
            # "The toll rose to 61 on Thursday": Thursday is the day of the update; the event came
            # before it, on a day the article gives elsewhere ("late on Monday").
            earlier = event_day_before(analysis, update_days[0].first)
            day_dates = [earlier or update_days[0]]
        old_dates = [d for d in other_dates if d.last < published - timedelta(days=365)]
        if day_dates and old_dates:
            # "A court on Monday sentenced 20 men over a 2013 attack that killed 13": the day is
            # today's news; the toll belongs to the older date when that one is nearer to it.
            nearest_day = min(abs(d.start - anchor) for d in day_dates)
            if min(abs(d.start - anchor) for d in old_dates) < nearest_day:
                day_dates = []
                other_dates = old_dates
        if day_dates and any(m.toll_update for m in mentions):
            # "The toll from Saturday's bombing rose to 85 on Monday": the event came first.
            best = min(day_dates, key=lambda d: d.first)
            incident.date_first, incident.date_last, incident.date_precision = best.first, best.last, DatePrecision.DAY
        elif day_dates:
            best = min(day_dates, key=lambda d: abs(d.start - anchor))
            incident.date_first, incident.date_last, incident.date_precision = best.first, best.last, DatePrecision.DAY
        elif other_dates:
            best = min(other_dates, key=lambda d: abs(d.start - anchor))
            incident.date_first, incident.date_last = best.first, min(best.last, published)
            incident.date_precision = (
                DatePrecision.MONTH if best.precision == DatePrecision.MONTH else DatePrecision.SPAN
            )
        elif (
            re.search(
                r"\b(?:the\s+same\s+day|that\s+day|the\s+same\s+night|(?:hours|minutes)\s+later|later\s+that\s+day)\b",
                sentence.text,
                re.I,
            )
            and last_event_date is not None
        ):
            incident.date_first, incident.date_last, incident.date_precision = (
                last_event_date.first,
                last_event_date.last,
                DatePrecision.DAY,
            )
        elif (
            re.search(r"\b(?:a\s+day\s+earlier|the\s+day\s+before|the\s+previous\s+day)\b", sentence.text, re.I)
            and last_event_date is not None
        ):
            day_before = last_event_date.first - timedelta(days=1)
            incident.date_first, incident.date_last, incident.date_precision = day_before, day_before, DatePrecision.DAY
    if (
        incident.date_precision == DatePrecision.SPAN
        and incident.date_first is not None
        and 1 <= (incident.date_last - incident.date_first).days < 6
        and _BETWEEN_DAYS.search(sentence.text)
        and not SINGLE_EVENT.search(sentence.text)
    ):
        # "Between the afternoons of 15 and 18 July, 184 Palestinians were killed": a count over a stated
        # run of days, however short, with no event named (GUIDE: "52 killed since yesterday").
        running_short = True
    place, admin1 = pick_place(analysis, index, anchor)
    context = context_sentences(analysis, sentence)
    town = anaphoric_town(analysis, sentence, place)
    if town is not None and town.chosen is not None:
        place, admin1 = town, (town.chosen.country, town.chosen.admin1_code)
    if (place is None or place.chosen is None) and capital_named(sentence.text) and analysis.capital is not None:
        place = PlaceMention(
            sentence.start,
            sentence.start,
            analysis.capital.name,
            analysis.capital.name.lower(),
            chosen=analysis.capital,
        )
        subplace = [m for m in analysis.places.get(index, []) if m.subplace and m.chosen is None]
        if subplace:
            admin1 = (analysis.capital.country, analysis.capital.admin1_code)
            place = subplace[0]
    if place is None and admin1 is None and country_located(sentence.text) is not None:
        incident.country_wide = country_wide(incident, sentence, anchor)
    if (
        place is None
        and not incident.country_wide
        and not (incident.aggregate and (admin1 or analysis.named.get(index)))
        and not UNNAMED_PLACE.search(sentence.text)
    ):
        for other in context:
            context_place, context_admin1 = pick_place(analysis, other, analysis.sentences[other].start, within=admin1)
            admin1 = admin1 or context_admin1
            if context_place is not None and (incident.aggregate or running_short):
                # A period's toll with no place of its own ("650 killed in the spike in violence") lies in
                # the story's division, not at the town of the event told before it.
                if admin1 is None and context_place.chosen is not None:
                    admin1 = (context_place.chosen.country, context_place.chosen.admin1_code)
                break
            if context_place is not None:
                place = context_place
                break
    if incident.date_first is None:
        for other in context:
            compared = analysis.sentences[other]
            found = [
                d
                for d in analysis.dates.get(other, [])
                if not d.reporting
                and d.precision in (DatePrecision.DAY, DatePrecision.MONTH)
                # "the deadliest since US forces withdrew in August": a comparison, no date of the story
                and not any(
                    hit.start() <= d.start - compared.start < hit.end()
                    for hit in SUPERLATIVE_SINCE.finditer(compared.text)
                )
            ]
            if found:
                incident.date_first, incident.date_last, incident.date_precision = (
                    found[-1].first,
                    found[-1].last,
                    found[-1].precision,
                )
                break
    if incident.date_first is None:
        following = analysis.dates.get(index + 1, []) if index + 1 not in analysis.mentions else []
        found = [d for d in following if not d.reporting and d.precision == DatePrecision.DAY]
        # Only for the lead of the story: no day told yet, by any earlier sentence.
        lead = last_event_date is None and not event_days(analysis, range(index))
        named = named_event_day(analysis, index) if lead else None
        if found and re.search(
            r"\btook\s+place\b|\bhappened\b|\boccurred\b|^(?:The|This)\s+(?:attack|killings?|massacre|strike|bombing|blast)",
            analysis.sentences[index + 1].text,
        ):
            incident.date_first, incident.date_last, incident.date_precision = (
                found[0].first,
                found[0].last,
                DatePrecision.DAY,
            )
        elif named is not None:
            # A lead with no day ("A car bomb has left at least 12 dead"), then
            # "Tuesday's bombing was aimed at ...": the event's day is the one the story names.
            incident.date_first, incident.date_last, incident.date_precision = (
                named.first,
                named.last,
                DatePrecision.DAY,
            )
        elif last_event_date is not None and published - last_event_date.first <= timedelta(days=7):
            incident.date_first, incident.date_last, incident.date_precision = (
                last_event_date.first,
                last_event_date.last,
                DatePrecision.DAY,
            )
        else:
            # "..., the government said on Saturday", reprinted on Monday: no later than the day it was told.
            told = [d.last for d in analysis.dates.get(index, []) if d.reporting and d.precision == DatePrecision.DAY]
            incident.date_first = incident.date_last = min([published, *told])
            incident.date_precision = DatePrecision.PUBLISHED
    locate(analysis, incident, place, admin1, sentence)
    if (
        running_short
        and incident.place is not None
        and _named_like_its_division(incident.place)
        and not re.search(r"\b(?:on|at)\s+$", sentence.text[: max(0, incident.place.start - sentence.start)])
    ):
        # "52 killed in Gaza over the past 24 hours": a running count over the division the city names
        # (but "shelling on Kherson since Friday" aims at the city).
        incident.place = None
    if running_short and incident.place is None:
        incident.aggregate = True
    return incident


def _named_like_its_division(place: PlaceMention) -> bool:
    chosen = place.chosen
    return chosen is not None and (chosen.country, chosen.admin1_code) in place.admin1s


# "raided a village", "attacked a market": an event at one site, whatever the verb.
ONE_SITE = re.compile(
    r"\b(?:raid(?:ed|ing)?|attack(?:ed|ing)?|storm(?:ed|ing)?|struck|hit|bomb(?:ed|ing)|shell(?:ed|ing))\s+"
    r"(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:village|town|market|mosque|church|school|hospital|camp|checkpoint|"
    r"convoy|bus|wedding|funeral|base|prison)\b",
    re.I,
)
# Where a clause ends: "..., and", "which", "that" start another.
_CLAUSE = re.compile(r"[;:]|,\s+(?:and|but|while|which|who|as)\b|\b(?:that|which|when|after)\b")


def country_wide(incident: Incident, sentence: Sentence, anchor: int) -> bool:
    """Whether a toll told only of a whole country ("killed in Yemen") is a country's count, not one
    event somewhere in it: over a period, over several events, or a running count with no event
    named in its clause ("Amnesty said 300 civilians have been killed by the coalition in Syria").
    """
    if incident.aggregate:
        return True
    text, at = sentence.text, anchor - sentence.start
    breaks = list(_CLAUSE.finditer(text))
    start = max((found.end() for found in breaks if found.end() <= at), default=0)
    end = min((found.start() for found in breaks if found.start() > at), default=len(text))
    clause = text[start:end]
    if SINGLE_EVENT.search(clause) or ONE_SITE.search(text[start:]):
        # "the toll in a gang attack last week in central Haiti", "were killed after gunmen raided a
        # village in South Sudan": one event, placed later.
        return False
    if (
        SINGLE_EVENT.search(text[:start])
        and not PLURAL_EVENTS.search(text[:end])
        and not PRESENT_PERFECT_TOLL.search(clause)
    ):
        return False  # "A blast from a landmine, believed to be ..., killed 13 civilians in the Syrian desert"
    if incident.date_precision in (DatePrecision.MONTH, DatePrecision.SPAN) or PRESENT_PERFECT_TOLL.search(clause):
        return True
    # "killed in clashes ... on Thursday night": a day of its own makes it one event, placed later in the story.
    return incident.date_first is None or (
        incident.date_precision != DatePrecision.DAY and bool(PLURAL_EVENTS.search(clause))
    )


_WAR_NOUN = re.compile(r"\b(?:war|conflict|insurgency|uprising|rebellion|revolt|revolution|crisis)\b", re.I)
# "since 2015", "since the war began"; not "... the deaths of 6,000 people since." (since then, unsaid).
_SINCE = re.compile(r"\bsince\b(?!\s*(?:[.,;]|$))", re.I)


def war_long(conflict: str, text: str) -> bool:
    """A war's whole toll told with no period (GUIDE: background): "the conflict has killed 16,000", not
    "since the war broke out", "in the five-year conflict" or "the offensive has killed 300"."""
    return bool(_WAR_NOUN.search(conflict)) and not _SINCE.search(text) and not CONFLICT_YEARS.search(text)


_YEAR_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def conflict_span(text: str, published: date) -> tuple[date, date]:
    """How far back a war-long toll reaches: "the five-year conflict", "a decade-long insurgency", else a year."""
    years = 1
    found = CONFLICT_YEARS.search(text)
    if found is not None:
        word = (found.group(1) or found.group(2) or "").lower()
        years = 10 if word == "decade" else int(word) if word.isdigit() else _YEAR_WORDS.get(word, 1)
    years = max(1, min(years, 60))
    return published - timedelta(days=365 * years), published


# "since the start of the offensive", "since the truce collapsed": a period opened by an event told elsewhere.
SINCE_EVENT = re.compile(
    r"\bsince\s+(?:the\s+(?:start|beginning|launch|outbreak)\s+of\s+)?(?:the|its|their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:offensive|campaign|operation|assault|siege|intervention|truce|ceasefire|cease-fire|bombardment|escalation)\b",
    re.IGNORECASE,
)


def span_since_event(analysis: Analysis, sentence: Sentence, since: int, published: date) -> tuple[date, date] | None:
    """From the day the text gives that event (in this sentence after "since", else the two before) to publication."""
    own = [
        d
        for d in analysis.dates.get(sentence.index, [])
        if not d.reporting and d.start >= sentence.start + since and d.precision != DatePrecision.PUBLISHED
    ]
    for dates in [own] + [
        analysis.dates.get(i, []) for i in range(sentence.index - 1, max(-1, sentence.index - 3), -1)
    ]:
        days = [
            d
            for d in dates
            if not d.reporting and d.precision in (DatePrecision.DAY, DatePrecision.MONTH) and d.first < published
        ]
        if days:
            return days[-1].first, published
    return None


def span_of_aggregate(sentence: Sentence, own_dates: list[DateMention], published: date) -> tuple[date, date] | None:
    text = sentence.text
    pairs = [d for d in own_dates if d.lead in ("between", "from")]
    if pairs:
        start = pairs[0]
        ends = [d for d in own_dates if d.start > start.start and d.lead in ("and", "to", "until", "through")]
        if ends:
            first, last = start.first, ends[0].last
            if first > last:
                # "from 30 September to 29 November, 2015": the year given once covers both ends.
                first = first.replace(year=last.year) if (first.month, first.day) != (2, 29) else first
                if first > last:
                    first = first.replace(year=last.year - 1) if (first.month, first.day) != (2, 29) else first
            return first, max(last, first)
    spans = [d for d in own_dates if d.precision == DatePrecision.SPAN and d.lead not in ("since",)]
    if spans and not re.search(r"\bsince\b", text[: spans[0].start - sentence.start], re.I):
        named = [d for d in own_dates if d.start >= spans[0].end and d.precision != DatePrecision.SPAN]
        if re.search(r"\bsince$", text[: spans[0].end - sentence.start], re.I) and named:
            # "in the 20 months since the army took power in March last year": the named start, not a count back
            return named[0].first, published
        return spans[0].first, spans[0].last
    since = re.search(r"\bsince\b", text, re.I)
    if since and re.match(
        r"since\s+(?:a|an|the)\s+(?:[^,;]{0,80}?|[^,;]{0,60},\s+(?:which|that)\s+[^,;]{0,40}?)\b(?:killed|left|claimed)\b",
        text[since.start() :],
        re.I,
    ):
        # "the deadliest since a bombing in 2017 killed 500": a past event, not a running toll.
        return None
    if since:
        after = [d for d in own_dates if d.start >= sentence.start + since.start()]
        if after:
            return after[0].first, published
        return None
    spans = [d for d in own_dates if d.precision in (DatePrecision.MONTH, DatePrecision.SPAN)]
    if spans:
        return spans[0].first, spans[0].last
    if re.search(r"\bthis\s+year\b", text, re.I):
        return date(published.year, 1, 1), published
    return None
