"""A monitor's or the UN's periodic release: its tolls are the period's, not one event's.

"The monthly security report released by the institute", "UNAMA's latest quarterly report",
"October emerged as the second deadliest month": the article reports figures summed over a
period (GUIDE: "a toll over a stated period is an aggregate"). A toll in it that names no day and
no town of its own ("There were 63 attacks, resulting in 83 fatalities"; "Balochistan recorded
nine attacks, resulting in 18 fatalities") belongs to that period, even when its sentence does not
restate it. Tolls with a day of their own stay incidents: releases also tell single events.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from reports.extraction.assemble.model import Analysis, Incident
from reports.extraction.assemble.patterns import PLURAL_EVENTS
from reports.extraction.contract import DatePrecision

PERIODIC_REPORT = re.compile(
    r"\b(?:monthly|quarterly|annual|yearly|weekly|biannual|bi-annual|half-yearly|mid-year|six-monthly)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:report|update|review|bulletin|briefing|overview|figures|data|tally|assessment)\b"
    r"|\b(?:deadliest|bloodiest|most\s+violent)\s+month\b"
    r"|\b(?:situation|flash)\s+(?:report|update)\b"
    # "a 34% increase in anti-state violence last month": statistics of a period
    r"|\d\s*(?:%|per\s*cent\b|percent\b)",
    re.IGNORECASE,
)
# How far into the article the release says what it is and which period it covers.
LEAD_SENTENCES = 5


def report_span(analysis: Analysis, title: str | None) -> tuple[date, date] | None:
    """The period a periodic release covers, from its lead: ``(first, last)`` or None if not one."""
    lead = analysis.sentences[:LEAD_SENTENCES]
    if not any(PERIODIC_REPORT.search(text) for text in [title or ""] + [sentence.text for sentence in lead]):
        return None
    for sentence in lead:
        for found in analysis.dates.get(sentence.index, []):
            if (
                not found.reporting
                and found.precision in (DatePrecision.MONTH, DatePrecision.SPAN)
                and found.last - found.first >= timedelta(days=6)
            ):
                return found.first, found.last
    return None


def period_toll(analysis: Analysis, incident: Incident, span: tuple[date, date] | None) -> None:
    """In a periodic release (``span`` its period), make a toll with no day and no town of its own the period's."""
    if span is None or incident.date_precision == DatePrecision.DAY:
        return
    if incident.aggregate:
        if incident.date_precision == DatePrecision.PUBLISHED:
            # "three attacks in Kabul and Baghlan provinces killed 39": over several divisions, in the period
            incident.date_first, incident.date_last = span
            incident.date_precision = DatePrecision.SPAN
        return
    several = any(PLURAL_EVENTS.search(analysis.sentences[index].text) for index in incident.sentences)
    told_in = [analysis.sentences[index] for index in incident.sentences]
    town = (
        incident.place is not None
        and not incident.place.bare_admin1
        # a town of its own sentence, not one borrowed from the story around it
        and any(sentence.start <= incident.place.start < sentence.end for sentence in told_in)
    )
    if town and not several:
        return
    incident.aggregate = True
    if town:
        incident.place = None
    if incident.date_precision == DatePrecision.PUBLISHED:
        incident.date_first, incident.date_last = span
        incident.date_precision = DatePrecision.SPAN
