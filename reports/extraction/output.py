"""An assembled incident as the engine's typed result (``contract.ExtractedIncident``)."""

from __future__ import annotations

from datetime import date

from reports.extraction import classify
from reports.extraction.assemble import Incident, injured_range, killed_range
from reports.extraction.contract import (
    DatePrecision,
    Dates,
    Evidence,
    ExtractedIncident,
    Figures,
    Location,
    LocationPrecision,
)
from reports.extraction.gazetteer import Gazetteer
from reports.extraction.text import Sentence


def to_incident(
    *,
    incident: Incident,
    text: str,
    sentences: list[Sentence],
    gazetteer: Gazetteer,
    published: date,
    title: str | None = None,
) -> ExtractedIncident:
    """One incident as the engine returns it; invariants (min <= max, start <= end) hold."""
    chosen = sorted(set(incident.sentences))
    start = sentences[chosen[0]].start
    end = sentences[chosen[-1]].end
    evidence = text[start:end]
    context_sentences = [sentences[i].text for i in range(chosen[0] - 1, max(-1, chosen[0] - 3), -1)]
    context = " ".join(context_sentences)
    following_index = chosen[-1] + 1
    following = " ".join(s.text for s in sentences[following_index : following_index + 3])
    killed_min, killed_max = killed_range(incident)
    injured_min, injured_max = injured_range(incident)
    children = incident.children
    women = incident.women
    for mention in incident.killed:
        if mention.children is not None and children is None:
            children = mention.children
        if mention.women is not None and women is None:
            women = mention.women
    if killed_max is not None:
        children = min(children, killed_max) if children is not None else None
        women = min(women, killed_max) if women is not None else None
    else:
        children = women = None
    place = incident.place
    place_name = None
    lat = lon = None
    geonameid = None
    precision = LocationPrecision.COUNTRY
    if place is not None:
        if place.chosen is not None:
            place_name = place.chosen.name
            lat, lon, geonameid = place.chosen.lat, place.chosen.lon, place.chosen.geonameid
        else:
            place_name = place.surface
        precision = LocationPrecision.PLACE
    admin1_name = None
    admin1_code = None
    if incident.admin1 is not None:
        admin1_code = incident.admin1[1] or None
        admin1_name = gazetteer.admin1_name(*incident.admin1)
        if precision == LocationPrecision.COUNTRY and admin1_name:
            precision = LocationPrecision.ADMIN1
    if admin1_name is None:
        admin1_code = None
    first = incident.date_first or published
    last = incident.date_last or first
    if last < first:
        first, last = last, first
    nouns = [noun for mention in incident.killed + incident.injured for noun in mention.nouns]
    article = text if len(text) < 20_000 else text[:20_000]
    confidence = incident.confidence if incident.confidence is not None else rules_confidence(incident, chosen)
    return ExtractedIncident(
        country=incident.country,
        dates=Dates(start=first, end=last, precision=incident.date_precision),
        evidence=Evidence(text=evidence, start=start, end=end),
        figures=Figures(
            killed_min=killed_min,
            killed_max=killed_max,
            injured_min=injured_min,
            injured_max=injured_max,
            children_killed=children,
            women_killed=women,
        ),
        location=Location(
            name=place_name,
            lat=lat,
            lon=lon,
            geonameid=geonameid,
            admin1=admin1_name,
            admin1_code=admin1_code,
            precision=precision,
        ),
        victims=classify.victims(nouns=nouns, evidence=evidence),
        actor=classify.actor(evidence=evidence, context=context, following=following, country=incident.country),
        event_type=classify.aggregate_event_type(evidence=evidence, article=article)
        if incident.aggregate
        else classify.event_type(
            # Its own sentences, not the span between them: a later telling merged from further on
            # leaves other events' weapons in between.
            evidence=" ".join(sentences[index].text for index in chosen),
            context=context_sentences,
            following=following,
            article=article,
            story=f"{title or ''} {sentences[0].text if sentences else ''}",
        ),
        aggregate=incident.aggregate,
        confidence=round(min(max(confidence, 0.0), 1.0), 2),
    )


def rules_confidence(incident: Incident, chosen: list[int]) -> float:
    """A fixed guess for when the learned layer did not run: more for a place, a day, a toll, one sentence."""
    return (
        0.5
        + 0.15 * (incident.place is not None)
        + 0.1 * (incident.date_precision == DatePrecision.DAY)
        + 0.1 * bool(incident.killed)
        + 0.1 * (len(chosen) == 1)
    )
