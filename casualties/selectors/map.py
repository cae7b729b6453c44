"""The dashboard map's layers for the filtered incidents: points and clusters, or grid cells when there are too many."""

import math
from typing import Any

from django.db.models import Count, F, Max, Min, QuerySet, Sum
from django.db.models.functions import Floor

from casualties.charts.maps import (
    CLUSTER_MAX_SIZE,
    INCIDENT_MAP_FRAME_RATIO,
    bubble_size,
    cluster_size,
    map_bounds,
    mercator_y,
)
from casualties.display_names import place_display_name
from casualties.models import Admin1, Incident, LocationPrecision, Place
from casualties.models.gazetteer import LABELLED_POPULATION_MIN
from casualties.selectors.stats import incident_totals_by_admin1

# Beyond this many located incidents in view, the map gets grid cells instead of points.
MAP_POINT_CAP = 5000
# Town labels: the smallest population labelled for the view's largest span in degrees, widest first.
# Syria (about 7 degrees across) shows its cities; a governorate (1-2 degrees) its towns too.
LABEL_POPULATION_BY_SPAN = ((30.0, 2_000_000), (12.0, 500_000), (6.0, 100_000), (3.0, 40_000), (1.5, 15_000))
MAP_LABELS_MAX = 40
# Two labels closer than this share of the view's span overlap on screen: the smaller town is left out.
LABEL_SPACING = 0.035


def label_population(span_degrees: float) -> int:
    """The smallest population labelled on a view this many degrees across: more towns as the view narrows."""
    for span, population in LABEL_POPULATION_BY_SPAN:
        if span_degrees >= span:
            return population
    return LABELLED_POPULATION_MIN


def map_labels(*, view: dict[str, list[float]], limit: int = MAP_LABELS_MAX) -> list[dict[str, Any]]:
    """Towns and cities to name on a map showing `view` ({"lataxis": [min, max], "lonaxis": [min, max]}). One query.

    The most populous gazetteer places inside the view, down to `label_population` of its span,
    skipping a town too close to a larger one already named; names as readers write them
    (`place_display_name`: "Tartus", not "Ţarţūs"). Rows: {name, lat, lon, population}, most populous first.
    """
    (min_lat, max_lat), (min_lon, max_lon) = view["lataxis"], view["lonaxis"]
    span = max(max_lat - min_lat, (max_lon - min_lon) / 2)
    candidates = (
        Place.objects.filter(
            lat__gte=min_lat,
            lat__lte=max_lat,
            lon__gte=min_lon,
            lon__lte=max_lon,
            population__gte=label_population(span),
        )
        .order_by("-population", "id")
        .values_list("name", "country", "admin1__name", "lat", "lon", "population")[: limit * 5]
    )
    spacing = LABEL_SPACING * span
    labels: list[dict[str, Any]] = []
    for name, country, admin1_name, lat, lon, population in candidates:
        if any(abs(lat - kept["lat"]) < spacing and abs(lon - kept["lon"]) < 2 * spacing for kept in labels):
            continue
        shown = place_display_name(name=name, country=country, admin1_name=admin1_name)
        labels.append({"name": shown, "lat": lat, "lon": lon, "population": population})
        if len(labels) == limit:
            break
    return labels


def map_focus_extent(*, admin1_ids: list[int] | None = None, countries: list[str] | None = None) -> dict | None:
    """The extent of the gazetteer places of the filtered divisions (else countries): what the view fits. One query.

    {"min_lat", "max_lat", "min_lon", "max_lon"}, or None when nothing is filtered or no place is known there.
    """
    if admin1_ids:
        places = Place.objects.filter(admin1_id__in=admin1_ids)
    elif countries:
        places = Place.objects.filter(country__in=countries)
    else:
        return None
    extent = places.aggregate(min_lat=Min("lat"), max_lat=Max("lat"), min_lon=Min("lon"), max_lon=Max("lon"))
    return extent if extent["min_lat"] is not None else None


def _grid_size(extent_degrees: float) -> float:
    """A cell size giving about 60 cells across the extent, rounded to a readable step."""
    raw = max(extent_degrees, 0.01) / 60
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0):
        if raw <= step:
            return step
    return 10.0


# Clusters are worked out for a map this many pixels wide (a laptop's; a phone shows a narrower view).
CLUSTER_FRAME_PX = 1000
# Two circles are one cluster when they would cover each other by more than this share of their radii.
CLUSTER_OVERLAP = 0.3


