"""The map: incidents, grid cells and governorate-only incidents as scattergeo traces."""

import math
from collections.abc import Iterable, Mapping
from typing import Any

from casualties.charts.style import EVENT_TYPE_COLOURS, EVENT_TYPE_LABELS, FONT, plain


def bubble_size(killed: int | None, *, largest: int) -> float:
    """Marker diameter in pixels: area proportional to killed, 6 px for none, 40 px for the largest."""
    if not killed or killed <= 0 or largest <= 0:
        return 6.0
    return round(6.0 + 34.0 * (killed / largest) ** 0.5, 2)


# A cluster's circle: its number must fit inside; it grows with the count, not the toll, so the server
# knows how large it is drawn and keeps clusters from covering each other (selectors.map.cluster_points).
CLUSTER_MIN_SIZE = 22.0
CLUSTER_MAX_SIZE = 44.0


def cluster_size(incidents: int) -> float:
    """A cluster's diameter in pixels: 22 px for two incidents, 6 px more each time the count doubles, 44 at most."""
    return round(min(CLUSTER_MAX_SIZE, CLUSTER_MIN_SIZE + 6.0 * math.log2(max(incidents, 2) / 2)), 2)


def mercator_y(lat: float) -> float:
    """A latitude in Mercator's screen units (degrees of longitude at the equator), clamped to +-85."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2)))


# The maps' drawing frames, width over height, on a laptop: the dashboard's (about 1,080 x 430 px) and an
# incident page's (about 970 x 280 px). Phones start again from the view's `fit` (static/casualties/outlines.js).
MAP_FRAME_RATIO = 2.5
INCIDENT_MAP_FRAME_RATIO = 3.4


def map_bounds(
    lats: Iterable[float], lons: Iterable[float], *, ratio: float = MAP_FRAME_RATIO
) -> dict[str, list[float]] | None:
    """The map's view (`lataxis`, `lonaxis` ranges) fitting these points with a margin; None for no points."""
    lats, lons = list(lats), list(lons)
    if not lats:
        return None
    pad_lat = max(0.5, (max(lats) - min(lats)) * 0.15)
    pad_lon = max(0.5, (max(lons) - min(lons)) * 0.15)
    lon_span = max(lons) - min(lons) + 2 * pad_lon
    lataxis = [max(-89.0, min(lats) - pad_lat), min(89.0, max(lats) + pad_lat)]
    # What must show, before the widening below: a phone's taller frame starts from it (static/casualties/dashboard.js).
    fit = {"lataxis": lataxis, "lonaxis": [max(-180.0, min(lons) - pad_lon), min(180.0, max(lons) + pad_lon)]}
    # Widen to the map's frame, measuring the height in Mercator's units (it stretches latitudes away from
    # the equator), so the area fills the width instead of leaving blank sides.
    screen_height = mercator_y(lataxis[1]) - mercator_y(lataxis[0])
    pad_lon += max(0.0, (screen_height * ratio - lon_span) / 2)
    return {
        "lataxis": lataxis,
        "lonaxis": [max(-180.0, min(lons) - pad_lon), min(180.0, max(lons) + pad_lon)],
        "fit": fit,
    }


