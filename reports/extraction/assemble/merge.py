"""Folding later sentences into earlier incidents: toll updates, second sources, sub-counts."""

from __future__ import annotations

import math

from reports.extraction.assemble.locate import same_place
from reports.extraction.assemble.model import Analysis, Incident
from reports.extraction.assemble.patterns import ANAPHORA, EVENT_WORDS, NEW_EVENT, OTHER_HOUR, TOLL_CUE
from reports.extraction.casualties import Mention, SubCount
from reports.extraction.contract import DatePrecision
from reports.extraction.gazetteer import Place
from reports.extraction.text import Sentence


def merge_target(
    analysis: Analysis, incidents: list[Incident], new: Incident, sentence: Sentence, mentions: list[Mention]
) -> Incident | None:
    if not incidents:
        return None
    candidates = [i for i in incidents if i.aggregate == new.aggregate and not i.aggregate]
    if new.aggregate or NEW_EVENT.search(sentence.text):
        return None
    if OTHER_HOUR.search(sentence.text) and not TOLL_CUE.search(sentence.text):
        return None
    has_own_place = bool(
        [m for m in analysis.places.get(sentence.index, []) if not m.reference and (m.chosen or m.subplace)]
    )
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
            )
            and new.place is not None
        ):
            return incident
    last = candidates[-1] if candidates else None
    if last is None or sentence.paragraph - last.paragraph > 1 or NEW_EVENT.search(sentence.text):
        return None
    toll_update = any(m.toll_update for m in mentions) or bool(TOLL_CUE.search(sentence.text))
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
    same_day = new.date_precision == DatePrecision.PUBLISHED or new.date_first == last.date_first
    if not has_own_place and not EVENT_WORDS.search(sentence.text) and same_day:
        # "More than 300 people were wounded." right after the toll: the same event.
        return last
    return None


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
    if target.admin1 is None and new.admin1 is not None and target.place is None:
        # The lead gave no place ("a market in north-western Yemen"); the follow-up names it.
        target.admin1, target.country = new.admin1, new.country
    if target.date_precision == DatePrecision.PUBLISHED and new.date_precision == DatePrecision.DAY:
        target.date_first, target.date_last, target.date_precision = new.date_first, new.date_last, DatePrecision.DAY
    target.killed += [m for m in new.killed if not m.also]
    target.injured += [m for m in new.injured if not m.also]
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
