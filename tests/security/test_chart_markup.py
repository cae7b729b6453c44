"""Markup in the charts (finding 8 of the review of 9600419).

Plotly draws a subset of HTML in hover texts, trace names, legends, tick labels and
annotations: an analyst's place name `<a href=...>` stayed a clickable link in the map's
hover, and styled spans were drawn. Every user-controlled string now reaches the figure
with <, > and & escaped, which Plotly shows as the characters themselves.
"""

import datetime
import json
from typing import Any

import pytest

from casualties import charts
from casualties.models import LocationPrecision
from tests.factories import Admin1Factory, IncidentFactory, PlaceFactory

LINK = '<a href="https://evil.example/x">x</a>'
SPAN = '<span style="font-size:80px;color:red">big</span>'
HOSTILE = f"{LINK} & {SPAN}"
ESCAPED = '&lt;a href="https://evil.example/x"&gt;x&lt;/a&gt; &amp; &lt;span style="font-size:80px;color:red"&gt;'


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def assert_no_user_markup(figure: dict[str, Any]) -> None:
    texts = _strings(figure)
    leaked = [text for text in texts if "<a " in text or "<span" in text or "</a>" in text]
    assert leaked == []
    assert any(ESCAPED in text for text in texts), json.dumps(figure)[:2000]


@pytest.fixture
def hostile_incidents(db):
    division = Admin1Factory(country="SY", code="99", name=HOSTILE, lat=35.0, lon=36.5)
    place = PlaceFactory(admin1=division, name=HOSTILE, lat=35.8, lon=36.6)
    IncidentFactory(
        admin1=division,
        place=place,
        place_name=HOSTILE,
        location_precision=LocationPrecision.PLACE,
        lat=35.8,
        lon=36.6,
        actor=HOSTILE,
    )
    IncidentFactory(admin1=division, location_precision=LocationPrecision.ADMIN1)


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/map.json",
        "/dashboard/timeline.json?stack=admin1",
        "/dashboard/timeline.json?stack=admin1&interval=day",
        "/dashboard/admin1.json",
    ],
)
def test_the_dashboards_figures_carry_user_strings_escaped(client, hostile_incidents, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_no_user_markup(response.json()["figure"])


def test_the_map_escapes_place_and_governorate_names_in_every_layer():
    data = {
        "points": [
            {
                "id": 1,
                "event_type": "attack",
                "lat": 35.8,
                "lon": 36.6,
                "date": "2015-10-15",
                "place": HOSTILE,
                "admin1": HOSTILE,
                "killed_min": 1,
                "killed": 3,
                "injured": None,
                "aggregate": False,
            }
        ],
        "admin1": [
            {
                "name": HOSTILE,
                "lat": 35.0,
                "lon": 36.5,
                "incidents": 2,
                "date_first": "2015-10-01",
                "date_last": "2015-10-31",
                "killed": 5,
                "injured": 1,
            }
        ],
        "boundaries": [
            {
                "name": HOSTILE,
                "killed": 2,
                "incidents": 1,
                "geometry": {"type": "Polygon", "coordinates": [[[36.0, 35.0], [37.0, 35.0], [36.5, 36.0]]]},
            }
        ],
    }
    figure = charts.map_figure(data)
    assert_no_user_markup(figure)
    boundary, points, diamonds = figure["data"]
    assert boundary["name"].startswith("&lt;a href=")
    assert boundary["text"].startswith("&lt;a href=")
    assert points["text"][0].startswith("2015-10-15 · &lt;a href=")
    assert diamonds["text"][0].startswith("&lt;a href=")
    # The markup the figure itself writes is kept.
    assert "<br>killed: 1\u20133" in points["text"][0]


def test_the_timeline_escapes_group_names_in_names_legends_and_hovers():
    rows = [{"period": datetime.date(2016, 1, 1), "group": HOSTILE, "killed": 3, "injured": 0, "incidents": 1}]
    figure = charts.timeline_figure(rows, group_by="admin1")
    assert_no_user_markup(figure)
    (trace,) = figure["data"]
    assert trace["name"].startswith("&lt;a href=")
    assert trace["hovertemplate"].startswith("%{x}<br>&lt;a href=")


def test_the_governorate_bars_escape_their_tick_labels():
    figure = charts.admin1_bar_figure([{"name": HOSTILE, "country": "SY", "killed": 3, "injured": 1}])
    assert_no_user_markup(figure)
    assert all(trace["y"] == [charts.plain(HOSTILE)] for trace in figure["data"])
    country_only = charts.admin1_bar_figure([{"name": None, "country": "<b>SY</b>", "killed": 3, "injured": 1}])
    assert country_only["data"][0]["y"] == ["&lt;b&gt;SY&lt;/b&gt; (no governorate)"]


def test_plain_escapes_only_what_plotly_reads_as_markup():
    # Plotly decodes &lt; &gt; &amp; but not &quot;: quotes stay as they are.
    assert charts.plain('<b>"Idlib" & Co</b>') == '&lt;b&gt;"Idlib" &amp; Co&lt;/b&gt;'
    assert charts.plain("Ḥimṣ") == "Ḥimṣ"
