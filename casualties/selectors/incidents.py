"""Reads of incidents for the API, the dashboard and the exports.

Each takes an incident queryset already narrowed by `casualties.filters.incident_filter`
(or the API's filter backend), so every reader counts the same incidents.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import Prefetch, QuerySet

from casualties.display_names import place_display_name
from casualties.models import COUNT_FIELDS, Claim, Incident
from casualties.selectors.grading import incidents_with_grade
from casualties.selectors.review import incident_review_reasons, lowest_claim_confidence

# One row of the flat export, in column order: (header, field path for .values_list()).
EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("id", "id"),
    ("date_start", "date_start"),
    ("date_end", "date_end"),
    ("date_precision", "date_precision"),
    ("country", "country"),
    ("admin1_code", "admin1__code"),
    ("admin1", "admin1__display_name"),
    ("admin1_geonames", "admin1__name"),
    ("place_id", "place_id"),
    # The name readers use ("Ariha"), worked out from place_name (GeoNames' "Arīḩā", kept beside it).
    ("place", "place_name"),
    ("place_name", "place_name"),
    ("lat", "lat"),
    ("lon", "lon"),
    ("location_precision", "location_precision"),
    *((name, name) for name in COUNT_FIELDS),
    ("victims", "victims"),
    ("actor", "actor"),
    ("event_type", "event_type"),
    ("aggregate", "aggregate"),
    ("review_status", "review_status"),
    ("merged_into", "merged_into_id"),
    ("figures_locked", "figures_locked"),
    ("updated_at", "updated_at"),
    # Worked out from the claims' sources and the review (casualties.selectors.grading, docs/grading.md).
    ("grade", "grade"),
    # The engine's confidence on the incident's weakest reading: its claims' lowest (empty for none).
    ("confidence", "lowest_confidence"),
]


# Worked out from each incident's claims, after EXPORT_COLUMNS: who reported it and in what words.
# The layout is documented in docs/api.md ("Citing an incident"); consumers split on CITATION_SEPARATOR.
CITATION_COLUMNS = ("sources", "evidence")
CITATION_SEPARATOR = " | "
EXPORT_HEADER = [*(header for header, _path in EXPORT_COLUMNS), *CITATION_COLUMNS]


def incident_list(*, incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """The incidents with what a list row shows (admin1, place, their claims' lowest confidence for
    `needs_review`) joined in: one query per page."""
    listed = incidents.select_related("admin1", "place").annotate(lowest_confidence=lowest_claim_confidence())
    return incidents_with_grade(incidents=listed)


# An incident's fields in a list, in order: the API's IncidentSerializer uses the same.
INCIDENT_LIST_FIELDS = (
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "country",
    "admin1",
    "place",
    "place_name",
    "lat",
    "lon",
    "location_precision",
    *COUNT_FIELDS,
    "victims",
    "actor",
    "event_type",
    "aggregate",
    "review_status",
    "merged_into",
    "figures_locked",
    "created_at",
    "updated_at",
    "needs_review",
    "review_reasons",
    "grade",
)

# The list's flat columns: the incident's own, then its admin1's and place's (LEFT JOINs, no instances),
# then its claims' lowest confidence, from which needs_review and review_reasons are worked out.
_NESTED = ("admin1", "place")
_REVIEW = ("needs_review", "review_reasons")
_LIST_OWN = tuple(field for field in INCIDENT_LIST_FIELDS if field not in _NESTED + _REVIEW)
_LIST_JOINED = ("admin1_id", "admin1__country", "admin1__code", "admin1__name", "admin1__display_name")
_LIST_JOINED += ("place_id", "place__name")
_LIST_JOINED += ("place__lat", "place__lon", "lowest_confidence")


def incident_list_values(*, incidents: QuerySet[Incident]) -> QuerySet[dict[str, Any]]:
    """The incidents as flat dicts (no model instances): what a list page needs, in one query.

    Turn each into the API's shape with `incident_list_record`; the cursor
    paginator reads date_start and id straight from the dicts.
    """
    return incidents.values(*_LIST_OWN, *_LIST_JOINED)


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    # As DRF writes UTC date-times (its DateTimeField): "Z", not "+00:00".
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def incident_list_record(row: dict[str, Any]) -> dict[str, Any]:
    """One incident as casualties.api.serializers.IncidentSerializer renders it, from an incident_list_values row.

    Equal to the serializer's output field for field (tests/casualties/api/test_incident_list.py holds it to
    that), at a fraction of the cost: lists are the API's busiest read.
    """
    admin1 = None
    if row["admin1_id"] is not None:
        admin1 = {
            "id": row["admin1_id"],
            "country": row["admin1__country"],
            "code": row["admin1__code"],
            "name": row["admin1__name"],
            "display_name": row["admin1__display_name"],
        }
    place = None
    if row["place_id"] is not None:
        place = {"id": row["place_id"], "name": row["place__name"], "lat": row["place__lat"], "lon": row["place__lon"]}
    record = {field: row[field] for field in _LIST_OWN}
    for field in ("date_start", "date_end", "created_at", "updated_at"):
        record[field] = _iso(record[field])
    record["admin1"] = admin1
    record["place"] = place
    record["review_reasons"] = incident_review_reasons(
        review_status=row["review_status"], lowest_confidence=row["lowest_confidence"]
    )
    record["needs_review"] = bool(record["review_reasons"])
    return {field: record[field] for field in INCIDENT_LIST_FIELDS}


@dataclass(frozen=True)
class Citation:
    """One claim's source, as an export cites it."""

    outlet: str
    published: datetime.date | None
    url: str | None
    evidence: str

    def source_text(self) -> str:
        """ "outlet (YYYY-MM-DD) URL", leaving out what is not known."""
        parts = [_one_line(self.outlet) or "unknown outlet"]
        if self.published:
            parts.append(f"({self.published.isoformat()})")
        if self.url:
            parts.append(self.url)
        return " ".join(parts)