def cluster_points(points: list[dict[str, Any]], *, pixel: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Group points whose circles would cover each other on the map into clusters, pure.

    `pixel`: degrees of longitude per screen pixel. A point is drawn as charts.maps draws it
    (`bubble_size`: area by killed, 6 to 40 px), a cluster as `cluster_size` of its count. Starting from
    one group per point (the largest toll first, as incident_map_data orders them), a group absorbs every
    group whose drawn circle would cover its own (centres closer than 1 - CLUSTER_OVERLAP of the sum of
    the radii, on a Mercator screen), and again until none do, so no two clusters cover each other either.
    Neighbours are found through a grid: each pass is about linear.

    Returns (points left alone, clusters {lat, lon (the mean), incidents, killed, members: [[id, lon, lat]],
    min_lat, max_lat, min_lon, max_lon}); every point is in exactly one of the two, so the counts add up
    to the points.
    """
    if pixel <= 0 or len(points) < 2:
        return points, []
    largest = max([point["killed"] or 0 for point in points] + [1])

    def radius(members: list[dict[str, Any]]) -> float:
        size = cluster_size(len(members)) if len(members) > 1 else bubble_size(members[0]["killed"], largest=largest)
        return size / 2 * pixel

    # Each group keeps the sums of its members' x and y, so its centre after a merge costs no pass over them.
    groups = []
    for point in points:
        x, y = point["lon"], mercator_y(point["lat"])
        groups.append({"x": x, "y": y, "sum_x": x, "sum_y": y, "members": [point], "radius": radius([point])})
    cell = (1 - CLUSTER_OVERLAP) * max(CLUSTER_MAX_SIZE, 40.0) * pixel  # the farthest two circles still cover
    for _ in range(20):
        grid: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for group in groups:
            grid.setdefault((math.floor(group["x"] / cell), math.floor(group["y"] / cell)), []).append(group)
        merged = False
        for group in groups:
            if group.get("gone"):
                continue
            column, row = math.floor(group["x"] / cell), math.floor(group["y"] / cell)
            near = [
                other
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
                for other in grid.get((column + dx, row + dy), ())
                if other is not group and not other.get("gone")
            ]
            grew = False
            for other in near:
                reach = (1 - CLUSTER_OVERLAP) * (group["radius"] + other["radius"])
                if math.hypot(group["x"] - other["x"], group["y"] - other["y"]) < reach:
                    other["gone"] = merged = grew = True
                    group["members"] += other["members"]
                    group["sum_x"] += other["sum_x"]
                    group["sum_y"] += other["sum_y"]
            if grew:
                members = group["members"]
                group["x"] = group["sum_x"] / len(members)
                group["y"] = group["sum_y"] / len(members)
                group["radius"] = radius(members)
        groups = [group for group in groups if not group.get("gone")]
        if not merged:
            break
    alone = [group["members"][0] for group in groups if len(group["members"]) == 1]
    clusters = []
    for group in groups:
        members = group["members"]
        if len(members) == 1:
            continue
        lats, lons = [point["lat"] for point in members], [point["lon"] for point in members]
        clusters.append(
            {
                "lat": round(sum(lats) / len(lats), 5),
                "lon": round(sum(lons) / len(lons), 5),
                "incidents": len(members),
                "killed": sum(point["killed"] or 0 for point in members),
                "members": [[point["id"], point["lon"], point["lat"]] for point in members],
                "min_lat": min(lats),
                "max_lat": max(lats),
                "min_lon": min(lons),
                "max_lon": max(lons),
            }
        )
    return alone, clusters


def view_span(view: dict[str, list[float]]) -> float:
    """The width of a view in degrees of longitude."""
    return view["lonaxis"][1] - view["lonaxis"][0]


def incident_map_data(
    *,
    incidents: QuerySet[Incident],
    cap: int = MAP_POINT_CAP,
    bbox: tuple[float, float, float, float] | None = None,
    focus: dict[str, float] | None = None,
    view: dict[str, list[float]] | None = None,
) -> dict[str, Any]:
    """The map's layers for the filtered incidents. At most five queries, whatever the number of incidents.

    `bbox`: the filter's bounding box (min_lon, min_lat, max_lon, max_lat), when it has one. Then
    every incident selected has a point, so the division-centre layer is empty and none is
    unmapped (those queries are skipped); whether there are more than `cap` points is asked with
    a LIMIT rather than counted; and grid cells are sized to the box rather than to the points.
    `focus`: an extent the view must hold besides the incidents (`map_focus_extent` of the filtered
    governorate or country), so the map frames the area asked about even where it has few incidents.

    Returns {"points": [...] or None, "clusters": [...], "cells": [...] or None, "cell_size": float | None,
    "admin1": [...], "boundaries": [...], "unmapped": int, "view": {...} | None, "labels": [...]}:
    - points: one per incident located to a place {id, lat, lon, date, place, admin1,
      killed, killed_min, injured, event_type, aggregate}; when more than `cap` such
      incidents match, `points` is None and `cells` holds grid cells
      {lat, lon (cell centre), incidents, killed} of `cell_size` degrees;
    - clusters: points whose circles would cover each other at the view's scale, taken out of `points` and
      drawn as one marker with their count (`cluster_points`); points, clusters, cells, admin1 and
      unmapped add up to the incidents the filters select, as the table lists them;
    - admin1: incidents located only to a division, grouped by division and drawn at
      its centre (Admin1.lat/lon), never at a fake point {admin1_id, name, lat, lon,
      incidents, killed, injured, date_first, date_last};
    - boundaries: divisions with a loaded boundary among those with incidents
      {admin1_id, name, killed, incidents, geometry};
    - unmapped: incidents with no point and no division centre (country-level, or a
      division whose centre is unknown);
    - view: {"lataxis": [min, max], "lonaxis": [min, max]} fitting the incidents drawn, the
      division centres and `focus` (None when there is nothing to fit);
    - labels: towns to name in that view (`map_labels`).
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
            "country",
            "admin1__name",
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
                "place": place_display_name(name=place_name, country=country, admin1_name=admin1_geonames),
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
                country,
                admin1_geonames,
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
        cell_size = _grid_size(view_span(view) if view else span)
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
    if view is None:
        lats = [row["lat"] for row in admin1]
        lons = [row["lon"] for row in admin1]
        if extent["n"]:
            lats += [extent["min_lat"], extent["max_lat"]]
            lons += [extent["min_lon"], extent["max_lon"]]
        if focus and bbox is None:
            lats += [focus["min_lat"], focus["max_lat"]]
            lons += [focus["min_lon"], focus["max_lon"]]
        view = map_bounds(lats, lons)
    clusters: list[dict[str, Any]] = []
    if points and view:
        points, clusters = cluster_points(points, pixel=view_span(view) / CLUSTER_FRAME_PX)
    return {
        "points": points,
        "clusters": clusters,
        "cells": cells,
        "cell_size": cell_size,
        "admin1": admin1,
        "boundaries": boundaries,
        "unmapped": total - mapped,
        "view": view,
        "labels": map_labels(view=view) if view else [],
    }


# Degrees around an incident's point that its page's small map shows: a town and its neighbours.
INCIDENT_MAP_MARGIN = 0.35


def incident_map_layers(*, incident: Incident) -> dict[str, Any]:
    """The layers of the small map on an incident's page, in incident_map_data's shape. At most two queries.

    At its place when it has a point; else at its governorate's centre, framed by the governorate's
    places; else its country framed and nothing drawn (`unmapped` 1). Towns named as on the dashboard.
    """
    date = incident.date_start.isoformat()
    if incident.date_end != incident.date_start:
        date = f"{incident.date_start}/{incident.date_end}"
    admin1 = incident.admin1
    points: list[dict[str, Any]] = []
    centres: list[dict[str, Any]] = []
    focus = None
    if incident.lat is not None and incident.lon is not None:
        points.append(
            {
                "id": incident.pk,
                "lat": incident.lat,
                "lon": incident.lon,
                "date": date,
                "place": incident.place_display_name,
                "admin1": admin1.display_name if admin1 else None,
                "killed": incident.killed_max,
                "killed_min": incident.killed_min,
                "injured": incident.injured_max,
                "event_type": incident.event_type,
                "aggregate": incident.aggregate,
            }
        )
        margin = INCIDENT_MAP_MARGIN
        focus = {
            "min_lat": incident.lat - margin,
            "max_lat": incident.lat + margin,
            "min_lon": incident.lon - margin,
            "max_lon": incident.lon + margin,
        }
    elif admin1 is not None:
        focus = map_focus_extent(admin1_ids=[admin1.pk])
        if admin1.lat is not None and admin1.lon is not None:
            centres.append(
                {
                    "admin1_id": admin1.pk,
                    "name": admin1.display_name,
                    "lat": admin1.lat,
                    "lon": admin1.lon,
                    "incidents": 1,
                    "killed": incident.killed_max or 0,
                    "injured": incident.injured_max or 0,
                    "date_first": incident.date_start.isoformat(),
                    "date_last": incident.date_end.isoformat(),
                }
            )
    else:
        focus = map_focus_extent(countries=[incident.country])
    lats = [row["lat"] for row in centres] + ([focus["min_lat"], focus["max_lat"]] if focus else [])
    lons = [row["lon"] for row in centres] + ([focus["min_lon"], focus["max_lon"]] if focus else [])
    view = map_bounds(lats, lons, ratio=INCIDENT_MAP_FRAME_RATIO)
    return {
        "points": points,
        "clusters": [],
        "cells": None,
        "cell_size": None,
        "admin1": centres,
        "boundaries": [],
        "unmapped": 0 if points or centres else 1,
        "view": view,
        "labels": map_labels(view=view, limit=15) if view else [],
    }
