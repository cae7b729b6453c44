"""From sentences to incidents: the pipeline that ties the stages together.

1. Split into sentences; find killed/injured mentions and sub-counts in each.
2. Scan every sentence for countries, divisions and places; weigh the
   countries the article is about; resolve each place against them.
3. Walk the casualty sentences in order. A sentence either opens an incident
   (or an aggregate, when its toll covers a long period or a region), or adds
   to an earlier one: toll updates ("has risen to 26"), second sources ("put
   the toll at 61"), sub-counts ("Fourteen children were among the dead").
4. Fill dates (sentence, then context, then the publication date), places,
   actor and event type; drop history older than a year.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, timedelta

from reports.extraction.assemble.analysis import analyse
from reports.extraction.assemble.build import build
from reports.extraction.assemble.dating import AFTER, before_anchor
from reports.extraction.assemble.locate import (
    dominant_admin1,
    elaborate,
    locate,
    ranked_after,
    refine_place,
    topic_shift,
)
from reports.extraction.assemble.merge import (
    apply_subcounts,
    attach_subcounts,
    drop_breakdowns,
    drop_totals,
    injured_range,
    killed_range,
    merge,
    merge_placed_later,
    merge_target,
    period_retold,
)
from reports.extraction.assemble.model import Analysis, Incident
from reports.extraction.assemble.patterns import (
    ANNIVERSARY,
    DEFINITION,
    DISASTER,
    EVENT_WORDS,
    KIN,
    SINGLE_EVENT,
    TOLL_CUE,
    VIOLENCE,
)
from reports.extraction.assemble.periodic import period_toll, report_span
from reports.extraction.assemble.split import (
    PlacedToll,
    clause_tolls,
    distributed_tolls,
    event_places,
    listed_tolls,
    place_key,
    placed_tolls,
    spread_places,
)
from reports.extraction.casualties import Mention, SubCount
from reports.extraction.casualties.model import SHARE
from reports.extraction.contract import DatePrecision
from reports.extraction.dates import DateMention
from reports.extraction.gazetteer import Gazetteer
from reports.extraction.text import Sentence

__all__ = ["Decider", "Incident", "injured_range", "killed_range", "run"]

# What decides among the rules' candidates of one article (the learned layer):
# called as ``decide(analysis, candidates, text=..., published=...)``, returns the incidents to keep.
Decider = Callable[..., list[Incident]]


_QUOTES = '"\u201c\u201d'


def quoted(text: str, sentence: Sentence) -> bool:
    """Whether the sentence is (inside) a direct quotation: opened before it in its paragraph, or at its start."""
    if sentence.text.lstrip()[:1] in _QUOTES:
        return True
    paragraph_start = text.rfind("\n\n", 0, sentence.start)
    before = text[max(0, paragraph_start) : sentence.start]
    straight = before.count('"')
    return straight % 2 == 1 or before.count("\u201c") > before.count("\u201d")


def run(
    *, text: str, published: date, title: str | None, gazetteer: Gazetteer, decide: Decider | None = None
) -> tuple[list[Incident], list[Sentence]]:
    """Incidents of the article, and the sentences (clauses) their ``sentences`` indexes refer to.

    ``decide``, when given, has the last word on the rules' candidates (see ``Decider``).
    """
    analysis = analyse(text=text, published=published, title=title, gazetteer=gazetteer)
    period = report_span(analysis, title)  # set when the article is a monitor's periodic release
    incidents: list[Incident] = []
    last_event_date: DateMention | None = None
    for sentence in analysis.sentences:
        index = sentence.index
        mentions, subcounts = analysis.mentions.get(index, ([], []))
        own_dates = [found for found in analysis.dates.get(index, []) if not found.reporting]
        shares = [sub for sub in subcounts if sub.group == SHARE]
        subcounts = [sub for sub in subcounts if sub.group != SHARE]
        if shares and (parts := shares_by_place(analysis, sentence, mentions, shares, published, incidents)):
            # "Eighteen of the dead were killed in A, while seven died in B": the day's toll by place.
            add_parts(incidents, parts, sentence, own_dates)
            continue
        if not mentions and not subcounts:
            if own_dates and own_dates[0].precision == DatePrecision.DAY:
                last_event_date = own_dates[0]
            continue
        if not mentions:
            attach_subcounts(incidents, subcounts, sentence)
            continue
        if DISASTER.search(sentence.text) and not VIOLENCE.search(sentence.text):
            continue
        if DEFINITION.search(sentence.text):
            # "By 'massacre' we mean the killing of five or more people at once": a definition, no toll.
            continue
        anniversary = ANNIVERSARY.search(sentence.text)
        if anniversary is not None and sentence.start + anniversary.start() < mentions[0].start:
            # "to mark the anniversary of the bombing, which killed 33": a past event remembered.
            continue
        reference_date = last_event_date
        if (
            incidents
            and incidents[-1].date_precision == DatePrecision.DAY
            and re.search(
                r"\b(?:the\s+same\s+day|that\s+day|(?:hours|minutes)\s+later|later\s+that\s+day)\b", sentence.text, re.I
            )
        ):
            day = incidents[-1].date_first
            reference_date = DateMention(sentence.start, sentence.start, day, day, DatePrecision.DAY, False, "")  # type: ignore[arg-type]
        earlier_event = split_earlier_event(analysis, sentence, mentions, published, reference_date)
        if earlier_event:
            incidents.extend(earlier_event)
            continue
        respective = split_respectively(analysis, sentence, mentions, published, reference_date)
        if respective:
            incidents.extend(respective)
            continue
        parts = split_places(analysis, sentence, mentions, published, reference_date, incidents)
        if parts:
            add_parts(incidents, parts, sentence, own_dates)
            continue
        incident = build(analysis, sentence, mentions, published, reference_date)
        period_toll(analysis, incident, period)
        spread_over(analysis, incident, sentence)
        follow_story(incidents, incident, sentence, own_dates)
        if subset_detail(analysis, incidents, incident, sentence, own_dates):
            # "his parents and four of his siblings were killed in the next room": a detail of the toll.
            continue
        target = period_retold(incidents, incident) or merge_target(analysis, incidents, incident, sentence, mentions)
        if target is not None:
            merge(target, incident, mentions)
            attach_subcounts([target], subcounts, sentence)
            continue
        if all(mention.also for mention in mentions) and incidents:
            continue
        if incidents and quoted(text, sentence):
            # A witness or official quoted after the lead speaks of the event already told,
            # or of other times ("Last year they killed 40 of us"): not a new incident.
            continue
        apply_subcounts(incident, subcounts)
        incidents.append(incident)
    for incident in incidents:
        if incident.spread:
            continue  # told over several places: no one of them is its place
        if incident.place is None or incident.date_precision == DatePrecision.PUBLISHED:
            elaborate(analysis, incident)
        elif not incident.aggregate and not incident.place.subplace:
            refine_place(analysis, incident)
    incidents = merge_placed_later(analysis, incidents)
    inherit_division(analysis, incidents)
    incidents = country_counts(incidents)
    incidents = drop_breakdowns(drop_totals(analysis, incidents))
    cutoff = published - timedelta(days=365)
    kept = [
        incident
        for incident in incidents
        if incident.country
        and not incident.background
        and incident.date_last
        and incident.date_last >= cutoff
        and incident.killed + incident.injured
    ]
    if decide is not None:
        kept = decide(analysis, kept, text=text, published=published)
    return kept, analysis.sentences


def country_counts(incidents: list[Incident]) -> list[Incident]:
    """A toll told only of a whole country that no later sentence placed: over a stated period it is
    an aggregate; with no period it is a running count, background (GUIDE), left out.
    """
    kept = []
    for incident in incidents:
        if incident.country_wide and incident.admin1 is None and not incident.aggregate:
            if incident.date_precision not in (DatePrecision.MONTH, DatePrecision.SPAN):
                continue
            incident.aggregate = True
        kept.append(incident)
    return kept


def inherit_division(analysis: Analysis, incidents: list[Incident]) -> None:
    """An event told with no place of its own ("The army responded with air strikes, killing 12")
    happened where the story is: the division of the incident before it, else the article's main one.
    """
    dominant = dominant_admin1(analysis)
    previous: Incident | None = None
    for incident in incidents:
        if incident.aggregate:
            continue
        if incident.admin1 is None and incident.place is None and not incident.spread and not incident.country_wide:
            if topic_shift(analysis.sentences[incident.sentences[0]]):
                # "Elsewhere, ...", "In the east, ...": not where the story was.
                previous = incident
                continue
            source = previous.admin1 if previous is not None and previous.admin1 is not None else dominant
            if source is not None and (incident.country is None or incident.country == source[0]):
                incident.admin1, incident.country = source, source[0]
        previous = incident


def add_parts(
    incidents: list[Incident], parts: list[Incident], sentence: Sentence, own_dates: list[DateMention]
) -> None:
    """A sentence's tolls by place, after the story so far: "Nine were killed in A, eight in B" after the
    day's total share its day (``follow_story``)."""
    for part in parts:
        follow_story(incidents, part, sentence, own_dates)
    incidents.extend(parts)


