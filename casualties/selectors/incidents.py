"""Reads of incidents for the API, the dashboard and the exports.

Each takes an incident queryset already narrowed by `casualties.filters.incident_filter`
(or the API's filter backend), so every reader counts the same incidents.
"""

from django.db.models import Prefetch, QuerySet

from casualties.models import Claim, Incident

# One row of the flat export, in column order: (header, field path for .values_list()).
EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("id", "id"),
    ("date_start", "date_start"),
    ("date_end", "date_end"),
    ("date_precision", "date_precision"),
    ("country", "country"),
    ("admin1_code", "admin1__code"),
    ("admin1", "admin1__name"),
    ("place_id", "place_id"),
    ("place_name", "place_name"),
    ("lat", "lat"),
    ("lon", "lon"),
    ("location_precision", "location_precision"),
    ("killed_min", "killed_min"),
    ("killed_max", "killed_max"),
    ("injured_min", "injured_min"),
    ("injured_max", "injured_max"),
    ("children_killed", "children_killed"),
    ("women_killed", "women_killed"),
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
    """The incidents with what a list row shows (admin1, place) joined in: one query per page."""
    return incidents.select_related("admin1", "place")


def incident_export_rows(*, incidents: QuerySet[Incident], chunk_size: int = 2000):
    """Yield one tuple per incident in EXPORT_COLUMNS order, streaming from the database in chunks.

    Memory stays constant however many incidents match: no model instances, a
    server-side cursor on PostgreSQL.
    """
    paths = [path for _header, path in EXPORT_COLUMNS]
    yield from incidents.order_by("-date_start", "-id").values_list(*paths).iterator(chunk_size=chunk_size)


def incident_detail_queryset() -> QuerySet[Incident]:
    """Incidents (any review status) with their claims, the claims' articles and sources: two queries."""
    claims = Claim.objects.select_related("article", "article__source").order_by("id")
    return Incident.objects.select_related("admin1", "place").prefetch_related(Prefetch("claims", queryset=claims))
