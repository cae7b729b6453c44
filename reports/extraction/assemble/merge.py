"""Folding later sentences into earlier incidents: toll updates, second sources, sub-counts."""

from __future__ import annotations

import builtins
import math
import re
from datetime import timedelta
from itertools import combinations

from reports.extraction.assemble.dating import FOLLOWING_MONTH
from reports.extraction.assemble.locate import same_place
from reports.extraction.assemble.model import Analysis, Incident
from reports.extraction.assemble.patterns import (
    ACROSS_NAMED,
    ANAPHORA,
    EVENT_WORDS,
    NEW_EVENT,
    OTHER_HOUR,
    REGION_WIDE,
    TOLL_CUE,
    UNNAMED_PLACE,
)
from reports.extraction.casualties import Mention, SubCount
from reports.extraction.contract import DatePrecision
from reports.extraction.gazetteer import Place
from reports.extraction.text import Sentence

# "Police had said that about 20 were killed": an earlier figure of the toll being told.
EARLIER_REPORT = re.compile(
    r"\bhad\s+(?:earlier\s+|initially\s+|previously\s+)?(?:said|reported|put|given|announced|counted)\b", re.I
)
# "Hours later", "meanwhile", "elsewhere": the story moves on to another event.
TIME_SHIFT = re.compile(
    r"\b(?:hours|minutes|a\s+day|days)\s+(?:later|earlier|before)\b|\blater\s+(?:on\s+)?(?:that|the\s+same)\s+day\b"
    r"|\b(?:later|earlier)\s+on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\bmeanwhile\b|\belsewhere\b|\bin\s+a\s+separate\b",
    re.I,
)
# An event told as new, with an indefinite article or a number ("two car bombs exploded").
NEW_EVENT_TOLD = re.compile(
    r"\b(?:a|an|two|three|four|five|several|another)\s+(?:[\w-]+\s+){0,2}?(?:car\s+bombs?|bombs?|blasts?|"
    r"explosions?|strikes?|air\s*strikes?|airstrikes?|(?:suicide\s+)?bombers?|attacks?|shells?|rockets?|missiles?|raids?|"
    r"gunmen|drones?)\b",
    re.I,
)


def period_retold(incidents: list[Incident], new: Incident) -> Incident | None:
    """The aggregate a new aggregate tells again: the same period and area with the same dead
    (a headline's toll restated in the body), or its wounded told in the next sentences
    ("198 lives were lost ... Additionally, 111 people sustained injuries").
    """
    if not new.aggregate or new.spread:
        return None
    for incident in reversed(incidents):
        if (
            not incident.aggregate
            or incident.spread
            or (incident.country, incident.admin1) != (new.country, new.admin1)
            or incident.date_first is None
            or new.date_first is None
            or incident.date_first > new.date_last
            or new.date_first > incident.date_last
        ):
            continue
        if new.killed and killed_range(new) == killed_range(incident):
            return incident
        if not new.killed and new.injured and incident.killed and not incident.injured:
            return incident if new.paragraph - incident.paragraph <= 1 else None
    return None


