"""Plotly figures for the dashboard, as plain dicts: pure functions of selector rows, no database, no request.

The dashboard's JSON endpoints return these figures and static/casualties/dashboard.js
draws them with Plotly.react; tests check them without a browser. One module a kind of
figure (timeline, bars, maps), what they share in style.
"""

from casualties.charts.bars import admin1_bar_figure
from casualties.charts.maps import bubble_size, incident_map_figure, map_bounds, map_figure
from casualties.charts.style import (
    EVENT_TYPE_COLOURS,
    MAX_GROUPS,
    MEASURES,
    NO_GROUP_LABEL,
    OKABE_ITO,
    STACKS,
    plain,
)
from casualties.charts.timeline import choose_interval, period_end, timeline_figure

__all__ = [
    "EVENT_TYPE_COLOURS",
    "MAX_GROUPS",
    "MEASURES",
    "NO_GROUP_LABEL",
    "OKABE_ITO",
    "STACKS",
    "admin1_bar_figure",
    "bubble_size",
    "choose_interval",
    "incident_map_figure",
    "map_bounds",
    "map_figure",
    "period_end",
    "plain",
    "timeline_figure",
]
