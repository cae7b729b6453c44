"""The learned decisions over one article's candidates: which to keep (and as what), which tell one event, how sure.

Runs after the rule assembly (``assemble.run``): the rules find candidates,
the model decides among them. Candidates keep their order; merged ones keep
the earlier telling as the incident and take the other's evidence and figures.
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date

from reports.extraction.assemble.merge import merge
from reports.extraction.assemble.model import Analysis, Incident
from reports.extraction.assemble.patterns import TOLL_CUE
from reports.extraction.learned.features import candidate_features, itemised, pairs
from reports.extraction.learned.weights import Model


def decide(
    analysis: Analysis, incidents: list[Incident], *, text: str, published: date, model: Model
) -> list[Incident]:
    """The incidents to output: dropped ones left out, kinds set, tellings of one event merged, confidence set."""
    if not incidents:
        return incidents
    kept: list[Incident] = []
    for incident, features in zip(
        incidents, candidate_features(analysis, incidents, text=text, published=published), strict=True
    ):
        probabilities = model.kind(features)
        if features.get("undated_war_toll") and incident.admin1 is None and incident.place is None:
            continue  # "the insurgency has killed 35,000" over the whole country: background, as the guide says
        if probabilities["drop"] >= model.drop_threshold and not stated_period(incident, features):
            continue
        # The rules' kind stands unless the other kind is clearly more likely.
        other = "incident" if incident.aggregate else "aggregate"
        if probabilities[other] >= model.flip_threshold:
            incident.aggregate = not incident.aggregate
        incident.confidence = model.confidence(features)
        kept.append(incident)
    # A total told beside its itemised parts is left out, as the guide says: too rare in the annotated
    # articles for the kind model to learn, and a convention rather than a judgement. Its parts stay apart.
    totals, together = itemised(kept)
    apart = {frozenset(id(kept[position]) for position in pair) for pair in together}
    parts = [incident for position, incident in enumerate(kept) if position not in totals]
    return link(analysis, parts, text=text, model=model, apart=apart)


def stated_period(incident: Incident, features: dict[str, float]) -> bool:
    """A war-long toll over a period its sentence states ("350,000 killed since it began in 2011"): an aggregate
    the guide records, whatever the model learned of background tolls."""
    return (
        incident.aggregate
        and bool(features.get("own_date"))
        and bool(features.get("cue_war_long"))
        and bool(features.get("cue_since") or features.get("cue_between"))
    )


def link(
    analysis: Analysis,
    incidents: list[Incident],
    *,
    text: str,
    model: Model,
    apart: Set[frozenset[int]] = frozenset(),
) -> list[Incident]:
    """Merge each candidate into the earlier one it most probably retells, when that is above the threshold.

    Pairs are scored on the candidates as the rules built them, before any
    merge, as in training; a chain of retellings ends in its first telling.
    """
    best: dict[int, tuple[float, int]] = {}
    for earlier, later, features in pairs(analysis, incidents, text=text, apart=apart):
        probability = model.link(features)
        if probability >= model.link_threshold and probability >= best.get(later, (0.0, 0))[0]:
            best[later] = (probability, earlier)
    root = list(range(len(incidents)))
    for later in range(1, len(incidents)):
        if later in best:
            root[later] = root[best[later][1]]
    for later, target in enumerate(root):
        if target != later:
            opening = analysis.sentences[incidents[later].sentences[0]].text
            # "The UN had previously said 70 were killed": a figure told as an earlier count revises the toll.
            revised = {
                id(mention)
                for mention in incidents[later].killed
                for index in incidents[later].sentences
                if analysis.sentences[index].start <= mention.start < analysis.sentences[index].end
                and TOLL_CUE.search(analysis.sentences[index].text)
            }
            absorb(incidents[target], incidents[later], revision=bool(TOLL_CUE.search(opening)), revised=revised)
    return [incident for position, incident in enumerate(incidents) if root[position] == position]


def absorb(target: Incident, other: Incident, *, revision: bool, revised: Set[int] = frozenset()) -> None:
    """Fold ``other`` (a later telling of the same event) into ``target``, as the rules fold a toll update.

    The killed range spans both tellings' tolls, except that a later figure
    below the first toll is a part of it ("12 of the 30 dead were guards"),
    not a lower estimate, unless the later sentence revises the toll.
    """
    kept = [
        m
        for m in other.killed
        if revision or m.toll_update or id(m) in revised or not target.killed or m.high >= _low(target)
    ]
    if len(kept) < len(other.killed):
        other.killed, other.extra_killed, other.later_killed = kept, 0, 0
    merge(target, other, other.killed)
    target.sentences.extend(index for index in other.sentences if index not in target.sentences)
    target.extra_killed = max(target.extra_killed, other.extra_killed)
    target.later_killed = max(target.later_killed, other.later_killed)
    for group in ("children", "women"):
        values = [value for value in (getattr(target, group), getattr(other, group)) if value is not None]
        setattr(target, group, max(values) if values else None)
    if other.confidence is not None:
        target.confidence = max(target.confidence or 0.0, other.confidence)


def _low(incident: Incident) -> int:
    return min(m.low for m in incident.killed)
