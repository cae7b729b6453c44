"""Totals per governorate as horizontal bars."""

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from casualties.charts.style import FONT, empty_figure, plain


def admin1_bar_figure(rows: Sequence[Mapping[str, Any]], *, limit: int = 15) -> dict[str, Any]:
    """Horizontal bars of killed and injured per division (incident_totals_by_admin1 rows), most killed on top.

    A figure no incident of a division gives (None) draws no bar. Each bar's customdata is the division's
    name (empty for incidents with no division), which the page adds to the filters when it is clicked.
    """
    if not rows:
        return empty_figure("No incidents match these filters.", height=240)
    shown = list(rows)[:limit][::-1]
    names = [plain(row.get("display_name") or row["name"] or f"{row['country']} (no governorate)") for row in shown]
    # What a click adds to the filters: admin1=<name>, or nothing for "no governorate"; percent-encoded (the page
    # decodes it), so a name from the news never stands in the figure as markup.
    divisions = [quote(row["name"] or "", safe="") for row in shown]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": "Killed",
                "y": names,
                "x": [row["killed"] for row in shown],
                "customdata": divisions,
                "marker": {"color": "#D55E00"},
                "hovertemplate": "%{y}: %{x} killed<extra></extra>",
            },
            {
                "type": "bar",
                "orientation": "h",
                "name": "Injured",
                "y": names,
                "x": [row["injured"] for row in shown],
                "customdata": divisions,
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