def merge_target(
    analysis: Analysis, incidents: list[Incident], new: Incident, sentence: Sentence, mentions: list[Mention]
) -> Incident | None:
    if not incidents:
        return None
    # A toll over several places (an aggregate of the day when they lie in several divisions)
    # still takes its own updates ("put the overall toll at 78").
    candidates = [i for i in incidents if not i.aggregate or i.spread]
    if new.aggregate or NEW_EVENT.search(sentence.text):
        return None
    toll_cue = TOLL_CUE.search(sentence.text) or EARLIER_REPORT.search(sentence.text)
    if shifts_time(sentence.text) and not toll_cue:
        return None
    has_own_place = bool(
        [m for m in analysis.places.get(sentence.index, []) if not m.reference and (m.chosen or m.subplace)]
    )
    if candidates and not has_own_place and not toll_cue and told_after(analysis, candidates[-1], new):
        # "Hours later, a car bomb struck near the shrine. State media said 83 were killed.":
        # the toll is of the event just told, somewhere else, not of the one before.
        return None
    # The same place and day told again: one incident. An undated sentence that only borrows
    # the place from its neighbours must be near the first telling.
    for incident in reversed(candidates):
        if (
            same_place(incident, new)
            and (
                incident.date_first == new.date_first
                or (
                    new.date_precision == DatePrecision.PUBLISHED
                    and (has_own_place or sentence.paragraph - incident.paragraph <= 1)
                )
                # The first telling had no day of its own: the later one at the same place dates it.
                or (incident.date_precision == DatePrecision.PUBLISHED and sentence.paragraph - incident.paragraph <= 1)
            )
            and new.place is not None
        ):
            return incident
    for incident in reversed(candidates):
        if same_toll_retold(incident, new, sentence) or same_figures_retold(incident, new, sentence):
            return incident
    last = candidates[-1] if candidates else None
    if last is not None and named_again(
        last, new, sentence, has_own_place=has_own_place, lead=analysis.sentences[min(last.sentences)]
    ):
        return last
    if last is None or sentence.paragraph - last.paragraph > 1 or NEW_EVENT.search(sentence.text):
        return None
    toll_update = any(m.toll_update for m in mentions) or bool(toll_cue)
    if (
        not has_own_place
        and ANAPHORA.search(sentence.text)
        and sentence.paragraph == last.paragraph
        and not new.aggregate
    ):
        return last
    if toll_update and (
        not has_own_place
        or same_place(last, new)
        or new.admin1 == last.admin1
        or new.place is None
        or new.place.chosen is None
    ):
        return last
    if retold(last, new) and sentence.paragraph - last.paragraph <= 1:
        # "a man and a woman died when a shell hit their house in the X district": the two dead of the lead.
        return last
    own_dates = [d for d in analysis.dates.get(sentence.index, []) if not d.reporting]
    # A date borrowed from the sentences around is no date of its own: it cannot tell two events apart.
    same_day = (
        new.date_precision == DatePrecision.PUBLISHED
        or new.date_first == last.date_first
        # "The following month 237 more were killed": a date told relative to the last is a date of its own
        or (not own_dates and not FOLLOWING_MONTH.search(sentence.text))
    )
    if not has_own_place and not EVENT_WORDS.search(sentence.text) and same_day:
        # "More than 300 people were wounded." right after the toll: the same event.
        return last
    return None


# The words that name an event already told ("the attack", "the blast").
_EVENT_NOUN = r"(?:attack|strike|air\s*strike|blast|bombing|explosion|raid|shelling)"
# "the attack earlier in the day": the time of the event already named, not a move to another.
_EVENT_BEFORE = re.compile(r"\bthe\s+(?:[\w-]+\s+){0,2}?" + _EVENT_NOUN + r"\s+$", re.I)


def shifts_time(text: str) -> bool:
    """ "Hours later, ...", "Earlier in the day, ...": the sentence moves to another time of the story."""
    if TIME_SHIFT.search(text):
        return True
    return any(not _EVENT_BEFORE.search(text[: found.start()]) for found in OTHER_HOUR.finditer(text))


def same_toll_retold(incident: Incident, new: Incident, sentence: Sentence) -> bool:
    """The same exact toll, day and division a few paragraphs on ("the bodies of seven children and two
    men" after "nine people, including seven children, were killed"): the event told again, perhaps
    at a finer place (the district of the city), not a second event.
    """
    low, high = killed_range(new)
    return (
        low is not None
        and low >= 2
        and (low, high) == killed_range(incident)
        and (
            (incident.admin1 is not None and new.admin1 == incident.admin1)
            # "Gunmen kill 11 in a Mali village", then the story: a headline that placed it in no division
            or (
                incident.admin1 is None
                and incident.place is None
                and incident.date_precision == DatePrecision.PUBLISHED
                and incident.country in (None, new.country)
            )
        )
        and (
            new.date_first == incident.date_first
            or new.date_precision == DatePrecision.PUBLISHED
            or (incident.date_precision == DatePrecision.PUBLISHED and new.date_precision == DatePrecision.DAY)
        )
        and (
            new.place is None
            or incident.place is None
            or same_place(incident, new)
            or (new.place.subplace and bool(_THE_EVENT.search(sentence.text)))
        )
        and (sentence.paragraph - incident.paragraph <= 3 or bool(ANAPHORA.search(sentence.text)))
    )


