"""The fast endpoints return exactly what the naive baseline (bench/scale_support/baseline.py) returns.

bench/scale.py times the app against the baseline; these tests make sure the two
answer the same question. On small synthetic data (generate_incidents, the bulk path
the benchmark loads with) plus a few edits through the services (a real report filed,
a verification, a rejection, a correction, a merge), for each filter:

- the incident list: the same ids in the same order, page one and every page walked
  by cursor against every page walked by number, and the same values in the fields
  both show;
- the timeline (API and dashboard), the totals by governorate (API and dashboard)
  and the dashboard page's table: the same rows;
- the map: the same located incidents at the same points (the data is under the cap).

A fast path that drops, adds or double-counts one incident fails here.
"""

import datetime
import json
import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from rest_framework.throttling import AnonRateThrottle

from casualties.models import Incident
from casualties.services.filing import article_file_incidents
from casualties.services.review import incident_correct, incident_merge, incident_reject, incident_verify
from reports.extraction.contract import Dates, EventType, Evidence, ExtractedIncident, Figures, Location
from tests.factories import Admin1Factory, ArticleFactory, PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.scale_support.urls")]

# Filters the benchmark uses (governorate, date range, bbox) and a few more that change which rows count.
FILTERS = [
    "",
    "country=SY&admin1=Idlib",
    "admin1=Nineveh&date_from=2015-01-01&date_to=2019-12-31",
    "date_from=2013-03-01&date_to=2013-09-30",
    "bbox=36.0,35.0,38.0,37.0",
    "event_type=air_drone_strike,armed_clash&killed_min=3",
    "aggregate=false&country=IQ",
    "aggregate=any&country=SY",
    "review_status=rejected,merged",
    "review_status=unverified,verified,rejected,merged",
]
SHARED_FIELDS = [
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "country",
    "place_name",
    "lat",
    "lon",
    "location_precision",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed",
    "women_killed",
    "victims",
    "actor",
    "event_type",
    "aggregate",
    "review_status",
    "merged_into",
    "figures_locked",
]


@pytest.fixture(autouse=True)
def _no_throttle(monkeypatch, fresh_cache):
    # Walking every page of both sides is more requests than an anonymous client may make in a minute.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1000000/minute"})


@pytest.fixture
def incidents():
    """About 400 synthetic incidents over two countries, then edits through the services."""
    governorates = {
        ("SY", "12", "Idlib"): [("Ariha", 35.81, 36.61), ("Saraqib", 35.86, 36.80)],
        ("SY", "09", "Aleppo"): [("Aleppo", 36.20, 37.16), ("Azaz", 36.59, 37.05)],
        ("SY", "11", "Homs"): [("Al Ghantu", 34.82, 36.70), ("Palmyra", 34.56, 38.27)],
        ("IQ", "15", "Nineveh"): [("Mosul", 36.34, 43.13), ("Tal Afar", 36.38, 42.45)],
        ("IQ", "07", "Baghdad"): [("Baghdad", 33.34, 44.40)],
    }
    geonameid = 9_100_000
    for (country, code, name), places in governorates.items():
        admin1 = Admin1Factory(country=country, code=code, name=name, lat=places[0][1], lon=places[0][2])
        for place_name, lat, lon in places:
            geonameid += 1
            PlaceFactory(
                geonameid=geonameid,
                name=place_name,
                country=country,
                admin1=admin1,
                lat=lat,
                lon=lon,
                population=10_000,
            )
    call_command("generate_incidents", count=400, seed=11, verbosity=0)

    synthetic = list(Incident.objects.exclude(review_status="rejected").order_by("id"))
    incident_verify(incident=synthetic[0], user=None, reason="checked")
    incident_reject(incident=synthetic[1], user=None, reason="not violence")
    incident_correct(incident=synthetic[2], user=None, changes={"killed_min": 7, "killed_max": 9}, reason="fixed")
    incident_merge(keep=synthetic[3], drop=synthetic[4], user=None, reason="same event")
    article_file_incidents(
        article=ArticleFactory(),
        incidents=[
            ExtractedIncident(
                country="SY",
                dates=Dates(start=datetime.date(2015, 11, 29), end=datetime.date(2015, 11, 29)),
                evidence=Evidence(text="x", start=0, end=1),
                figures=Figures(killed_min=4, killed_max=6),
                location=Location(name="Ariha", admin1="Idlib", admin1_code="12"),
                event_type=EventType.AIR_DRONE_STRIKE,
            )
        ],
        extractor_version="test",
    )
    return Incident.objects.count()


