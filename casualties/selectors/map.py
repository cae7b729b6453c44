"""The dashboard map's layers for the filtered incidents: points, or grid cells when there are too many."""

from typing import Any

from django.db.models import Count, F, Max, Min, QuerySet, Sum
from django.db.models.functions import Floor

from casualties.models import Admin1, Incident, LocationPrecision
from casualties.selectors.stats import incident_totals_by_admin1

# Beyond this many located incidents in view, the map gets grid cells instead of points.
MAP_POINT_CAP = 5000


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
            "admin1__display_name",
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
        .values("admin1_id", "admin1__display_name", "admin1__lat", "admin1__lon")
        .annotate(
            incidents=Count("id"),
            killed=Sum("killed_max"),
            injured=Sum("injured_max"),
            date_first=Min("date_start"),
            date_last=Max("date_end"),
        )
        .order_by("admin1__display_name")
    )
    admin1 = [
        {
            "admin1_id": row["admin1_id"],
            "name": row["admin1__display_name"],
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
            "killed": totals[pk]["killed"] or 0,  # the shade of a division none of whose incidents gives a toll
            "incidents": totals[pk]["incidents"],
            "geometry": boundary,
        }
        for pk, name, boundary in Admin1.objects.filter(pk__in=list(totals), boundary__isnull=False)
        .order_by("display_name")
        .values_list("id", "display_name", "boundary")
    ]
    return {
        "points": points,
        "cells": cells,
        "cell_size": cell_size,
        "admin1": admin1,
        "boundaries": boundaries,
        "unmapped": total - mapped,
    }