def same_figures_retold(incident: Incident, new: Incident, sentence: Sentence) -> bool:
    """The same dead and the same wounded told again a few paragraphs on ("killing at least three
    people and wounding 15" ... "the governor said the missiles killed at least three and wounded 15"):
    two matching figures are one event told twice, wherever the first telling was placed.
    """
    killed, injured = killed_range(new), injured_range(new)
    return (
        killed[0] is not None
        and injured[0] is not None
        and killed[0] + injured[0] >= 4
        and killed == killed_range(incident)
        and injured == injured_range(incident)
        and (new.date_first == incident.date_first or new.date_precision == DatePrecision.PUBLISHED)
        and (new.place is None or incident.place is None or same_place(incident, new))
        and sentence.paragraph - incident.paragraph <= 4
    )


# "the incident", "the attack": the event already told, named again.
_THE_EVENT = re.compile(r"\bthe\s+(?:incident|" + _EVENT_NOUN + r")\b", re.I)


# "The violence that claimed 22 lives in X ...", "The attack, which killed ...": a sentence whose
# subject is the event already told.
_THE_EVENT_OPENS = re.compile(
    r"^(?:The|This|That)\s+(?:[\w-]+\s+){0,2}?(?:violence|attack|assault|massacre|blast|explosion|bombing|raid|"
    r"strike|air\s*strike|ambush|killings?|shelling)\s*(?:,\s*)?(?:that|which)\b",
    re.I,
)


def named_again(last: Incident, new: Incident, sentence: Sentence, *, has_own_place: bool, lead: Sentence) -> bool:
    """The event just told, named again with a close toll: one event, told more precisely or by
    another source. Either the lead had no place of its own ("More than 20 were killed in an attack
    on a village in North Kivu") and the next sentence opens on that event with its village ("The
    violence that claimed 22 lives in Mwenda village ..."), or a sentence points back at it ("A
    monitor said the explosion hit a market and killed 26", after 30), with no place of its own or
    naming the one the lead left unnamed ("an attack on a rebel-held town ... the attack on the town
    of X that killed at least 58", after 72).
    """
    gap = sentence.paragraph - last.paragraph
    opens_on_it = gap <= 1 and last.place is None and bool(_THE_EVENT_OPENS.match(sentence.text))
    points_back = bool(_THE_EVENT.search(sentence.text)) and (
        (gap <= 1 and not has_own_place) or (gap <= 3 and last.place is None and bool(UNNAMED_PLACE.search(lead.text)))
    )
    if not (opens_on_it or points_back) or NEW_EVENT.search(sentence.text):
        return False
    if new.admin1 is not None and last.admin1 is not None and new.admin1 != last.admin1:
        return False
    if DatePrecision.PUBLISHED not in (new.date_precision, last.date_precision) and new.date_first != last.date_first:
        return False
    return killed_range(new)[0] != killed_range(last)[0] and close_tolls(last, new)