def _get(client, url: str, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.content[:500])
    return response.json()


def _query(filters: str) -> dict[str, list[str]]:
    return dict(parse_qs(filters))


def _walk_cursor(client, filters: str, page_size: int) -> list[dict]:
    rows: list[dict] = []
    url = "/api/v1/incidents/"
    params = {**_query(filters), "page_size": page_size}
    while url:
        page = _get(client, url, **params)
        rows += page["results"]
        url, params = (page["next"], {}) if page["next"] else (None, {})
        if url:
            url = urlsplit(url)._replace(scheme="", netloc="").geturl()
    return rows


def _walk_pages(client, filters: str, page_size: int) -> tuple[list[dict], int]:
    rows: list[dict] = []
    number, count = 1, None
    while True:
        page = _get(client, "/baseline/incidents/", **_query(filters), page_size=page_size, page=number)
        count = page["count"]
        rows += page["results"]
        if not page["next"]:
            return rows, count
        number += 1


def _shared(row: dict) -> dict:
    values = {field: row[field] for field in SHARED_FIELDS}
    # The app nests admin1 and place; the baseline sends their ids.
    values["admin1"] = row["admin1"]["id"] if isinstance(row["admin1"], dict) else row["admin1"]
    values["place"] = row["place"]["id"] if isinstance(row["place"], dict) else row["place"]
    return values


def test_the_data_covers_what_the_filters_ask(client, incidents):
    """Guards the other tests: each filter selects some incidents but not all, so equality means something."""
    everything = _get(
        client, "/baseline/incidents/", review_status="unverified,verified,rejected,merged", aggregate="any"
    )["count"]
    assert everything == incidents > 350
    for filters in FILTERS[1:-1]:
        count = _get(client, "/baseline/incidents/", **_query(filters))["count"]
        assert 0 < count < everything, filters


@pytest.mark.parametrize("filters", FILTERS)
def test_list_first_page_is_the_same_incidents_in_the_same_order(client, incidents, filters):
    fast = _get(client, "/api/v1/incidents/", **_query(filters), page_size=40)["results"]
    baseline = _get(client, "/baseline/incidents/", **_query(filters), page_size=40)["results"]
    assert [row["id"] for row in fast] == [row["id"] for row in baseline]
    assert [_shared(row) for row in fast] == [_shared(row) for row in baseline]


@pytest.mark.parametrize("filters", FILTERS)
def test_walking_every_cursor_page_equals_walking_every_numbered_page(client, incidents, filters):
    fast = _walk_cursor(client, filters, page_size=23)
    baseline, count = _walk_pages(client, filters, page_size=23)
    assert len(baseline) == count
    ids = [row["id"] for row in fast]
    assert len(ids) == len(set(ids)), "an incident came twice"
    assert ids == [row["id"] for row in baseline]
    assert [_shared(row) for row in fast] == [_shared(row) for row in baseline]


@pytest.mark.parametrize("filters", FILTERS)
def test_timeline_has_the_same_rows(client, incidents, filters):
    fast = _get(client, "/api/v1/stats/timeline/", **_query(filters), interval="month")["results"]
    baseline = _get(client, "/baseline/stats/timeline/", **_query(filters))["results"]
    assert fast == baseline
    assert sum(row["incidents"] for row in baseline) == _get(client, "/baseline/incidents/", **_query(filters))["count"]