def _boundary_lines(geometry: Mapping[str, Any]) -> tuple[list[float | None], list[float | None]]:
    """Outer and inner rings of a (Multi)Polygon as one lon/lat line, rings separated by None."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    lons: list[float | None] = []
    lats: list[float | None] = []
    for polygon in polygons:
        for ring in polygon:
            lons.extend(point[0] for point in ring)
            lats.extend(point[1] for point in ring)
            lons.append(None)
            lats.append(None)
    return lons, lats


def _shade(value: int, largest: int) -> str:
    # One hue (vermillion) at an opacity growing with the toll: readable without telling colours apart.
    alpha = 0.08 + 0.5 * (value / largest if largest else 0)
    return f"rgba(213, 94, 0, {alpha:.2f})"


def map_figure(data: Mapping[str, Any]) -> dict[str, Any]:
    """The map as scattergeo traces from incident_map_data; the page adds the country outlines underneath.

    Incidents located to a place are circles sized by killed, coloured by event type
    (or grid cells when there are too many); incidents located only to a governorate
    are open diamonds at the governorate's centre. Every base layer of plotly's own is
    off, so plotly fetches no topojson: no request leaves our server.
    Incidents too close together to tell apart at the view's scale are one dark circle with their count
    (`clusters`), sized by that count (`cluster_size`); a click zooms in to them.
    Each point's customdata is [incident id or null, kind], kind "incident", "cluster", "admin1", "cell"
    or "label"; a cluster's adds its extent (min_lon, min_lat, max_lon, max_lat) and its incidents
    [[id, lon, lat], ...].
    """
    traces: list[dict[str, Any]] = []
    lats: list[float] = []
    lons: list[float] = []
    largest_killed = max(
        [point["killed"] or 0 for point in data.get("points") or []]
        + [cell["killed"] for cell in data.get("cells") or []]
        + [row["killed"] for row in data.get("admin1") or []]
        + [1]
    )
    largest_boundary = max([row["killed"] for row in data.get("boundaries") or []] + [1])
    for row in data.get("boundaries") or []:
        lon_line, lat_line = _boundary_lines(row["geometry"])
        traces.append(
            {
                "type": "scattergeo",
                "mode": "lines",
                "fill": "toself",
                "fillcolor": _shade(row["killed"], largest_boundary),
                "line": {"color": "#8c5a3c", "width": 0.8},
                "lon": lon_line,
                "lat": lat_line,
                "name": plain(row["name"]),
                "showlegend": False,
                "hoverinfo": "text",
                "text": f"{plain(row['name'])}: {row['killed']} killed in {row['incidents']} incidents",
            }
        )
    if data.get("points"):
        by_type: dict[str, list[Mapping[str, Any]]] = {}
        for point in data["points"]:
            by_type.setdefault(point["event_type"], []).append(point)
        for event_type, points in sorted(by_type.items(), key=lambda item: EVENT_TYPE_LABELS.get(item[0], item[0])):
            lats += [point["lat"] for point in points]
            lons += [point["lon"] for point in points]
            traces.append(
                {
                    "type": "scattergeo",
                    "mode": "markers",
                    "name": plain(EVENT_TYPE_LABELS.get(event_type, event_type)),
                    "lat": [point["lat"] for point in points],
                    "lon": [point["lon"] for point in points],
                    "customdata": [[point["id"], "incident"] for point in points],
                    "text": [
                        f"{plain(point['date'])} · {plain(point['place'] or 'unnamed place')}"
                        + (f", {plain(point['admin1'])}" if point["admin1"] else "")
                        + f"<br>killed: {_figure(point['killed_min'], point['killed'])}"
                        + f" · injured: {_figure(None, point['injured'])}"
                        + ("<br>aggregate toll" if point["aggregate"] else "")
                        + "<br><i>click to open the incident</i>"
                        for point in points
                    ],
                    "hovertemplate": "%{text}<extra>%{fullData.name}</extra>",
                    "marker": {
                        "symbol": "circle",
                        "size": [bubble_size(point["killed"], largest=largest_killed) for point in points],
                        "color": EVENT_TYPE_COLOURS.get(event_type, "#777777"),
                        "opacity": 0.75,
                        "line": {"color": "#ffffff", "width": 0.8},
                    },
                }
            )
    if data.get("cells"):
        cells = data["cells"]
        lats += [cell["lat"] for cell in cells]
        lons += [cell["lon"] for cell in cells]
        traces.append(
            {
                "type": "scattergeo",
                "mode": "markers",
                "name": f"Incidents per {data['cell_size']}° cell",
                "lat": [cell["lat"] for cell in cells],
                "lon": [cell["lon"] for cell in cells],
                "customdata": [[None, "cell"] for _cell in cells],
                "text": [f"{cell['incidents']} incidents<br>killed: {cell['killed']}" for cell in cells],
                "hovertemplate": "%{text}<extra>grid cell</extra>",
                "marker": {
                    "symbol": "square",
                    "size": [bubble_size(cell["killed"], largest=largest_killed) for cell in cells],
                    "color": "#0072B2",
                    "opacity": 0.6,
                },
            }
        )
    if data.get("admin1"):
        rows = data["admin1"]
        lats += [row["lat"] for row in rows]
        lons += [row["lon"] for row in rows]
        traces.append(
            {
                "type": "scattergeo",
                "mode": "markers",
                "name": "Located only to a governorate (at its centre)",
                "lat": [row["lat"] for row in rows],
                "lon": [row["lon"] for row in rows],
                "customdata": [[None, "admin1"] for _row in rows],
                "text": [
                    f"{plain(row['name'])} (governorate only, no exact place)<br>"
                    f"{row['incidents']} incidents, {row['date_first']} to {row['date_last']}<br>"
                    f"killed: {row['killed']} · injured: {row['injured']}"
                    for row in rows
                ],
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {
                    "symbol": "diamond-open",
                    "size": [max(12.0, bubble_size(row["killed"], largest=largest_killed)) for row in rows],
                    "color": "#000000",
                    "line": {"width": 2},
                },
            }
        )
    # Above the governorate diamonds, so a cluster's number is never hidden.
    if data.get("clusters"):
        traces.append(_cluster_trace(data["clusters"]))
        lats += [cluster["lat"] for cluster in data["clusters"]]
        lons += [cluster["lon"] for cluster in data["clusters"]]
    if data.get("labels"):
        traces.append(_label_trace(data["labels"]))
    geo: dict[str, Any] = {
        "projection": {"type": "mercator"},
        "showland": False,
        "showocean": False,
        "showlakes": False,
        "showrivers": False,
        "showcountries": False,
        "showcoastlines": False,
        "showsubunits": False,
        "showframe": False,
        "bgcolor": "#eef3f7",
    }
    bounds = data.get("view") or map_bounds(lats, lons)
    fit = None
    if bounds:
        geo["lataxis"] = {"range": bounds["lataxis"]}
        geo["lonaxis"] = {"range": bounds["lonaxis"]}
        fit = bounds.get("fit")
    else:
        geo["lataxis"] = {"range": [25.0, 45.0]}
        geo["lonaxis"] = {"range": [25.0, 60.0]}
    layout: dict[str, Any] = {
        "height": 460,
        "font": FONT,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "geo": geo,
        "dragmode": "select",
        "legend": {"orientation": "h", "y": 0, "bgcolor": "rgba(255,255,255,0.8)"},
    }
    if fit:
        layout["meta"] = {"fit": fit}
    if not traces:
        layout["annotations"] = [
            {"text": "No incidents to map for these filters.", "showarrow": False, "x": 0.5, "y": 0.5}
        ]
    return {"data": traces, "layout": layout, "unmapped": data.get("unmapped", 0)}


def incident_map_figure(data: Mapping[str, Any]) -> dict[str, Any]:
    """The small map of one incident's page (casualties.selectors.map.incident_map_layers): no legend, no selecting."""
    figure = map_figure(data)
    figure["layout"].update(height=280, dragmode=False, showlegend=False)
    return figure


