"""Reads the dashboard needs beyond the API's selectors: totals, the table page, the map, the incident page.

Each list read takes an incident queryset already narrowed by
`casualties.filters.incident_filter`, so the page, its JSON endpoints and the
exports count the same incidents.
"""

import datetime
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Min, QuerySet, Sum
from django.db.models.functions import Floor
from django.http import QueryDict

from casualties.dates import shift_date
from casualties.filters import HIDDEN_BY_DEFAULT, incident_filterset
from casualties.models import Admin1, Incident, LocationPrecision
from casualties.selectors.counts import filtered_admin1_list, filtered_incident_totals, filtered_totals_by_admin1
from casualties.selectors.incidents import incident_list
from casualties.selectors.stats import admin1_list_with_count_map, incident_totals_by_admin1

# Beyond this many located incidents in view, the map gets grid cells instead of points.
MAP_POINT_CAP = 5000
TABLE_PAGE_SIZE = 50
# The governorate table shows the most-killed this many; the rest are in the CSV (thousands worldwide).
ADMIN1_TABLE_ROWS = 100
# Sort keys the table accepts (?sort=killed or ?sort=-killed) and the columns they order by.
TABLE_SORTS: dict[str, tuple[str, ...]] = {
    "date": ("date_start", "id"),
    "place": ("place_name", "id"),
    "admin1": ("admin1__name", "id"),
    "killed": ("killed_max", "id"),
    "injured": ("injured_max", "id"),
    "event_type": ("event_type", "id"),
    "status": ("review_status", "id"),
}
DEFAULT_SORT = "-date"
# Parameters that are the page's own (sorting, paging, chart choices), not filters: left out of export links.
PAGE_PARAMETERS = ("sort", "page", "measure", "stack")


@dataclass
class DashboardSummary:
    """What the dashboard page renders around its charts. `errors` maps bad parameters to messages."""

    errors: dict[str, list[str]]
    totals: dict[str, int] = field(default_factory=dict)
    admin1_rows: list[dict[str, Any]] = field(default_factory=list)
    admin1_more: int = 0  # governorates with incidents beyond the table's ADMIN1_TABLE_ROWS
    admin1_choices: list[dict[str, Any]] = field(default_factory=list)
    table: Page | None = None
    sort: str = DEFAULT_SORT
    filter_query: str = ""


def filter_query_string(*, params: QueryDict) -> str:
    """The query string of the filters alone (no sort, page or chart choices, no empty values)."""
    kept = QueryDict(mutable=True)
    for key, values in params.lists():
        if key in PAGE_PARAMETERS:
            continue
        non_empty = [value for value in values if value.strip()]
        if non_empty:
            kept.setlist(key, non_empty)
    return kept.urlencode()


def incident_totals(*, incidents: QuerySet[Incident]) -> dict[str, int]:
    """Killed (sum of killed_max), killed_min, injured, children, women and incidents. One query."""
    row = incidents.order_by().aggregate(
        killed=Sum("killed_max"),
        killed_min=Sum("killed_min"),
        injured=Sum("injured_max"),
        children=Sum("children_killed"),
        women=Sum("women_killed"),
        incidents=Count("id"),
    )
    return {key: value or 0 for key, value in row.items()}


def table_sort_key(raw: str | None) -> str:
    """A known sort key ("killed", "-date"...), else the default: a bad ?sort= is not worth a 400."""
    if raw and raw.lstrip("-") in TABLE_SORTS:
        return raw
    return DEFAULT_SORT