@pytest.mark.parametrize("measure", ["incidents", "killed", "injured"])
@pytest.mark.parametrize("filters", FILTERS)
def test_dashboard_timeline_shows_the_same_monthly_figures(client, incidents, filters, measure):
    figure = _get(
        client, "/dashboard/timeline.json", **_query(filters), interval="month", stack="none", measure=measure
    )["figure"]
    shown: Counter[str] = Counter()
    unknown: set[str] = set()
    for trace in figure["data"]:
        if trace["type"] != "bar":  # reported period totals are spans, not bars
            continue
        for x, y in zip(trace.get("x", []), trace.get("y", []), strict=True):
            if y is None:
                unknown.add(x[:10])
            else:
                shown[x[:10]] += y
    # The chart's bars are incidents whatever `aggregate` asks (tolls are drawn as spans over their period).
    bars_filters = filters.replace("aggregate=any", "aggregate=false")
    baseline = _get(client, "/baseline/stats/timeline/", **_query(bars_filters))["results"]
    assert +shown == +Counter({row["period"]: row[measure] or 0 for row in baseline})
    # A month none of whose incidents gives the figure has no bar at all (not a 0).
    assert unknown - set(shown) == {row["period"] for row in baseline if row[measure] is None}


def _by_division(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: (row["country"], row["admin1_id"] or 0))


@pytest.mark.parametrize("filters", FILTERS)
def test_totals_by_governorate_are_the_same(client, incidents, filters):
    baseline = _get(client, "/baseline/stats/admin1/", **_query(filters))
    api = _get(client, "/api/v1/stats/admin1/", **_query(filters))
    dashboard = _get(client, "/dashboard/admin1.json", **_query(filters))["rows"]
    assert _by_division(api) == _by_division(baseline)
    assert _by_division(dashboard) == _by_division(baseline)
    # Most killed first in all three (ties in any order).
    for rows in (api, dashboard):
        killed = [row["killed"] or 0 for row in rows]  # unknown (null) with the zeros, last
        assert killed == sorted(killed, reverse=True)


def _page_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-incident-id="(\d+)"', html)]


@pytest.mark.parametrize("filters", FILTERS)
def test_dashboard_page_shows_the_same_totals_and_table(client, incidents, filters):
    response = client.get("/", _query(filters))
    assert response.status_code == 200
    html = response.content.decode()
    baseline = _get(client, "/baseline/dashboard/", **_query(filters))
    assert _page_ids(html) == [row["id"] for row in baseline["table"]]
    assert baseline["totals"]["incidents"] == baseline["count"]
    shown = {
        key: None if value == "—" else int(value.replace(",", ""))
        for key, value in re.findall(r'data-total="(\w+)">([^<]+)<', html)
    }
    assert shown == {key: baseline["totals"][key] for key in ("incidents", "killed", "injured", "children", "women")}


def _map_points(figure: dict) -> dict[int, tuple[float, float]]:
    """Incident id -> (lon, lat) of every incident in the map figure: each circle's, and each cluster's members'."""
    points: dict[int, tuple[float, float]] = {}
    for trace in figure["data"]:
        for custom, lat, lon in zip(
            trace.get("customdata") or [], trace.get("lat") or [], trace.get("lon") or [], strict=True
        ):
            if isinstance(custom, list) and len(custom) == 2 and custom[1] == "incident":
                assert custom[0] not in points, "an incident drawn twice"
                points[custom[0]] = (lon, lat)
            # A cluster (incidents too close to tell apart at the view's scale) lists its incidents' points.
            if isinstance(custom, list) and len(custom) == 7 and custom[1] == "cluster":
                for pk, member_lon, member_lat in custom[6]:
                    assert pk not in points, "an incident drawn twice"
                    points[pk] = (member_lon, member_lat)
    return points


@pytest.mark.parametrize("filters", FILTERS)
def test_map_sends_the_same_located_incidents(client, incidents, filters):
    figure = _get(client, "/dashboard/map.json", **_query(filters))["figure"]
    baseline = _get(client, "/baseline/map/", **_query(filters))["features"]
    assert baseline, "the filter selects no located incident"
    assert _map_points(figure) == {feature["id"]: tuple(feature["geometry"]["coordinates"]) for feature in baseline}


def test_a_dropped_or_doubled_incident_would_be_seen(client, incidents):
    """The comparison itself: the baseline moves when one incident changes, so equality is not vacuous."""
    before = _get(client, "/baseline/stats/timeline/")["results"]
    victim = Incident.objects.exclude(review_status__in=["rejected", "merged"]).order_by("id").first()
    Incident.objects.filter(pk=victim.pk).update(review_status="rejected")
    after = _get(client, "/baseline/stats/timeline/")["results"]
    assert sum(row["incidents"] for row in after) == sum(row["incidents"] for row in before) - 1
    assert json.dumps(after) != json.dumps(before)