# "Of those killed, 40 died in A", "Of the dead, ...": the sentence shares out a toll told before.
SHARE_OF_TOTAL = re.compile(r"^(?:Of|Among)\s+(?:those|the)\s+(?:killed|dead|victims|deaths)\b", re.I)


def follow_story(
    incidents: list[Incident], incident: Incident, sentence: Sentence, own_dates: list[DateMention]
) -> None:
    """A toll with no date of its own continues the story just told.

    Right after a total ("1,100 were killed in February"), a toll with no event
    of its own is a breakdown of that total ("Baghdad was the worst hit, with 350
    killed"), so it is a total too. Within two paragraphs of an incident, an
    undated event nearby happened the same day ("The army responded with air strikes, killing 12").
    """
    if not incidents or own_dates or incident.aggregate or incident.date_precision not in (DatePrecision.PUBLISHED,):
        return
    previous = incidents[-1]
    short_span = (
        previous.date_precision == DatePrecision.SPAN
        and previous.date_first is not None
        and previous.date_last is not None
        and (previous.date_last - previous.date_first).days <= 1
    )
    # "In September, 65 people were killed ... in the country's northwest": a month's toll, an aggregate
    # once the whole story is read; its shares by division follow it as they would an aggregate.
    period = previous.date_precision == DatePrecision.MONTH or (
        previous.date_precision == DatePrecision.SPAN
        and previous.date_first is not None
        and previous.date_last is not None
        and (previous.date_last - previous.date_first).days >= 6
    )
    shared_out = period and bool(SHARE_OF_TOTAL.search(sentence.text))
    if (previous.aggregate or shared_out) and not previous.spread and not short_span:
        near = sentence.paragraph - previous.paragraph
        if (near <= 1 and not EVENT_WORDS.search(sentence.text)) or (
            # "Nearly 1,000 were killed in Sagaing Region, where the army is launching attacks": a division's
            # share of the total, with no event or town of its own.
            near <= 4 and incident.place is None and not SINGLE_EVENT.search(sentence.text)
        ):
            incident.aggregate = True
            incident.date_first, incident.date_last, incident.date_precision = (
                previous.date_first,
                previous.date_last,
                previous.date_precision,
            )
        return
    if sentence.paragraph - previous.paragraph <= 2 and (previous.date_precision == DatePrecision.DAY or short_span):
        # "over the past day, ..." then "In Kherson, one person was killed": the same day or night.
        incident.date_first, incident.date_last, incident.date_precision = (
            previous.date_first,
            previous.date_last,
            previous.date_precision,
        )


