"""Plotly figures for the dashboard, as plain dicts: pure functions of selector rows, no database, no request.

The dashboard's JSON endpoints return these figures and static/casualties/dashboard.js
draws them with Plotly.react; tests check them without a browser.
"""

import calendar
import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from casualties.dates import shift_date
from casualties.models import EventType

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = [
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
]
# Every event type keeps its colour in every chart and on the map.
EVENT_TYPE_COLOURS: dict[str, str] = {
    EventType.AIR_DRONE_STRIKE: "#D55E00",
    EventType.SHELLING_ARTILLERY_MISSILE: "#E69F00",
    EventType.REMOTE_EXPLOSIVE: "#CC79A7",
    EventType.SUICIDE_BOMB: "#0072B2",
    EventType.ARMED_CLASH: "#009E73",
    EventType.ATTACK: "#56B4E9",
    EventType.OTHER: "#777777",
}
EVENT_TYPE_LABELS: dict[str, str] = dict(EventType.choices)
MEASURES: dict[str, str] = {"killed": "Killed", "injured": "Injured", "incidents": "Incidents"}
STACKS: dict[str, str] = {"admin1": "Governorate", "event_type": "Event type", "none": "Nothing"}
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}
NO_GROUP_LABEL = "No governorate"
# Stacked charts show this many groups; the rest are summed into OTHER_LABEL.
MAX_GROUPS = 7
OTHER_LABEL = "Other"


def choose_interval(date_from: datetime.date | None, date_to: datetime.date | None) -> str:
    """Day for spans up to 3 months, week up to 2 years, else month. Unknown ends count as a long span."""
    if date_from is None or date_to is None:
        return "month"
    days = (date_to - date_from).days
    if days <= 92:
        return "day"
    if days <= 731:
        return "week"
    return "month"


def period_end(period: datetime.date, interval: str) -> datetime.date:
    """The last day of the period that starts on `period` (a day, an ISO week from Monday, a month)."""
    if interval == "day":
        return period
    if interval == "week":
        return shift_date(period, 6)
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _group_label(group: str | None, group_by: str | None) -> str:
    if group_by == "event_type":
        return EVENT_TYPE_LABELS.get(group or "", group or "Unknown")
    return group or NO_GROUP_LABEL


def _empty_figure(message: str, *, height: int = 320) -> dict[str, Any]:
    return {
        "data": [],
        "layout": {
            "height": height,
            "font": FONT,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [
                {"text": message, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}
            ],
            "margin": {"l": 20, "r": 20, "t": 20, "b": 20},
        },
    }


def timeline_figure(
    rows: Sequence[Mapping[str, Any]],
    *,
    measure: str = "killed",
    interval: str = "month",
    group_by: str | None = None,
    max_groups: int = MAX_GROUPS,
) -> dict[str, Any]:
    """Stacked bars of `measure` per period, one trace per group (the largest `max_groups`, the rest "Other").

    `rows` are incident_timeline rows ({"period", "group"?, "killed", "injured", "incidents"}).
    Each bar carries customdata [period start, period end] (ISO dates), which the page
    uses to narrow the date filter when a bar is clicked.
    """
    if measure not in MEASURES:
        raise ValueError(f"Unknown measure {measure!r}")
    if not rows:
        return _empty_figure("No incidents match these filters.")
    totals: dict[str, int] = {}
    for row in rows:
        label = _group_label(row.get("group"), group_by) if group_by else MEASURES[measure]
        totals[label] = totals.get(label, 0) + (row[measure] or 0)
    ranked = sorted(totals, key=lambda label: (-totals[label], label))
    kept = set(ranked[:max_groups]) if len(ranked) > max_groups + 1 else set(ranked)

    series: dict[str, dict[datetime.date, int]] = {}
    periods: set[datetime.date] = set()
    for row in rows:
        period = _as_date(row["period"])
        periods.add(period)
        label = _group_label(row.get("group"), group_by) if group_by else MEASURES[measure]
        label = label if label in kept else OTHER_LABEL
        bucket = series.setdefault(label, {})
        bucket[period] = bucket.get(period, 0) + (row[measure] or 0)

    ordered_periods = sorted(periods)
    # "Other" last, once: rows may already carry an Other group (selectors.rollups.OTHER_GROUP).
    order = [label for label in ranked if label in series and label != OTHER_LABEL]
    order += [OTHER_LABEL] if OTHER_LABEL in series else []
    traces = []
    for index, label in enumerate(order):
        values = series[label]
        if group_by == "event_type":
            key = next((value for value, name in EVENT_TYPE_LABELS.items() if name == label), None)
            colour = EVENT_TYPE_COLOURS.get(key, "#777777")
        elif label == OTHER_LABEL:
            colour = "#999999"
        else:
            colour = OKABE_ITO[index % len(OKABE_ITO)]
        traces.append(
            {
                "type": "bar",
                "name": label,
                "x": [period.isoformat() for period in ordered_periods],
                "y": [values.get(period, 0) for period in ordered_periods],
                "customdata": [
                    [period.isoformat(), period_end(period, interval).isoformat()] for period in ordered_periods
                ],
                "marker": {"color": colour},
                "hovertemplate": f"%{{x}}<br>{label}: %{{y}} {MEASURES[measure].lower()}<extra></extra>",
            }
        )
    xaxis: dict[str, Any] = {"type": "date", "rangeslider": {"visible": True, "thickness": 0.08}}
    if len(ordered_periods) == 1:
        # A single bar would otherwise fill the whole axis.
        only = ordered_periods[0]
        xaxis["range"] = [shift_date(only, -15).isoformat(), shift_date(period_end(only, interval), 15).isoformat()]
    return {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "height": 360,
            "font": FONT,
            "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
            "legend": {"orientation": "h", "y": -0.35},
            "xaxis": xaxis,
            "yaxis": {"title": {"text": MEASURES[measure]}, "rangemode": "tozero", "fixedrange": True},
            "hovermode": "closest",
        },
    }