def _words_trace(name: str, rows: list[Mapping[str, Any]], texts: list[str], **rest: Any) -> dict[str, Any]:
    """Markers with words on the map (clusters' counts, towns' names): a scattergeo trace at the rows' lat/lon."""
    return {
        "type": "scattergeo",
        "mode": "markers+text",
        "name": name,
        "lat": [row["lat"] for row in rows],
        "lon": [row["lon"] for row in rows],
        "text": texts,
        **rest,
    }


def _cluster_trace(clusters: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Incidents drawn as one circle with their count (casualties.selectors.map.cluster_points), sized by it."""
    return _words_trace(
        "Several incidents (click to zoom in)",
        clusters,
        [str(cluster["incidents"]) for cluster in clusters],
        textposition="middle center",
        textfont={"size": 12, "color": "#ffffff"},
        customdata=[
            [
                None,
                "cluster",
                cluster["min_lon"],
                cluster["min_lat"],
                cluster["max_lon"],
                cluster["max_lat"],
                cluster["members"],
            ]
            for cluster in clusters
        ],
        hovertext=[
            f"{cluster['incidents']} incidents · killed: {cluster['killed']}<br><i>click to "
            + (
                "zoom in"
                if cluster["max_lon"] > cluster["min_lon"] or cluster["max_lat"] > cluster["min_lat"]
                else "list them"
            )
            + "</i>"
            for cluster in clusters
        ],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={
            "symbol": "circle",
            "size": [cluster_size(cluster["incidents"]) for cluster in clusters],
            "color": "#333333",
            "opacity": 0.85,
            "line": {"color": "#ffffff", "width": 1.5},
        },
    )


def _label_trace(labels: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Town and city names (casualties.selectors.map.map_labels) as text with a small dot: no hover, no legend."""
    return _words_trace(
        "Towns",
        labels,
        [plain(label["name"]) for label in labels],
        textposition="top center",
        textfont={
            "size": [13 if label["population"] >= 500_000 else 11 for label in labels],
            "color": "#333333",
            # A light halo, so a name stays readable over a circle or a border.
            "shadow": "1px 1px 1px #ffffff, -1px -1px 1px #ffffff, 1px -1px 1px #ffffff, -1px 1px 1px #ffffff",
        },
        marker={"size": 3, "color": "#555555"},
        hoverinfo="skip",
        showlegend=False,
        customdata=[[None, "label"] for _label in labels],
    )


def _figure(low: int | None, high: int | None) -> str:
    if high is None:
        return "unknown"
    if low is not None and low != high:
        return f"{low}\u2013{high}"  # an en dash: a range of figures
    return str(high)
