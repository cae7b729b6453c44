"""Reads of incidents for the API, the dashboard and the exports.

Each takes an incident queryset already narrowed by `casualties.filters.incident_filter`
(or the API's filter backend), so every reader counts the same incidents.
"""

import datetime
import math
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from casualties.models import COUNT_FIELDS, Claim, Incident
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
]


def incident_list(*, incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """The incidents with what a list row shows (admin1, place, their claims' lowest confidence for
    `needs_review`) joined in: one query per page."""
    return incidents.select_related("admin1", "place").annotate(lowest_confidence=lowest_claim_confidence())


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


def incident_export_rows(*, incidents: QuerySet[Incident], chunk_size: int = 2000):
    """Yield one tuple per incident in EXPORT_COLUMNS order, streaming from the database in chunks.

    Memory stays constant however many incidents match: no model instances, a
    server-side cursor on PostgreSQL.
    """
    paths = [path for _header, path in EXPORT_COLUMNS]
    yield from incidents.order_by("-date_start", "-id").values_list(*paths).iterator(chunk_size=chunk_size)


def export_incident_records(*, incidents: QuerySet[Incident]) -> Iterator[dict[str, Any]]:
    """Every filtered incident as a flat dict (EXPORT_COLUMNS), newest first, streamed in chunks."""
    headers = [header for header, _path in EXPORT_COLUMNS]
    for row in incident_export_rows(incidents=incidents):
        record = dict(zip(headers, row, strict=True))
        for key, value in record.items():
            if hasattr(value, "isoformat"):
                record[key] = value.isoformat()
            elif isinstance(value, float) and not math.isfinite(value):
                record[key] = None
        yield record


def incident_detail_queryset() -> QuerySet[Incident]:
    """Incidents (any review status) with their claims, the claims' articles and sources: two queries."""
    claims = Claim.objects.select_related("article", "article__source").order_by("id")
    return (
        Incident.objects.select_related("admin1", "place")
        .prefetch_related(Prefetch("claims", queryset=claims))
        .annotate(lowest_confidence=lowest_claim_confidence())
    )