class _CountedPaginator(Paginator):
    """A paginator told how many rows there are, so it runs no COUNT(*) over millions of incidents."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def incident_table_page(
    *, incidents: QuerySet[Incident], sort: str, page: str | int | None, count: int | None = None
) -> Page:
    """One page of the incident table, ordered by `sort` (see TABLE_SORTS); out-of-range pages give the last.

    `count`, when the caller knows it (from the pre-aggregated counts), spares the COUNT(*).
    """
    sort = table_sort_key(sort)
    descending = sort.startswith("-")
    columns = TABLE_SORTS[sort.lstrip("-")]
    ordering = [f"-{column}" if descending else column for column in columns]
    if sort.lstrip("-") in ("killed", "injured"):
        # Unknown figures last whichever way the column is sorted.
        ordering = [
            F(columns[0]).desc(nulls_last=True) if descending else F(columns[0]).asc(nulls_last=True),
            ordering[1],
        ]
    rows = incident_list(incidents=incidents).order_by(*ordering)
    paginator = (
        Paginator(rows, TABLE_PAGE_SIZE) if count is None else _CountedPaginator(rows, TABLE_PAGE_SIZE, count=count)
    )
    return paginator.get_page(page)


def admin1_choices_with_counts(*, params: QueryDict) -> list[dict[str, Any]]:
    """Every division with its incident count under the current filter *without* the admin1 choice.

    So the governorate selector shows how many incidents each choice would add.
    A bad filter gives the divisions with no counts (the page shows the error).
    """
    without_admin1 = params.copy()
    without_admin1.pop("admin1", None)
    filterset, errors = incident_filterset(params=without_admin1)
    countries = [code.strip().upper() for value in params.getlist("country") for code in value.split(",") if code]
    if errors:
        return admin1_list_with_count_map(counts={}, countries=countries or None)
    return filtered_admin1_list(filterset=filterset, countries=countries or None)


def dashboard_summary(*, params: QueryDict) -> DashboardSummary:
    """Everything the dashboard page renders server-side for the filters in `params`."""
    filterset, errors = incident_filterset(params=params)
    choices = admin1_choices_with_counts(params=params)
    if errors:
        return DashboardSummary(errors=errors, admin1_choices=choices, filter_query=filter_query_string(params=params))
    sort = table_sort_key(params.get("sort"))
    totals = filtered_incident_totals(filterset=filterset)
    admin1_rows = filtered_totals_by_admin1(filterset=filterset)
    return DashboardSummary(
        errors={},
        totals=totals,
        admin1_rows=admin1_rows[:ADMIN1_TABLE_ROWS],
        admin1_more=max(0, len(admin1_rows) - ADMIN1_TABLE_ROWS),
        admin1_choices=choices,
        table=incident_table_page(
            incidents=filterset.qs, sort=sort, page=params.get("page"), count=totals["incidents"]
        ),
        sort=sort,
        filter_query=filter_query_string(params=params),
    )


# --- Map -------------------------------------------------------------------------


def _grid_size(extent_degrees: float) -> float:
    """A cell size giving about 60 cells across the extent, rounded to a readable step."""
    raw = max(extent_degrees, 0.01) / 60
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0):
        if raw <= step:
            return step
    return 10.0


def incident_map_data(
    *,
    incidents: QuerySet[Incident],
    cap: int = MAP_POINT_CAP,
    bbox: tuple[float, float, float, float] | None = None,
) -> dict[str, Any]:
    """The map's layers for the filtered incidents. At most five queries, whatever the number of incidents.

    `bbox`: the filter's bounding box (min_lon, min_lat, max_lon, max_lat), when it has one. Then
    every incident selected has a point, so the division-centre layer is empty and none is
    unmapped (those queries are skipped); whether there are more than `cap` points is asked with
    a LIMIT rather than counted; and grid cells are sized to the box rather than to the points.

    Returns {"points": [...] or None, "cells": [...] or None, "cell_size": float | None,
    "admin1": [...], "boundaries": [...], "unmapped": int}:
    - points: one per incident located to a place {id, lat, lon, date, place, admin1,
      killed, killed_min, injured, event_type, aggregate}; when more than `cap` such
      incidents match, `points` is None and `cells` holds grid cells
      {lat, lon (cell centre), incidents, killed} of `cell_size` degrees;
    - admin1: incidents located only to a division, grouped by division and drawn at
      its centre (Admin1.lat/lon), never at a fake point {admin1_id, name, lat, lon,
      incidents, killed, injured, date_first, date_last};
    - boundaries: divisions with a loaded boundary among those with incidents
      {admin1_id, name, killed, incidents, geometry};
    - unmapped: incidents with no point and no division centre (country-level, or a
      division whose centre is unknown).
    """
    located = incidents.filter(location_precision=LocationPrecision.PLACE, lat__isnull=False)
    if bbox is None:
        extent = located.order_by().aggregate(
            n=Count("id"), min_lat=Min("lat"), max_lat=Max("lat"), min_lon=Min("lon"), max_lon=Max("lon")
        )
    else:
        # Up to cap + 1 rows are enough to know whether the points fit; the cells count the rest.
        min_lon, min_lat, max_lon, max_lat = bbox
        capped = located.order_by().values("id")[: cap + 1].count()
        extent = {"n": capped, "min_lat": min_lat, "max_lat": max_lat, "min_lon": min_lon, "max_lon": max_lon}
    points = cells = None
    cell_size = None
    if extent["n"] <= cap:
        rows = located.order_by("-killed_max", "id").values_list(
            "id",
            "lat",
            "lon",
            "date_start",
            "date_end",
            "place_name",
            "admin1__name",
            "killed_max",
            "killed_min",
            "injured_max",
            "event_type",
            "aggregate",
        )
        points = [
            {
                "id": pk,
                "lat": lat,
                "lon": lon,
                "date": date_start.isoformat() if date_start == date_end else f"{date_start}/{date_end}",
                "place": place_name,
                "admin1": admin1_name,
                "killed": killed,
                "killed_min": killed_min,
                "injured": injured,
                "event_type": event_type,
                "aggregate": aggregate,
            }
            for (
                pk,
                lat,
                lon,
                date_start,
                date_end,
                place_name,
                admin1_name,
                killed,
                killed_min,
                injured,
                event_type,
                aggregate,
            ) in rows
        ]
    else:
        span = max(extent["max_lat"] - extent["min_lat"], extent["max_lon"] - extent["min_lon"])
        cell_size = _grid_size(span)
        # The database bins the points: Floor(lat / size), Floor(lon / size).
        grouped = (
            located.order_by()
            .annotate(cell_lat=Floor(F("lat") / cell_size), cell_lon=Floor(F("lon") / cell_size))
            .values("cell_lat", "cell_lon")
            .annotate(incidents=Count("id"), killed=Sum("killed_max"))
            .order_by("cell_lat", "cell_lon")
        )
        if bbox is not None:
            extent["n"] = sum(row["incidents"] for row in grouped)
        cells = [
            {
                "lat": round((row["cell_lat"] + 0.5) * cell_size, 5),
                "lon": round((row["cell_lon"] + 0.5) * cell_size, 5),
                "incidents": row["incidents"],
                "killed": row["killed"] or 0,
            }
            for row in grouped
        ]

    by_admin1 = (
        incidents.none()
        if bbox is not None
        else incidents.filter(location_precision=LocationPrecision.ADMIN1, admin1__lat__isnull=False)
        .order_by()
        .values("admin1_id", "admin1__name", "admin1__lat", "admin1__lon")
        .annotate(
            incidents=Count("id"),
            killed=Sum("killed_max"),
            injured=Sum("injured_max"),
            date_first=Min("date_start"),
            date_last=Max("date_end"),
        )
        .order_by("admin1__name")
    )
    admin1 = [
        {
            "admin1_id": row["admin1_id"],
            "name": row["admin1__name"],
            "lat": row["admin1__lat"],
            "lon": row["admin1__lon"],
            "incidents": row["incidents"],
            "killed": row["killed"] or 0,
            "injured": row["injured"] or 0,
            "date_first": row["date_first"].isoformat(),
            "date_last": row["date_last"].isoformat(),
        }
        for row in by_admin1
    ]
    mapped = (extent["n"] or 0) + sum(row["incidents"] for row in admin1)
    total = mapped if bbox is not None else incidents.order_by().count()

    # Boundaries are drawn only for divisions whose outline was loaded (load_boundaries): often none.
    outlined = Admin1.objects.filter(boundary__isnull=False).exists()
    totals_rows = incident_totals_by_admin1(incidents=incidents) if outlined else []
    totals = {row["admin1_id"]: row for row in totals_rows if row["admin1_id"]}
    boundaries = [
        {
            "admin1_id": pk,
            "name": name,
            "killed": totals[pk]["killed"],
            "incidents": totals[pk]["incidents"],
            "geometry": boundary,
        }
        for pk, name, boundary in Admin1.objects.filter(pk__in=list(totals), boundary__isnull=False)
        .order_by("name")
        .values_list("id", "name", "boundary")
    ]
    return {
        "points": points,
        "cells": cells,
        "cell_size": cell_size,
        "admin1": admin1,
        "boundaries": boundaries,
        "unmapped": total - mapped,
    }


# --- Incident page ----------------------------------------------------------------------


def incident_possible_duplicates(*, incident: Incident, days: int = 3, limit: int = 10) -> list[Incident]:
    """Other live incidents in the same division (same country when none) whose dates lie within `days`.

    Closest in date first, then the most killed. One query.
    """
    window_start = shift_date(incident.date_start, -days)
    window_end = shift_date(incident.date_end, days)
    candidates = Incident.objects.exclude(pk=incident.pk).exclude(review_status__in=HIDDEN_BY_DEFAULT)
    if incident.admin1_id:
        candidates = candidates.filter(admin1_id=incident.admin1_id)
    else:
        candidates = candidates.filter(country=incident.country, admin1__isnull=True)
    candidates = candidates.filter(date_start__lte=window_end, date_end__gte=window_start)
    rows = list(candidates.select_related("admin1", "place")[: limit * 5])
    rows.sort(key=lambda other: (abs((other.date_start - incident.date_start).days), -(other.killed_max or 0)))
    return rows[:limit]


@dataclass
class HistoryEntry:
    when: datetime.datetime
    user: str
    kind: str
    reason: str
    review_status: str
    changes: list[tuple[str, Any, Any]]


_HISTORY_KIND = {"+": "Created", "~": "Changed", "-": "Deleted"}


def incident_history(*, incident: Incident) -> list[HistoryEntry]:
    """The incident's edit history, newest first, each entry with the fields it changed (old, new). Two queries."""
    records = list(incident.history.select_related("history_user").order_by("-history_date", "-history_id"))
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["updated_at", "created_at"])
            changes = [(change.field, change.old, change.new) for change in delta.changes]
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=str(record.history_user) if record.history_user else "system",
                kind=_HISTORY_KIND.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                review_status=record.review_status,
                changes=changes,
            )
        )
    return entries