def close_tolls(first: Incident, second: Incident) -> bool:
    """Two sources' figures of one event: within a fifth of each other (or two)."""
    low, other = killed_range(first)[0], killed_range(second)[0]
    return low is not None and other is not None and abs(other - low) <= max(2, low // 5)


def told_after(analysis: Analysis, last: Incident, new: Incident) -> bool:
    """Whether, between the last incident and this toll, the text told another event of its own.

    "Hours later, a car bomb struck near the shrine. State media said 83 were killed.": the toll
    is of the event just told (a new event with a shift in time, or elsewhere), not of the last one.
    """
    for index in builtins.range(max(last.sentences) + 1, new.sentences[0]):
        text = analysis.sentences[index].text
        if not NEW_EVENT_TOLD.search(text):
            continue
        if TIME_SHIFT.search(text):
            return True
        for place in analysis.places.get(index, []):
            if place.reference or (place.chosen is None and not place.subplace):
                continue
            if last.spread:
                return True
            division = (place.chosen.country, place.chosen.admin1_code) if place.chosen is not None else None
            if division is not None and last.admin1 is not None and division != last.admin1:
                return True
    return False


def retold(last: Incident, new: Incident) -> bool:
    """The same exact toll again, on the same day, somewhere that does not contradict the first telling."""
    if not last.killed or not new.killed or any(m.vague for m in last.killed + new.killed):
        return False
    if killed_range(last) != killed_range(new):
        return False
    if new.date_precision != DatePrecision.PUBLISHED and new.date_first != last.date_first:
        return False
    if new.place is None or new.place.chosen is None:
        return new.admin1 is None or new.admin1 == last.admin1 or (new.place is not None and new.place.subplace)
    # A known town of its own is another event with the same toll ("two killed in A ... two killed in B").
    return same_place(last, new)


def merge(target: Incident, new: Incident, mentions: list[Mention]) -> None:
    target.sentences.append(new.sentences[0])
    # The story of the incident goes on in this paragraph; later updates are read against it.
    target.paragraph = max(target.paragraph, new.paragraph)
    additive = [m for m in new.killed if m.also_after and not m.vague and target.killed]
    if additive:
        # "Two soldiers were also killed": more dead in the same event, not another estimate.
        # "Two more died of their wounds": the toll rose, so only the final figure grows.
        target.later_killed += sum(m.low for m in additive if m.later_death)
        target.extra_killed += sum(m.low for m in additive if not m.later_death)
        new.killed = [m for m in new.killed if m not in additive]
    if target.admin1 is None and new.admin1 is not None and target.place is None and not target.spread:
        # The lead gave no place ("a market in north-western Yemen"); the follow-up names it.
        target.admin1, target.country = new.admin1, new.country
    if target.date_precision == DatePrecision.PUBLISHED and new.date_precision == DatePrecision.DAY:
        target.date_first, target.date_last, target.date_precision = new.date_first, new.date_last, DatePrecision.DAY
    target.killed += [m for m in new.killed if not m.also]
    # "the blast, which also wounded more than 60": the wounded of the event, when none were told yet.
    target.injured += [m for m in new.injured if not m.also or not target.injured]
    if (
        new.place is not None
        and new.place.subplace
        and (
            target.place is None
            or not target.place.subplace
            # "the city of Kherson", then "the Korabelny district": a district the gazetteer lacks is finer.
            or (target.place.chosen is not None and new.place.chosen is None)
        )
        # An unresolved district's division was only a guess; the incident's own division stands.
        and (target.admin1 is None or new.admin1 in (None, target.admin1) or new.place.chosen is None)
    ):
        target.place = new.place


def merge_placed_later(analysis: Analysis, incidents: list[Incident]) -> list[Incident]:
    """Tolls that turn out to share a place and day once later sentences placed them ("killed at least
    40 ... the attack took place in Afrin", then "the blast occurred in a market and killed 36",
    another source on Afrin): one event told twice, not two. An event told as another is kept.
    """
    kept: list[Incident] = []
    for incident in incidents:
        target = next(
            (
                earlier
                for earlier in reversed(kept)
                if not earlier.aggregate
                and not earlier.spread
                and earlier.date_precision == DatePrecision.DAY
                and earlier.date_first == incident.date_first
                and incident.paragraph - earlier.paragraph <= 4
                and same_place(earlier, incident)
            ),
            None,
        )
        text = analysis.sentences[incident.sentences[0]].text
        if (
            target is None
            or incident.aggregate
            or incident.spread
            or NEW_EVENT.search(text)
            or NEW_EVENT_TOLD.search(text)
            or shifts_time(text)
            or told_after(analysis, target, incident)
            or not close_tolls(target, incident)
        ):
            kept.append(incident)
            continue
        merge(target, incident, incident.killed)
    return kept


def apply_subcounts(incident: Incident, subcounts: list[SubCount]) -> None:
    for sub in subcounts:
        if not sub.killed_context:
            continue
        if sub.group == "children":
            incident.children = max(incident.children or 0, sub.value) if incident.children is not None else sub.value
        elif sub.group == "women":
            incident.women = max(incident.women or 0, sub.value) if incident.women is not None else sub.value


def attach_subcounts(incidents: list[Incident], subcounts: list[SubCount], sentence: Sentence) -> None:
    if not incidents or not subcounts:
        return
    target = incidents[-1]
    if sentence.paragraph - target.paragraph > 1:
        return
    if sentence.index not in target.sentences:
        target.sentences.append(sentence.index)
    apply_subcounts(target, subcounts)


def killed_range(incident: Incident) -> tuple[int | None, int | None]:
    low, high = range(incident.killed)
    if low is None or high is None:
        return low, high
    return low + incident.extra_killed, high + incident.extra_killed + incident.later_killed


def injured_range(incident: Incident) -> tuple[int | None, int | None]:
    return range(incident.injured)


def range(mentions: list[Mention]) -> tuple[int | None, int | None]:
    if not mentions:
        return None, None
    # A precise figure for the same event replaces a vague one ("dozens wounded", then "47 wounded").
    mentions = [m for m in mentions if not m.vague] or mentions
    low = min(m.low for m in mentions)
    high = max(m.high for m in mentions)
    return low, max(low, high)


def log_population(place: Place) -> float:
    return math.log10(place.population + 1)


def drop_totals(analysis: Analysis, incidents: list[Incident]) -> list[Incident]:
    """Incidents without the totals of parts itemised in the article (the guide records only the parts).

    A total is a toll whose figures are the sums of two to six other incidents of its days, each
    at its own place, told over no place, over the parts' places ("killed 44 in A and B") or with
    several events ("air strikes on two towns"). Totals over a period (aggregates) must add up
    exactly; a day's total may differ by its rounding ("at least 100" for 53 and 48). Smaller
    totals go first, so that a division's total is not counted as a part of the country's.
    """
    parts_pool = [i for i in incidents if not i.aggregate and (i.place is not None or i.admin1 is not None)]
    if len(parts_pool) < 2 or len(parts_pool) > MAX_PARTS:
        return incidents
    dropped: set[int] = set()
    for total in sorted(incidents, key=figure):
        pool = [i for i in parts_pool if i is not total and id(i) not in dropped and overlaps(total, i)]
        text = " ".join(analysis.sentences[index].text for index in total.sentences)
        # Several events, or a toll over a whole country or region ("23 civilians across Syria").
        several = bool(_SEVERAL_EVENTS.search(text) or ACROSS_NAMED.search(text) or REGION_WIDE.search(text))
        if len(pool) < 2 or (total.place is None and not total.spread and not several):
            continue
        sizes = builtins.range(2, min(len(pool), 6) + 1)
        groups = (group for size in sizes for group in combinations(pool, size))
        parts = next((group for group in groups if adds_up(total, group, several=several)), None)
        if parts is not None:
            dropped.add(id(total))
            for part in parts:
                part.parts_of = id(total)
                if part.date_precision == DatePrecision.PUBLISHED and total.date_precision != DatePrecision.PUBLISHED:
                    # the parts happened when their total did
                    part.date_first, part.date_last, part.date_precision = (
                        total.date_first,
                        total.date_last,
                        total.date_precision,
                    )
    return [incident for incident in incidents if id(incident) not in dropped]


def drop_breakdowns(incidents: list[Incident]) -> list[Incident]:
    """Period totals without their breakdowns: a smaller total over the same period and area.

    "996 civilians were killed across Syria in November ... 503 of them by government forces":
    the 503 is a part of the 996 (by party, cause or weapon), not another period's toll. A
    breakdown by place ("350 of them in Baghdad province") has an area of its own and stays.
    """
    totals = [i for i in incidents if i.aggregate and not i.spread and i.killed]
    # "15 civilians were killed by the militia in November", with no place: a party's share of the month.
    unplaced = [i for i in incidents if not i.aggregate and i.killed and i.place is None and i.admin1 is None]
    dropped: set[int] = set()
    for part in totals + unplaced:
        for whole in totals:
            if (
                whole is not part
                and id(whole) not in dropped
                and (whole.date_first, whole.date_last) == (part.date_first, part.date_last)
                and (whole.country, whole.admin1) == (part.country, part.admin1)
                and part_key(whole) == part_key(part)
                and killed_range(part)[1] < killed_range(whole)[0]
            ):
                dropped.add(id(part))
                break
    return [incident for incident in incidents if id(incident) not in dropped]


def figure(incident: Incident) -> int:
    return (killed_range(incident)[0] or 0) + (injured_range(incident)[0] or 0)


def overlaps(total: Incident, part: Incident) -> bool:
    """Whether a part happened within the total's days; a total with no date of its own covers the week before."""
    if None in (total.date_first, total.date_last, part.date_first, part.date_last):
        return False
    first, last = total.date_first, total.date_last
    if total.date_precision == DatePrecision.PUBLISHED:
        first = last - timedelta(days=7)  # type: ignore[operator]
    if part.date_precision == DatePrecision.PUBLISHED:
        # A part with no day of its own ("seven were killed in A; four in B") told days after its total.
        last = max(last, part.date_last)  # type: ignore[type-var]
    return part.date_first <= last and first <= part.date_last  # type: ignore[operator]


def adds_up(total: Incident, parts: tuple[Incident, ...], *, several: bool) -> bool:
    """Whether the parts, each at its own place, add up to the total (``several``: it is told as several events)."""
    keys = {part_key(part) for part in parts}
    if len(keys) < len(parts):
        return False
    exact = total.aggregate and not total.spread
    if total.place is not None and not exact and any(part.place is None for part in parts):
        return False  # a day's total told at a place has parts at places, not divisions
    if not wider(total, parts, several=several):
        return False
    compared = 0
    for measure in (killed_range, injured_range):
        low, high = measure(total)
        if low is None or high is None:
            continue
        values = [measure(part) for part in parts]
        if all(value[0] is None for value in values):
            if measure is killed_range:
                return False
            continue  # an injured figure the parts do not give does not make the total another event
        sum_low = sum(value[0] or 0 for value in values)
        sum_high = sum(value[1] or 0 for value in values)
        figures = total.killed if measure is killed_range else total.injured
        if all(m.vague for m in figures):
            # "dozens were killed between them": a word for a floor, which the parts reach
            # without going far past it (ACLED's "dozens" is 12, "hundreds" 100).
            if not low <= sum_low <= 4 * low:
                return False
        elif exact:
            if not (low == sum_low or high == sum_high):
                return False
        elif not (low <= sum_high and sum_low <= high) and abs(low - sum_low) > max(1, 0.05 * low):
            return False
        compared += sum(1 for value in values if value[0] is not None) >= 2
    return compared > 0 and figure(total) >= 3


def part_key(incident: Incident) -> str:
    if incident.place is not None:
        if incident.place.chosen is not None:
            return f"place:{incident.place.chosen.index}"
        return f"name:{incident.place.key}"
    return f"admin1:{incident.admin1}"


# Past this many incidents in one article the subsets to try grow too many; such lists are
# monitors' tables, read by division elsewhere.
MAX_PARTS = 12
_SEVERAL_EVENTS = re.compile(
    r"\b(?:strikes|air\s*strikes|airstrikes|attacks|bombings|blasts|explosions|raids|clashes|shelling|car\s+bombs|"
    r"(?:two|three|four|five|six|seven|eight|several|some|various|many|\d+)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:towns|villages|cities|places|areas|districts|communities|hamlets|settlements|localities))\b",
    re.I,
)


def wider(total: Incident, parts: tuple[Incident, ...], *, several: bool) -> bool:
    """Whether the total is told over the parts' places, or over none (or their city) as several events."""
    if total.spread:
        return True
    if total.place is None:
        return several
    if part_key(total) in {part_key(part) for part in parts}:
        return True
    # A city's total of its districts' tolls ("three car bombs tore through the capital"), or a district's
    # of villages the gazetteer lacks ("attacks on two villages in the Bankass district").
    return (
        several
        and total.place.chosen is not None
        and all(part.admin1 == total.admin1 and (part.place is None or part.place.subplace) for part in parts)
        and (not total.place.subplace or all(part.place is not None and part.place.chosen is None for part in parts))
    )