def admin1_bar_figure(rows: Sequence[Mapping[str, Any]], *, limit: int = 15) -> dict[str, Any]:
    """Horizontal bars of killed and injured per division (incident_totals_by_admin1 rows), most killed on top."""
    if not rows:
        return _empty_figure("No incidents match these filters.", height=240)
    shown = list(rows)[:limit][::-1]
    names = [row["name"] or f"{row['country']} (no governorate)" for row in shown]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": "Killed",
                "y": names,
                "x": [row["killed"] for row in shown],
                "marker": {"color": "#D55E00"},
                "hovertemplate": "%{y}: %{x} killed<extra></extra>",
            },
            {
                "type": "bar",
                "orientation": "h",
                "name": "Injured",
                "y": names,
                "x": [row["injured"] for row in shown],
                "marker": {"color": "#56B4E9"},
                "hovertemplate": "%{y}: %{x} injured<extra></extra>",
            },
        ],
        "layout": {
            "barmode": "group",
            "height": max(240, 28 * len(shown) + 80),
            "font": FONT,
            "margin": {"l": 140, "r": 10, "t": 10, "b": 40},
            "legend": {"orientation": "h", "y": -0.15},
            "xaxis": {"rangemode": "tozero", "fixedrange": True},
            "yaxis": {"automargin": True, "fixedrange": True},
        },
    }


def bubble_size(killed: int | None, *, largest: int) -> float:
    """Marker diameter in pixels: area proportional to killed, 6 px for none, 40 px for the largest."""
    if not killed or killed <= 0 or largest <= 0:
        return 6.0
    return round(6.0 + 34.0 * (killed / largest) ** 0.5, 2)


def _map_bounds(lats: Iterable[float], lons: Iterable[float]) -> dict[str, list[float]] | None:
    lats, lons = list(lats), list(lons)
    if not lats:
        return None
    pad_lat = max(0.5, (max(lats) - min(lats)) * 0.15)
    pad_lon = max(0.5, (max(lons) - min(lons)) * 0.15)
    lat_span = max(lats) - min(lats) + 2 * pad_lat
    lon_span = max(lons) - min(lons) + 2 * pad_lon
    # Widen to about the map's frame (2:1 on screen, Mercator stretches latitudes),
    # so the area fills the width instead of a narrow strip.
    pad_lon += max(0.0, (lat_span * 2.6 - lon_span) / 2)
    return {
        "lataxis": [max(-89.0, min(lats) - pad_lat), min(89.0, max(lats) + pad_lat)],
        "lonaxis": [max(-180.0, min(lons) - pad_lon), min(180.0, max(lons) + pad_lon)],
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
    Each point's customdata is [incident id or null, kind], kind "incident", "admin1" or "cell".
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
                "name": row["name"],
                "showlegend": False,
                "hoverinfo": "text",
                "text": f"{row['name']}: {row['killed']} killed in {row['incidents']} incidents",
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
                    "name": EVENT_TYPE_LABELS.get(event_type, event_type),
                    "lat": [point["lat"] for point in points],
                    "lon": [point["lon"] for point in points],
                    "customdata": [[point["id"], "incident"] for point in points],
                    "text": [
                        f"{point['date']} · {point['place'] or 'unnamed place'}"
                        + (f", {point['admin1']}" if point["admin1"] else "")
                        + f"<br>killed: {_figure(point['killed_min'], point['killed'])}"
                        + f" · injured: {_figure(None, point['injured'])}"
                        + ("<br>aggregate toll" if point["aggregate"] else "")
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
                    f"{row['name']} (governorate only, no exact place)<br>"
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
    bounds = _map_bounds(lats, lons)
    if bounds:
        geo["lataxis"] = {"range": bounds["lataxis"]}
        geo["lonaxis"] = {"range": bounds["lonaxis"]}
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
    if not traces:
        layout["annotations"] = [
            {"text": "No incidents to map for these filters.", "showarrow": False, "x": 0.5, "y": 0.5}
        ]
    return {"data": traces, "layout": layout, "unmapped": data.get("unmapped", 0)}


def _figure(low: int | None, high: int | None) -> str:
    if high is None:
        return "unknown"
    if low is not None and low != high:
        return f"{low}\u2013{high}"  # an en dash: a range of figures
    return str(high)