def subset_detail(
    analysis: Analysis, incidents: list[Incident], incident: Incident, sentence: Sentence, own_dates: list[DateMention]
) -> bool:
    """A family's dead told after the toll, with no date, place or event of its own: a detail of it."""
    if not incidents or incident.aggregate or own_dates or EVENT_WORDS.search(sentence.text):
        return False
    if not KIN.search(sentence.text) or TOLL_CUE.search(sentence.text):
        return False
    previous = incidents[-1]
    if previous.aggregate or sentence.paragraph - previous.paragraph > 1:
        return False
    if any(not m.reference and (m.chosen or m.subplace) for m in analysis.places.get(sentence.index, [])):
        return False
    low, _ = killed_range(previous)
    _, high = killed_range(incident)
    return low is not None and high is not None and high < low


# "two weeks after the massacre in X that killed 100": the toll of the earlier event the clause names.
_EARLIER_TOLL = re.compile(r"\b(?:that|which)\s+(?:had\s+)?(?:killed|left|claimed)\b", re.I)


def split_earlier_event(
    analysis: Analysis,
    sentence: Sentence,
    mentions: list[Mention],
    published: date,
    reference_date: DateMention | None,
) -> list[Incident]:
    """ "Two weeks after the massacre in X that killed 100, gunmen killed 12 in Y on Monday": two events,
    the earlier dated back from the later one (GUIDE: relative dates follow the text's own anchor).
    [] unless the sentence tells a toll inside such a clause and another outside it."""
    after = AFTER.search(sentence.text)
    if after is None or len(mentions) < 2:
        return []
    clause_end = re.search(r"[,;]|$", sentence.text[after.end() :])
    start, end = sentence.start + after.end(), sentence.start + after.end() + clause_end.start()  # type: ignore[union-attr]
    inside = [m for m in mentions if start <= m.start < end]
    outside = [m for m in mentions if not start <= m.start < end]
    if not inside or not outside or not _EARLIER_TOLL.search(sentence.text[after.end() : end - sentence.start]):
        return []
    later = build(analysis, sentence, outside, published, reference_date)
    earlier = build(analysis, sentence, inside, published, reference_date)
    if later.date_first is not None and later.date_precision == DatePrecision.DAY:
        earlier.date_first, earlier.date_last, earlier.date_precision = before_anchor(after, later.date_first)
    own = [place for place in event_places(analysis, sentence) if start <= place.start < end]
    if own:
        earlier.place, earlier.admin1 = None, None
        locate(analysis, earlier, own[0], None, sentence)
    elif earlier.place is not None and not start <= earlier.place.start < end:
        earlier.place = None  # the town of the later event; the earlier one's is not named (or not known)
    if later.place is not None and start <= later.place.start < end:
        later.place = None
    return [earlier, later]


