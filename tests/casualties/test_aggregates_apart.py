"""Aggregate tolls (a monitor's period or campaign total) are apart by default, on every surface.

One incident (10 killed) and one aggregate toll (1000 killed) in the same governorate:
without `aggregate` in the URL every surface counts the incident only; aggregate=true
counts the toll only, aggregate=any both. The default lives in the one filter parser,
so the page, its JSON, the API and the exports cannot disagree.
"""

import csv
import datetime
import io
import json
import re

import pytest

from tests.factories import Admin1Factory, IncidentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

# (query string, killed, incidents) for each way of asking.
ASKED = [("", 10, 1), ("aggregate=false", 10, 1), ("aggregate=true", 1000, 1), ("aggregate=any", 1010, 2)]


@pytest.fixture
def incident_and_toll():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib")
    day = datetime.date(2016, 3, 1)
    incident = IncidentFactory(
        admin1=idlib, date_start=day, date_end=day, killed_min=10, killed_max=10, injured_min=None, injured_max=None
    )
    toll = IncidentFactory(
        admin1=idlib,
        aggregate=True,
        date_start=day,
        date_end=datetime.date(2016, 3, 31),
        killed_min=1000,
        killed_max=1000,
        injured_min=None,
        injured_max=None,
    )
    return incident, toll


def _ids(asked: str, incident, toll) -> set[int]:
    return {"": {incident.pk}, "aggregate=false": {incident.pk}, "aggregate=true": {toll.pk}}.get(
        asked, {incident.pk, toll.pk}
    )


@pytest.mark.parametrize(("asked", "killed", "incidents"), ASKED)
def test_the_dashboard_headline_and_governorate_table(client, incident_and_toll, asked, killed, incidents):
    html = client.get(f"/?{asked}").content.decode()
    assert re.search(r'data-total="killed">(\d+)<', html).group(1) == str(killed)
    assert re.search(r'data-total="incidents">(\d+)<', html).group(1) == str(incidents)
    table = html[html.index('id="admin1-table"') :]
    row = re.search(r"Idlib</a></th>\s*<td class=\"num\">(\d+)</td>", table)
    assert row.group(1) == str(killed)
    rows = client.get(f"/dashboard/admin1.json?{asked}").json()["rows"]
    assert [(row["name"], row["killed"], row["incidents"]) for row in rows] == [("Idlib", killed, incidents)]
    # The timeline's bars are incidents whatever is asked; the toll is a span over its month, never a bar.
    figure = client.get(f"/dashboard/timeline.json?{asked}&stack=none").json()["figure"]
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    assert sum(sum(trace["y"]) for trace in bars) == (0 if asked == "aggregate=true" else 10)
    assert [(shape["x0"], shape["x1"]) for shape in figure["layout"]["shapes"]] == [("2016-03-01", "2016-04-01")]


@pytest.mark.parametrize(("asked", "killed", "incidents"), ASKED)
def test_the_apis_stats(client, incident_and_toll, asked, killed, incidents):
    admin1 = client.get(f"/api/v1/stats/admin1/?{asked}").json()
    assert [(row["name"], row["killed"], row["incidents"]) for row in admin1] == [("Idlib", killed, incidents)]
    timeline = client.get(f"/api/v1/stats/timeline/?{asked}&interval=month").json()["results"]
    assert [(row["period"], row["killed"], row["incidents"]) for row in timeline] == [("2016-03-01", killed, incidents)]


@pytest.mark.parametrize(("asked", "killed", "incidents"), ASKED)
def test_the_api_list_and_the_exports(client, incident_and_toll, asked, killed, incidents):
    expected = _ids(asked, *incident_and_toll)
    listed = client.get(f"/api/v1/incidents/?{asked}").json()["results"]
    assert {row["id"] for row in listed} == expected
    response = client.get(f"/api/v1/incidents/?{asked}&format=csv")
    exported = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(exported) == incidents
    assert sum(int(row["killed_max"]) for row in exported) == killed
    exported_json = json.loads(b"".join(client.get(f"/export/incidents.json?{asked}").streaming_content))
    assert {row["id"] for row in exported_json["results"]} == expected


def test_the_page_says_what_it_counts_and_shows_the_choice(client, incident_and_toll):
    html = client.get("/").content.decode()
    assert "Period totals reported by monitors are not added in" in html
    assert re.search(r'<option value="" selected>Incidents only</option>', html)
    both = client.get("/?aggregate=yes").content.decode()
    assert re.search(r'<option value="true" selected>Aggregate tolls only</option>', both)
    assert "Only period totals reported by monitors" in both
    assert "some deaths are counted twice" in client.get("/?aggregate=any").content.decode()


def test_an_unknown_value_is_an_error_naming_the_choices(client):
    body = client.get("/api/v1/stats/admin1/?aggregate=maybe").json()
    assert "any (both)" in str(body)
