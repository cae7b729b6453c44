"""Named features of the rule engine's candidates, and of pairs of candidates, for the learned layer.

Each function returns a ``dict`` of feature name -> float; a name missing
from the dict is 0. Binary cues are 1.0 when present. The values stay small
(flags, logarithms, ratios) so one weight a name is enough.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Set
from datetime import date, timedelta

from reports.extraction.assemble import killed_range, quoted
from reports.extraction.assemble.locate import same_place, topic_shift
from reports.extraction.assemble.merge import TIME_SHIFT
from reports.extraction.assemble.model import Analysis, Incident
from reports.extraction.assemble.patterns import (
    AGGREGATE_CUE,
    ANAPHORA,
    AREA_WIDE,
    CONFLICT_TOLL,
    ELABORATION,
    EVENT_WORDS,
    NEW_EVENT,
    OTHER_HOUR,
    PLURAL_EVENTS,
    REGION_WIDE,
    SINGLE_EVENT,
    TOLL_CUE,
)
from reports.extraction.contract import DatePrecision

# Cues read from a candidate's opening sentence (the one whose toll opened it).
CUES: dict[str, re.Pattern[str]] = {
    "cue_aggregate": AGGREGATE_CUE,
    "cue_conflict_toll": CONFLICT_TOLL,
    "cue_region_wide": re.compile(f"{REGION_WIDE.pattern}|{AREA_WIDE.pattern}", re.I),
    "cue_single_event": SINGLE_EVENT,
    "cue_event_word": EVENT_WORDS,
    "cue_anaphora": ANAPHORA,
    "cue_revision": TOLL_CUE,
    "cue_new_event": NEW_EVENT,
    "cue_other_hour": OTHER_HOUR,
    "cue_elaboration": ELABORATION,
    "cue_since": re.compile(r"\bsince\b", re.I),
    "cue_between": re.compile(r"\bbetween\b.{0,60}\band\b|\bfrom\b.{0,40}\bto\b", re.I),
    "cue_so_far": re.compile(
        r"\bso\s+far\b|\bto\s+date\b|\bin\s+total\b|\ba\s+total\s+of\b|\bat\s+least\s+[\d,]+\s+in\s+all\b", re.I
    ),
    "cue_this_year": re.compile(r"\b(?:this|last|past)\s+(?:year|month|week)\b|\bin\s+(?:19|20)\d\d\b", re.I),
    "cue_in_the_past": re.compile(
        r"\b(?:in|over|during)\s+the\s+(?:past|last|previous|first)\s+(?:\w+\s+)?(?:hours|days?|weeks?|months?|years?)\b",
        re.I,
    ),
    "cue_plural_events": PLURAL_EVENTS,
    "cue_monitor": re.compile(
        r"\b(?:observatory|monitor(?:s|ing)?|United\s+Nations|UN|OCHA|UNAMA|UNAMI|HRMMU|documented|recorded|tally|"
        r"count(?:ed)?|human\s+rights|ACLED|Airwars|health\s+ministry|ministry\s+of\s+health)\b",
        re.I,
    ),
    "cue_war_long": re.compile(
        r"\b(?:the|this|its)\s+(?:civil\s+)?(?:war|conflict|insurgency|uprising|revolution)\b|\bsince\s+(?:it|the\s+\w+)\s+"
        r"(?:began|started|erupted)\b|\b(?:tens|hundreds)\s+of\s+thousands\b",
        re.I,
    ),
    "cue_accusation": re.compile(
        r"\b(?:accus\w+|blam\w+|alleg\w+|claim\w*|denied|denies|propaganda|enemy|militants\s+killed|eliminated|"
        r"neutrali[sz]ed)\b",
        re.I,
    ),
    "cue_source": re.compile(r"\b(?:said|says|according\s+to|told|reported|quoted|stated)\b", re.I),
    "cue_later_died": re.compile(r"\b(?:later\s+died|died\s+(?:of|from)\s+(?:his|her|their)|succumbed)\b", re.I),
    "cue_history": re.compile(
        r"\b(?:last\s+year|a\s+year\s+ago|years?\s+ago|in\s+the\s+past|previous(?:ly)?|earlier\s+this\s+(?:month|year)|"
        r"anniversary|remember\w*)\b",
        re.I,
    ),
    "cue_hypothetical": re.compile(r"\b(?:feared|could|would|may|might|threat\w*|risk)\b", re.I),
    "cue_weekday": re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|overnight|yesterday)\b"),
}

# A toll told with these over no place covers several events: a later smaller toll at a place is one of them.
WIDER_CUES = ("cue_in_the_past", "cue_region_wide", "cue_plural_events", "cue_aggregate")

# "The army responded with air strikes, killing 12": a reprisal is another event, by another side.
REPRISAL = re.compile(
    r"\b(?:responded|answered|retaliated|hit\s+back|struck\s+back)\s+(?:with|by)\b|\bin\s+(?:response|retaliation|reprisal)\b",
    re.I,
)

# Features weighed separately for the rules' aggregates (background and war-long tolls, period totals).
AGGREGATE_INTERACTIONS = (
    "killed_log",
    "age_days_log",
    "start_age_days_log",
    "span_days_log",
    "place_country",
    "cue_war_long",
    "cue_conflict_toll",
    "cue_monitor",
    "cue_since",
    "cue_accusation",
    "position",
)

# Counts above this (mentions, sentences, candidates) weigh as this: beyond what training saw.
MAX_COUNT = 8
# Paragraphs and sentences further apart than this are as far apart as this.
MAX_DISTANCE = 40

_PRECISION = {
    DatePrecision.DAY: "date_day",
    DatePrecision.SPAN: "date_span",
    DatePrecision.MONTH: "date_month",
    DatePrecision.PUBLISHED: "date_published",
}


def _log(value: float) -> float:
    return math.log10(1 + max(value, 0))


def _killed(incident: Incident) -> int | None:
    return killed_range(incident)[0]


def _place_precision(incident: Incident) -> str:
    if incident.place is not None:
        if incident.place.chosen is None:
            return "place_unresolved"
        return "place_subplace" if incident.place.subplace else "place_town"
    return "place_admin1" if incident.admin1 is not None else "place_country"


def _same_or_unknown_division(left: Incident, right: Incident) -> bool:
    return left.admin1 is None or right.admin1 is None or left.admin1 == right.admin1


def _sums(value: int, others: list[tuple[int, int]]) -> Iterator[tuple[tuple[int, int], ...]]:
    """Combinations of two to four of ``others`` ((figure, position); the twelve smallest) adding up to ``value``."""
    parts = sorted(others)[:12]
    for size in range(2, min(4, len(parts)) + 1):
        for combination in itertools.combinations(parts, size):
            if sum(figure for figure, _ in combination) == value:
                yield combination


def sum_of_parts(value: int | None, others: list[int]) -> bool:
    """Whether ``value`` is the sum of two to four of ``others``: a total told beside its itemised parts."""
    if value is None:
        return False
    return next(_sums(value, [(other, position) for position, other in enumerate(others)]), None) is not None


def candidate_features(
    analysis: Analysis, incidents: list[Incident], *, text: str, published: date
) -> list[dict[str, float]]:
    """One feature dict a candidate, in the order of ``incidents`` (the rule engine's output for one article)."""
    sentence_count = max(len(analysis.sentences) - 1, 1)
    killed = [_killed(incident) for incident in incidents]
    totals, _ = itemised(incidents)
    rows = []
    for position, incident in enumerate(incidents):
        opening = analysis.sentences[incident.sentences[0]]
        features: dict[str, float] = {"bias": 1.0, _PRECISION[incident.date_precision]: 1.0}
        features[_place_precision(incident)] = 1.0
        if incident.aggregate:
            features["rule_aggregate"] = 1.0
        for name, pattern in CUES.items():
            if pattern.search(opening.text):
                features[name] = 1.0
        own_dates = [found for found in analysis.dates.get(opening.index, []) if not found.reporting]
        features["own_date"] = float(bool(own_dates))
        if not own_dates and "cue_war_long" in features and "cue_single_event" not in features:
            # "the war has killed 300,000": a war-long toll with no stated period (nor one event) is background.
            features["undated_war_toll"] = 1.0
        if any(pattern.search(analysis.sentences[i].text) for i in incident.sentences[1:] for pattern in (TOLL_CUE,)):
            features["later_revision"] = 1.0
        if incident.date_first and incident.date_last:
            features["span_days_log"] = _log((incident.date_last - incident.date_first).days)
            features["age_days_log"] = _log((published - incident.date_last).days)
            features["start_age_days_log"] = _log((published - incident.date_first).days)
        low, high = killed_range(incident)
        injured = [m.high for m in incident.injured]
        features["killed_log"] = _log(high or 0)
        features["injured_log"] = _log(max(injured, default=0))
        features["has_killed"] = float(low is not None)
        features["killed_range"] = float(low is not None and high is not None and high > low)
        mentions = incident.killed + incident.injured
        features["vague"] = float(any(m.vague for m in mentions))
        features["toll_update"] = float(any(m.toll_update for m in mentions))
        features["respective"] = float(any(m.respective for m in mentions))
        # Counts are capped: an article telling one event 400 times is not 400 times as anything.
        features["mentions_log"] = _log(min(len(mentions), MAX_COUNT))
        features["sentences_log"] = _log(min(len(set(incident.sentences)), MAX_COUNT))
        features["position"] = opening.index / sentence_count
        features["lead"] = float(opening.index <= 1)
        features["paragraph_log"] = _log(min(opening.paragraph, MAX_DISTANCE))
        features["quoted"] = float(quoted(text, opening))
        features["candidates_log"] = _log(min(len(incidents) - 1, MAX_COUNT))
        others = [value for other, value in enumerate(killed) if other != position and value is not None]
        features["sum_of_parts"] = float(position in totals)
        features["largest_toll"] = float(low is not None and bool(others) and low > max(others))
        features["toll_share"] = (low or 0) / max(sum(others) + (low or 0), 1)
        earlier = incidents[:position]
        features["same_day_earlier"] = float(
            any(
                other.date_first == incident.date_first and _same_or_unknown_division(other, incident)
                for other in earlier
            )
        )
        features["same_day_later"] = float(
            any(
                other.date_first == incident.date_first and _same_or_unknown_division(other, incident)
                for other in incidents[position + 1 :]
            )
        )
        features["same_toll_earlier"] = float(
            low is not None and any(killed_range(other) == (low, high) for other in earlier)
        )
        features["admin1_named_in_article"] = float(
            incident.admin1 is not None and incident.admin1 in analysis.article_admin1s
        )
        if incident.aggregate:
            # What makes a total worth keeping differs from what makes an incident so: a second weight for these.
            features.update({f"aggregate_{name}": features.get(name, 0.0) for name in AGGREGATE_INTERACTIONS})
        rows.append(features)
    return rows


def linkable(analysis: Analysis, earlier: Incident, later: Incident) -> bool:
    """Whether two candidates may be one event at all: the pairs the link model is trained on and asked about.

    Same kind, no contradicting country, division, place or dates (a day of
    slack, as score.py allows; a publication-date stand-in contradicts nothing), and the
    later sentence does not announce another event ("another bomb", "earlier in
    the day", "elsewhere", "responded with air strikes") unless it revises the toll.
    """
    if earlier.aggregate != later.aggregate:
        return False
    if earlier.country and later.country and earlier.country != later.country:
        return False
    if earlier.admin1 is not None and later.admin1 is not None and earlier.admin1 != later.admin1:
        return False
    dated = DatePrecision.PUBLISHED not in (earlier.date_precision, later.date_precision)
    if dated and earlier.date_first and earlier.date_last and later.date_first and later.date_last:
        slack = timedelta(days=1)
        if earlier.date_first > later.date_last + slack or later.date_first > earlier.date_last + slack:
            return False
    if (
        earlier.aggregate
        and dated
        and None not in (earlier.date_first, earlier.date_last, later.date_first, later.date_last)
        and (
            abs(earlier.date_first - later.date_first) > timedelta(days=1)  # type: ignore[operator]
            or abs(earlier.date_last - later.date_last) > timedelta(days=1)  # type: ignore[operator]
        )
    ):
        # Two periods' tolls ("184 killed between 15 and 18 July", "38,848 since 7 October") are two aggregates.
        return False
    if earlier.place is not None and later.place is not None and not same_place(earlier, later):
        # Two places named for two tolls of one day are two events (the guide counts city districts as places).
        return False
    if earlier.sentences[0] == later.sentences[0]:
        # Tolls the rules split from one sentence (per place, a list by place) are its parts, never one event.
        return False
    if earlier.parts_of is not None and earlier.parts_of == later.parts_of:
        # The parts of a total the article itemised ("44 killed: 37 in A and 7 in B") are its separate events.
        return False
    sentence = analysis.sentences[later.sentences[0]]
    opening = sentence.text
    if NEW_EVENT.search(opening) or REPRISAL.search(opening):
        return False
    revision = bool(TOLL_CUE.search(opening))
    if revision:
        return True
    # "Later on Saturday", "Hours later, a car bomb ...", "In the east, ...", "meanwhile": the story moves to
    # another event, in the later toll's own sentence or in one told between the two tolls.
    between = analysis.sentences[max(earlier.sentences) + 1 : later.sentences[0] + 1]
    if any(OTHER_HOUR.search(told.text) or TIME_SHIFT.search(told.text) or topic_shift(told) for told in between):
        return False
    return not part_of_wider(earlier, later, analysis.sentences[earlier.sentences[0]].text)


def part_of_wider(earlier: Incident, later: Incident, told: str) -> bool:
    """Whether ``later`` is a part of ``earlier``'s wider toll (``told`` in its opening sentence): a smaller
    toll at a place, after a toll over no division, or over a period or several events at no place
    ("shelling over the past day killed two in the south", then "in Kherson city, one was killed")."""
    if earlier.place is not None or (later.place is None and later.admin1 is None):
        return False
    wider = earlier.admin1 is None or any(CUES[name].search(told) for name in WIDER_CUES)
    if not wider:
        return False
    low, _ = killed_range(earlier)
    _, high = killed_range(later)
    return low is not None and high is not None and high < low


def itemised(incidents: list[Incident]) -> tuple[set[int], set[frozenset[int]]]:
    """Totals told beside their itemised parts ("30 killed ... 19 in A ... 11 in B"), and the parts told together.

    Returns the positions of the totals and the pairs of positions of parts
    that add up to one total (two parts of one total are two events). Totals
    and parts are incidents of one day, not aggregates.
    """
    totals: set[int] = set()
    together: set[frozenset[int]] = set()
    for position, incident in enumerate(incidents):
        low = _killed(incident)
        if incident.aggregate or low is None:
            continue
        others = [
            (value, other_position)
            for other_position, other in enumerate(incidents)
            if other_position != position
            and not other.aggregate
            and other.sentences[0] != incident.sentences[0]
            and other.date_first == incident.date_first
            and _within(incident, other)
            and (value := _killed(other)) is not None
        ]
        for combination in _sums(low, others):
            totals.add(position)
            together.update(frozenset(pair) for pair in itertools.combinations([p for _, p in combination], 2))
    return totals, together


def _within(total: Incident, part: Incident) -> bool:
    """Whether ``part`` may be a part of ``total``: a total told at a place is of its own division's tolls
    only (seven killed in one town is not the sum of four and three killed in another province)."""
    if total.place is None or total.spread:
        return True
    return part.admin1 is not None and part.admin1 == total.admin1


def pairs(
    analysis: Analysis, incidents: list[Incident], *, text: str, apart: Set[frozenset[int]] = frozenset()
) -> list[tuple[int, int, dict[str, float]]]:
    """(earlier, later, features) for every linkable pair of candidates, in reading order.

    Two parts of one itemised total are never a pair, nor two incidents whose
    ``id``s are paired in ``apart`` (parts of a total already left out).
    """
    totals, together = itemised(incidents)
    found = []
    for later in range(len(incidents)):
        for earlier in range(later):
            if frozenset((earlier, later)) in together:
                continue
            if frozenset((id(incidents[earlier]), id(incidents[later]))) in apart:
                continue
            if linkable(analysis, incidents[earlier], incidents[later]):
                features = pair_features(analysis, incidents[earlier], incidents[later], text=text)
                # A total and one of its parts are two records (the total then left out), never one.
                features["earlier_total_of_parts"] = float(earlier in totals)
                features["later_total_of_parts"] = float(later in totals)
                found.append((earlier, later, features))
    return found


def pair_features(analysis: Analysis, earlier: Incident, later: Incident, *, text: str) -> dict[str, float]:
    """Features of two candidates of one article, ``earlier`` told first: are they one event?"""
    opening = analysis.sentences[later.sentences[0]]
    first = analysis.sentences[earlier.sentences[0]]
    features: dict[str, float] = {"bias": 1.0}
    features["same_date"] = float(earlier.date_first == later.date_first)
    if earlier.date_first and earlier.date_last and later.date_first and later.date_last:
        features["dates_overlap"] = float(
            earlier.date_first <= later.date_last and later.date_first <= earlier.date_last
        )
    features["later_published_date"] = float(later.date_precision == DatePrecision.PUBLISHED)
    features["earlier_published_date"] = float(earlier.date_precision == DatePrecision.PUBLISHED)
    features["same_country"] = float(earlier.country == later.country)
    features["same_admin1"] = float(earlier.admin1 is not None and earlier.admin1 == later.admin1)
    features["admin1_missing"] = float(earlier.admin1 is None or later.admin1 is None)
    features["same_place"] = float(same_place(earlier, later))
    features["later_has_place"] = float(later.place is not None)
    features["both_have_places"] = float(
        earlier.place is not None and later.place is not None and not same_place(earlier, later)
    )
    features["sentence_gap_log"] = _log(min(opening.index - first.index, MAX_DISTANCE))
    features["paragraph_gap_log"] = _log(min(opening.paragraph - first.paragraph, MAX_DISTANCE))
    features["same_paragraph"] = float(opening.paragraph == first.paragraph)
    for name in (
        "cue_anaphora",
        "cue_revision",
        "cue_new_event",
        "cue_other_hour",
        "cue_source",
        "cue_elaboration",
        "cue_plural_events",
        "cue_later_died",
        "cue_monitor",
        "cue_event_word",
        "cue_single_event",
    ):
        if CUES[name].search(opening.text):
            features[f"later_{name}"] = 1.0
    features["later_quoted"] = float(quoted(text, opening))
    low_earlier, high_earlier = killed_range(earlier)
    low_later, high_later = killed_range(later)
    if high_earlier and high_later:
        features["toll_ratio"] = min(high_earlier, high_later) / max(high_earlier, high_later)
        features["later_toll_higher"] = float(high_later > high_earlier)
    features["same_toll"] = float(low_earlier is not None and (low_earlier, high_earlier) == (low_later, high_later))
    features["one_without_toll"] = float(low_earlier is None or low_later is None)
    injured_earlier = [m.high for m in earlier.injured]
    injured_later = [m.high for m in later.injured]
    features["same_injured"] = float(bool(injured_earlier) and injured_earlier == injured_later)
    features["both_aggregate"] = float(earlier.aggregate and later.aggregate)
    features["aggregate_mismatch"] = float(earlier.aggregate != later.aggregate)
    return features