def split_respectively(
    analysis: Analysis,
    sentence: Sentence,
    mentions: list[Mention],
    published: date,
    reference_date: DateMention | None,
) -> list[Incident]:
    """ "A suicide bomber in Hilla and a car bomb in Kirkuk killed 12 and 7 people respectively":
    one incident per place named before the figures, in order. [] when the places do not pair up.
    """
    respective = [m for m in mentions if m.respective]
    if len(respective) < 2:
        return []
    places = [
        m
        for m in analysis.places.get(sentence.index, [])
        if not m.reference and not m.explicit_admin1 and (m.chosen or m.subplace) and m.end <= respective[0].start
    ]
    if len(places) != len(respective):
        return []
    found = []
    for mention, place in zip(respective, places, strict=True):
        incident = build(analysis, sentence, [mention], published, reference_date)
        locate(analysis, incident, place, None, sentence)
        found.append(incident)
    return found


def split_places(
    analysis: Analysis,
    sentence: Sentence,
    mentions: list[Mention],
    published: date,
    reference_date: DateMention | None,
    earlier: list[Incident],
) -> list[Incident]:
    """One incident per place when the sentence tells its tolls place by place; [] otherwise.

    A list by division ("A (40 killed, 61 injured), B (...)") gives aggregates over the period
    of the release's own total told before it, else over the day the sentence gives; coordinated
    tolls ("12 in A and 9 in B") and "each" ("hit A and B, each killing four") give incidents.
    """
    listed = listed_tolls(analysis, sentence)
    tolls: list[PlacedToll] = listed or placed_tolls(analysis, sentence, mentions)
    tolls = tolls or distributed_tolls(analysis, sentence, mentions) or clause_tolls(analysis, sentence, mentions)
    # The release's period: its latest total over a span of a year or less (a war-long toll is background).
    period = next(
        (
            i
            for i in reversed(earlier)
            if i.aggregate and i.date_precision == DatePrecision.SPAN and (i.date_last - i.date_first).days <= 366  # type: ignore[operator]
        ),
        None,
    )
    found = []
    for toll in tolls:
        incident = build(analysis, sentence, toll.mentions, published, reference_date)
        if toll.place.explicit_admin1:
            division = max(toll.place.admin1s, key=lambda a: analysis.country_weight.get(a[0], 0.0))
            incident.admin1 = None
            locate(analysis, incident, None, division, sentence)
        else:
            locate(analysis, incident, toll.place, None, sentence)
        if listed and (period is not None or toll.place.explicit_admin1):
            # A monitor's figures by division: totals over the release's period, not events.
            incident.aggregate, incident.place = True, None
            if period is not None:
                incident.date_first, incident.date_last = period.date_first, period.date_last
                incident.date_precision = DatePrecision.SPAN
        found.append(incident)
    return found


