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

import re
from datetime import date, timedelta

from reports.extraction.assemble.analysis import analyse
from reports.extraction.assemble.build import build
from reports.extraction.assemble.locate import elaborate, refine_place
from reports.extraction.assemble.merge import (
    apply_subcounts,
    attach_subcounts,
    injured_range,
    killed_range,
    merge,
    merge_target,
)
from reports.extraction.assemble.model import Incident
from reports.extraction.assemble.patterns import DISASTER, VIOLENCE
from reports.extraction.dates import DateMention
from reports.extraction.gazetteer import Gazetteer
from reports.extraction.text import Sentence

__all__ = ["Incident", "injured_range", "killed_range", "run"]


def run(
    *, text: str, published: date, title: str | None, gazetteer: Gazetteer
) -> tuple[list[Incident], list[Sentence]]:
    """Incidents of the article, and the sentences (clauses) their ``sentences`` indexes refer to."""
    analysis = analyse(text=text, published=published, title=title, gazetteer=gazetteer)
    incidents: list[Incident] = []
    last_event_date: DateMention | None = None
    for sentence in analysis.sentences:
        index = sentence.index
        mentions, subcounts = analysis.mentions.get(index, ([], []))
        own_dates = [found for found in analysis.dates.get(index, []) if not found.reporting]
        if not mentions and not subcounts:
            if own_dates and own_dates[0].precision == "day":
                last_event_date = own_dates[0]
            continue
        if not mentions:
            attach_subcounts(incidents, subcounts, sentence)
            continue
        if DISASTER.search(sentence.text) and not VIOLENCE.search(sentence.text):
            continue
        reference_date = last_event_date
        if (
            incidents
            and incidents[-1].date_precision == "day"
            and re.search(
                r"\b(?:the\s+same\s+day|that\s+day|(?:hours|minutes)\s+later|later\s+that\s+day)\b", sentence.text, re.I
            )
        ):
            day = incidents[-1].date_first
            reference_date = DateMention(sentence.start, sentence.start, day, day, "day", False, "")  # type: ignore[arg-type]
        incident = build(analysis, sentence, mentions, published, reference_date)
        target = merge_target(analysis, incidents, incident, sentence, mentions)
        if target is not None:
            merge(target, incident, mentions)
            attach_subcounts([target], subcounts, sentence)
            continue
        if all(mention.also for mention in mentions) and incidents:
            continue
        apply_subcounts(incident, subcounts)
        incidents.append(incident)
    for incident in incidents:
        if incident.place is None or incident.date_precision == "published":
            elaborate(analysis, incident)
        elif not incident.aggregate and not incident.place.subplace:
            refine_place(analysis, incident)
    cutoff = published - timedelta(days=365)
    kept = [
        incident
        for incident in incidents
        if incident.country
        and incident.date_last
        and incident.date_last >= cutoff
        and incident.killed + incident.injured
    ]
    return kept, analysis.sentences
