"""Dates out of any sane range (finding 4 of the review of 9600419).

An analyst's PATCH of 0001-01-01 to 9999-12-31 used to be accepted, after which every
date-filtered chart, the stats and /admin1/ answered 500 (an OverflowError in the spans
arithmetic); an anonymous date_from=0001-01-01 did the same with no bad data at all.
Dates before 1900 or more than a year ahead are now a 400 naming the field, and a row
with such a span already in the database leaves every read answering 200.
"""

import datetime

import pytest
from django.core.cache import cache

from casualties.dates import EARLIEST_DATE, latest_date
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory
from tests.security.conftest import token_client

pytestmark = pytest.mark.django_db

FILTERED_READS = [
    "/",
    "/dashboard/timeline.json",
    "/dashboard/admin1.json",
    "/dashboard/map.json",
    "/export/incidents.geojson",
    "/export/incidents.json",
    "/api/v1/incidents/",
    "/api/v1/incidents/?format=csv",
    "/api/v1/incidents/?format=geojson",
    "/api/v1/stats/timeline/",
    "/api/v1/stats/timeline/?interval=day&group_by=admin1",
    "/api/v1/stats/admin1/",
    "/api/v1/admin1/",
]
OUT_OF_RANGE = [
    ("date_from", "0001-01-01"),
    ("date_to", "9999-12-31"),
    ("date_from", "1899-12-31"),
    ("date_to", "1899-12-31"),
    ("date_from", "9999-12-31"),
]


def _with(url: str, name: str, value: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{name}={value}"


def _too_late() -> str:
    return (latest_date() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("url", FILTERED_READS)
@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE)
def test_an_out_of_range_filter_date_is_a_400_naming_the_parameter(client, url, name, value):
    IncidentFactory()
    response = client.get(_with(url, name, value))
    assert response.status_code == 400, (url, name, value, response.status_code)
    assert name in response.content.decode()


@pytest.mark.parametrize("url", FILTERED_READS)
def test_the_edges_of_the_range_are_accepted_and_a_day_beyond_is_not(client, url):
    IncidentFactory()
    assert client.get(_with(url, "date_from", EARLIEST_DATE.isoformat())).status_code == 200
    assert client.get(_with(url, "date_to", latest_date().isoformat())).status_code == 200
    assert client.get(_with(url, "date_to", _too_late())).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"date_start": "0001-01-01", "date_end": "9999-12-31"},
        {"date_start": "0001-01-01"},
        {"date_end": "9999-12-31"},
        {"date_start": "1899-12-31"},
    ],
)
def test_an_analyst_cannot_set_a_date_out_of_range(analyst, body):
    incident = IncidentFactory(date_start=datetime.date(2015, 10, 15), date_end=datetime.date(2015, 10, 15))
    response = token_client(analyst).patch(f"/api/v1/incidents/{incident.pk}/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(body)
    incident.refresh_from_db()
    assert (incident.date_start, incident.date_end) == (datetime.date(2015, 10, 15), datetime.date(2015, 10, 15))


def test_an_analyst_can_still_set_dates_inside_the_range(analyst):
    incident = IncidentFactory()
    body = {"date_start": EARLIEST_DATE.isoformat(), "date_end": latest_date().isoformat()}
    response = token_client(analyst).patch(f"/api/v1/incidents/{incident.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["date_start"], response.json()["date_end"]) == (body["date_start"], body["date_end"])


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (datetime.date.min, datetime.date.max),
        (datetime.date.min, datetime.date.min),
        (datetime.date.max, datetime.date.max),
    ],
)
def test_a_row_with_an_extreme_span_already_stored_leaves_every_read_answering_200(client, first, last):
    # As if filed before the bounds existed, or written by raw SQL: the reads must not overflow.
    ClaimFactory(incident=IncidentFactory(date_start=first, date_end=last, place=PlaceFactory()))
    ClaimFactory(incident=IncidentFactory())
    incident = IncidentFactory(date_start=first, date_end=last)
    urls = [
        *FILTERED_READS,
        *(_with(url, "date_from", "2015-10-01") for url in FILTERED_READS),
        *(_with(url, "date_to", "2015-10-31") for url in FILTERED_READS),
        *(_with(_with(url, "date_from", "1900-01-01"), "date_to", "2015-10-31") for url in FILTERED_READS),
        *(_with(url, "interval", interval) for url in ("/dashboard/timeline.json",) for interval in ("day", "week")),
        "/dashboard/timeline.json?stack=none",
        "/dashboard/timeline.json?stack=event_type",
        "/api/v1/stats/timeline/?interval=week&group_by=country",
        f"/incidents/{incident.pk}/",
        f"/api/v1/incidents/{incident.pk}/",
    ]
    failures = {}
    for url in urls:
        cache.clear()  # the export throttle would otherwise answer 429 to this many exports in a row
        if (status := client.get(url).status_code) != 200:
            failures[url] = status
    assert failures == {}


def test_the_dashboards_date_pickers_offer_only_the_accepted_range(client):
    html = client.get("/").content.decode()
    bounds = f'min="{EARLIEST_DATE.isoformat()}" max="{latest_date().isoformat()}"'
    assert html.count(bounds) == 2