def shares_by_place(
    analysis: Analysis,
    sentence: Sentence,
    mentions: list[Mention],
    shares: list[SubCount],
    published: date,
    earlier: list[Incident],
) -> list[Incident]:
    """The parts of a toll told as shares at their places ("Of the dead, 18 were in A and seven in B"),
    or [] when the shares are not told place by place (then they are only parts of the toll)."""
    if not earlier:
        return []
    told = sorted(
        [
            *mentions,
            *(Mention("killed", share.value, share.value, False, share.start, share.start + 1) for share in shares),
        ],
        key=lambda mention: mention.start,
    )
    return split_places(analysis, sentence, told, published, None, earlier)


def coordinated_divisions(analysis: Analysis, sentence: Sentence) -> set[tuple[str, str]]:
    """The divisions a sentence names side by side as where its toll happened ("in A, West Darfur and
    B, South Darfur"): explicit division names, event places, joined by "and" within a short stretch.
    """
    named = [
        m
        for m in analysis.places.get(sentence.index, [])
        if m.explicit_admin1 and not m.reference and m.admin1s and not ranked_after(sentence, m)
    ]
    for left, right in itertools.pairwise(named):
        between = sentence.text[left.end - sentence.start : right.start - sentence.start]
        first = max(left.admin1s, key=lambda a: analysis.country_weight.get(a[0], 0.0))
        second = max(right.admin1s, key=lambda a: analysis.country_weight.get(a[0], 0.0))
        if first != second and len(between) <= 40 and re.search(r"\band\b", between):
            return {first, second}
    return set()


def spread_over(analysis: Analysis, incident: Incident, sentence: Sentence) -> None:
    """A toll told over coordinated places ("killed 130 in A and in B") is pinned to none of them.

    Over places of one division it stays an incident of that division; over several divisions it
    is an aggregate of the day (its country only), as the guide records such tolls.
    """
    divisions_named = coordinated_divisions(analysis, sentence)
    if len(divisions_named) > 1 and len(incident.killed) <= 1:
        # "200 dead in clashes in Ag Geneina, West Darfur and Gereida, South Darfur": one toll over
        # several divisions, not split between them: an aggregate of its country (GUIDE).
        incident.place, incident.admin1, incident.aggregate = None, None, True
        incident.country = next(iter(divisions_named))[0]
        incident.country_wide = True  # over several divisions: none of the story's is its own
        return
    if incident.aggregate:
        return
    places = spread_places(analysis, sentence)
    if not places:
        return
    keys = tuple(place_key(place) for place in places)
    if incident.place is not None and place_key(incident.place) not in keys:
        return  # "killed five in A, a town between B and C": the toll is A's alone
    incident.spread = keys
    divisions = {(p.chosen.country, p.chosen.admin1_code) for p in places if p.chosen is not None}
    incident.place = None
    if len(divisions) == 1 and all(p.chosen is not None for p in places):
        incident.admin1 = next(iter(divisions))
        incident.country = incident.admin1[0]
    elif len(divisions) > 1:
        incident.admin1 = None
        incident.country = next(iter(divisions))[0] if len({d[0] for d in divisions}) == 1 else incident.country
        incident.aggregate = True
