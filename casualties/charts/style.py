"""What every figure shares: colours, labels, the font, the empty figure."""

import html
from typing import Any

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


def plain(text: object) -> str:
    """`text` for anywhere Plotly reads its HTML-like markup (hover texts, trace names, legends, tick labels,
    annotations): <, > and & escaped, so a user's `<a href=...>` or `<span style=...>` is shown, never drawn.

    Every string a user can set (place, governorate and actor names, event labels) goes through here; the
    markup the figures write themselves (`<br>`) is added around it. Quotes stay: Plotly decodes &lt;, &gt;
    and &amp;, but would show &quot; as it is.
    """
    return html.escape(str(text), quote=False)


def empty_figure(message: str, *, height: int = 320) -> dict[str, Any]:
    """A figure with no data and `message` in its middle."""
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
