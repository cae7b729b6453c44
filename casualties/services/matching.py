"""Which incident a report describes, decided in memory over the candidates of a whole batch.

The filer (`casualties.services.filing`) loads every incident the batch's
reports could join in one query; this module then plays the batch's articles
in order, as filing them one by one would: the same filters and the same
preference as a query per report (same place first, then the nearest date,
then the nearest toll, among the 50 most recent candidates), with incidents
opened, joined, re-figured or deleted by earlier articles of the batch taken
into account. No database access here.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from casualties.models import COUNT_FIELDS, Admin1, EventType, Incident, Place, figures_over
from casualties.models import SAME_EVENT_WINDOW as SLACK  # dates this close may be the same event
from reports.extraction.contract import ExtractedIncident

# The most recent candidates considered per report, as the one-query-per-report filer did.
CANDIDATE_LIMIT = 50

Counts = tuple[int | None, ...]  # in COUNT_FIELDS order


@dataclass(frozen=True)
class Report:
    """One incident as the engine found it, with its gazetteer rows resolved."""

    found: ExtractedIncident
    country: str
    admin1: Admin1 | None
    place: Place | None
    place_name: str
    aggregate: bool
    figures: dict[str, Any]


class CandidatePool:
    """The batch's candidate incidents and their claims, kept current as the batch is filed.

    Incidents are keyed by identity (`id()`), since new ones have no pk until the
    batch is written.
    """

    OPEN = (Incident.ReviewStatus.UNVERIFIED, Incident.ReviewStatus.VERIFIED)

    def __init__(self, incidents: Iterable[Incident]) -> None:
        self.by_pk: dict[int, Incident] = {}
        self._groups: dict[tuple[str, int | None, bool], list[Incident]] = defaultdict(list)
        self._order: dict[int, int] = {}
        self._claims: dict[int, dict[int, Counts]] = defaultdict(dict)  # incident -> article -> counts
        self._articles: dict[int, set[int]] = defaultdict(set)  # article -> incidents with its claims
        self._merged_into: set[int] = set()
        self._new = itertools.count(2**62)  # sorts after every real id, as a later INSERT would
        self.deleted: list[Incident] = []
        self._dirty: dict[int, tuple[Incident, set[str]]] = {}
        for incident in incidents:
            self.by_pk[incident.pk] = incident
            self._enter(incident, incident.pk)

    def _enter(self, incident: Incident, order: int) -> None:
        self._groups[incident.country, incident.admin1_id, incident.aggregate].append(incident)
        self._order[id(incident)] = order

    def add(self, incident: Incident) -> None:
        """A new incident opened by the batch: a candidate for the articles after the one that opened it."""
        self._enter(incident, next(self._new))

    def load_claims(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows of (incident_id, article_id, *COUNT_FIELDS) for the loaded incidents."""
        for incident_id, article_id, *counts in rows:
            incident = self.by_pk[incident_id]
            self._claims[id(incident)][article_id] = tuple(counts)
            self._articles[article_id].add(id(incident))

    def load_merged(self, incident_ids: set[int]) -> None:
        """Incidents others were merged into: never deleted for want of claims."""
        self._merged_into |= incident_ids

    def add_claim(self, incident: Incident, article_id: int, counts: Mapping[str, int | None]) -> None:
        self._claims[id(incident)][article_id] = tuple(counts[name] for name in COUNT_FIELDS)
        self._articles[article_id].add(id(incident))

    def drop_article_claims(self, article_id: int) -> None:
        """The article's earlier claims are gone (it is being filed again)."""
        for key in self._articles.pop(article_id, set()):
            self._claims[key].pop(article_id, None)

    def match(self, report: Report, *, exclude: list[Incident]) -> Incident | None:
        """The open incident this report most likely describes, or None."""
        figures = report.figures
        start, end, event_type = figures["date_start"], figures["date_end"], figures["event_type"]
        place, place_name = report.place, report.place_name.upper()
        excluded = {id(incident) for incident in exclude}
        candidates = []
        for incident in self._groups.get(
            (report.country, report.admin1.pk if report.admin1 else None, report.aggregate), ()
        ):
            if (
                id(incident) in excluded
                or incident.synthetic
                or incident.review_status not in self.OPEN
                or incident.date_start > end + SLACK
                or incident.date_end < start - SLACK
            ):
                continue
            # A toll over a period is the same toll only over the same period: 200 killed in two months
            # and 9,000 killed in a year overlap, but are two records.
            if report.aggregate and (abs(incident.date_start - start) > SLACK or abs(incident.date_end - end) > SLACK):
                continue
            if event_type != EventType.OTHER and incident.event_type not in (event_type, EventType.OTHER):
                continue
            if place is not None:
                if incident.place_id != place.pk and not (incident.place_id is None and incident.place_name == ""):
                    continue
            elif place_name and incident.place_name.upper() != place_name and incident.place_name != "":
                continue
            candidates.append(incident)
        # The most recent first, as the incidents' default ordering (-date_start, -id) gives them.
        candidates.sort(key=lambda incident: (incident.date_start, self._order[id(incident)]), reverse=True)

        def closeness(incident: Incident) -> tuple[int, int, int]:
            same_place = int(place is not None and incident.place_id == place.pk)
            days = abs((incident.date_start - start).days)
            toll_gap = abs((incident.killed_max or 0) - (figures["killed_max"] or 0))
            return (-same_place, days, toll_gap)

        return min(candidates[:CANDIDATE_LIMIT], key=closeness, default=None)

    def mark_dirty(self, incident: Incident, what: str) -> None:
        self._dirty.setdefault(id(incident), (incident, set()))[1].add(what)

    def apply_figures(self, incident: Incident) -> None:
        for name, value in figures_over(self._claims[id(incident)].values()).items():
            setattr(incident, name, value)

    def settle(self, *, touched: Iterable[Incident]) -> int:
        """After an article is filed: refresh the figures of the incidents it touched (unless an
        analyst locked them), delete those it left without claims (unless an analyst touched them).
        Returns how many were deleted."""
        removed = 0
        seen: set[int] = set()
        for incident in touched:
            if id(incident) in seen:
                continue
            seen.add(id(incident))
            if self._claims[id(incident)]:
                if not incident.figures_locked:
                    self.apply_figures(incident)
                    self.mark_dirty(incident, "figures")
            elif (
                incident.review_status == Incident.ReviewStatus.UNVERIFIED
                and not incident.figures_locked
                and incident.pk not in self._merged_into
            ):
                self._groups[incident.country, incident.admin1_id, incident.aggregate].remove(incident)
                self._dirty.pop(id(incident), None)
                self.deleted.append(incident)
                removed += 1
        return removed

    def changed(self) -> list[tuple[Incident, set[str]]]:
        """The existing incidents to save, with what changed ("figures", "place"); new ones excluded."""
        return [(incident, what) for incident, what in self._dirty.values() if self._order[id(incident)] < 2**62]