def _one_line(text: str) -> str:
    # The separator must stay unambiguous: a "|" inside a name or a sentence is written "/".
    return " ".join(text.split()).replace("|", "/")


def incident_citations(*, incident_ids: Iterable[int]) -> dict[int, list[Citation]]:
    """{incident id: its claims' citations, in the order they were filed}, in one query."""
    rows = (
        Claim.objects.filter(incident_id__in=list(incident_ids))
        .order_by("incident_id", "id")
        .values_list("incident_id", "article__source__name", "article__published_at", "article__url", "evidence")
    )
    citations: dict[int, list[Citation]] = defaultdict(list)
    for incident_id, outlet, published_at, url, evidence in rows:
        published = published_at.date() if published_at else None
        citations[incident_id].append(Citation(outlet=outlet or "", published=published, url=url, evidence=evidence))
    return citations


def citation_columns(citations: list[Citation]) -> tuple[str, str]:
    """The `sources` and `evidence` cells of one incident: one entry per claim, in the same order."""
    return (
        CITATION_SEPARATOR.join(citation.source_text() for citation in citations),
        CITATION_SEPARATOR.join(_one_line(citation.evidence) for citation in citations),
    )


def incident_export_rows(*, incidents: QuerySet[Incident], chunk_size: int = 2000):
    """Yield one tuple per incident in EXPORT_HEADER order, streaming from the database in chunks.

    Memory stays constant however many incidents match: no model instances, a
    server-side cursor on PostgreSQL. The citation columns take one more query a
    chunk (the chunk's claims with their articles and sources), never one a row.
    """
    # Each field read once; "place" is place_name again, shown as readers write it.
    paths = list(dict.fromkeys(path for _header, path in EXPORT_COLUMNS))
    columns = [paths.index(path) for _header, path in EXPORT_COLUMNS]
    place_at = EXPORT_HEADER.index("place")
    country_at, admin1_at = paths.index("country"), paths.index("admin1__name")
    rows = (
        incidents_with_grade(incidents=incidents)
        .annotate(lowest_confidence=lowest_claim_confidence())
        .order_by("-date_start", "-id")
        .values_list(*paths)
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        citations = incident_citations(incident_ids=[row[0] for row in chunk])
        for row in chunk:
            values = [row[index] for index in columns]
            values[place_at] = place_display_name(
                name=row[columns[place_at]], country=row[country_at], admin1_name=row[admin1_at]
            )
            yield (*values, *citation_columns(citations.get(row[0], [])))


def export_incident_records(*, incidents: QuerySet[Incident]) -> Iterator[dict[str, Any]]:
    """Every filtered incident as a flat dict (EXPORT_HEADER), newest first, streamed in chunks."""
    for row in incident_export_rows(incidents=incidents):
        record = dict(zip(EXPORT_HEADER, row, strict=True))
        for key, value in record.items():
            if hasattr(value, "isoformat"):
                record[key] = value.isoformat()
            elif isinstance(value, float) and not math.isfinite(value):
                record[key] = None
        yield record


def incident_detail_queryset() -> QuerySet[Incident]:
    """Incidents (any review status) with their claims, the claims' articles and sources: two queries."""
    claims = Claim.objects.select_related("article", "article__source").order_by("id")
    detailed = (
        Incident.objects.select_related("admin1", "place", "confirmation_requested_by")
        .prefetch_related(Prefetch("claims", queryset=claims))
        .annotate(lowest_confidence=lowest_claim_confidence())
    )
    return incidents_with_grade(incidents=detailed)