@dataclass
class EvidenceView:
    """An article's text split around the evidence, for highlighting: before + evidence + after."""

    before: str
    evidence: str
    after: str
    matches: bool
    truncated_before: bool
    truncated_after: bool


def evidence_in_text(*, text: str, start: int, end: int, evidence: str, context: int = 600) -> EvidenceView:
    """Cut the article text around text[start:end] with `context` characters either side.

    `matches` is False when the offsets do not point at the evidence (the text was
    re-fetched or changed): then the evidence is shown alone, never a wrong span.
    """
    if 0 <= start <= end <= len(text) and text[start:end] == evidence:
        begin = max(0, start - context)
        finish = min(len(text), end + context)
        return EvidenceView(
            before=text[begin:start],
            evidence=text[start:end],
            after=text[end:finish],
            matches=True,
            truncated_before=begin > 0,
            truncated_after=finish < len(text),
        )
    return EvidenceView(
        before="", evidence=evidence, after="", matches=False, truncated_before=False, truncated_after=False
    )


def export_incident_records(*, incidents: QuerySet[Incident]) -> Iterator[dict[str, Any]]:
    """Every filtered incident as a flat dict (EXPORT_COLUMNS), newest first, streamed in chunks."""
    from casualties.selectors.incidents import EXPORT_COLUMNS, incident_export_rows

    headers = [header for header, _path in EXPORT_COLUMNS]
    for row in incident_export_rows(incidents=incidents):
        record = dict(zip(headers, row, strict=True))
        for key, value in record.items():
            if hasattr(value, "isoformat"):
                record[key] = value.isoformat()
            elif isinstance(value, float) and not math.isfinite(value):
                record[key] = None
        yield record
