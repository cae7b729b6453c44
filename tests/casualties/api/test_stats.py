"""/api/v1/stats/..., /api/v1/admin1/ and /api/v1/places/: totals under the same filters as the list."""

import csv
import datetime
import io

import pytest

from tests.factories import Admin1Factory, IncidentFactory, SearchablePlaceFactory

pytestmark = pytest.mark.django_db

TIMELINE = "/api/v1/stats/timeline/"


@pytest.fixture
def divisions():
    return (
        Admin1Factory(country="SY", code="12", name="Idlib"),
        Admin1Factory(country="SY", code="11", name="Homs", aliases=["Hims"]),
    )


def _incident(admin1, day: datetime.date, killed: tuple[int | None, int | None], injured=None, **extra):
    return IncidentFactory(
        admin1=admin1,
        date_start=day,
        date_end=day,
        killed_min=killed[0],
        killed_max=killed[1],
        injured_min=injured,
        injured_max=injured,
        **extra,
    )


@pytest.fixture
def october(divisions):
    idlib, homs = divisions
    _incident(idlib, datetime.date(2015, 10, 5), (10, 12), injured=30)
    _incident(idlib, datetime.date(2015, 10, 6), (3, 4), event_type="shelling_artillery_missile")
    _incident(homs, datetime.date(2015, 10, 20), (None, None))
    _incident(homs, datetime.date(2015, 11, 2), (7, 9), injured=1)
    _incident(homs, datetime.date(2015, 11, 3), (100, 100), review_status="rejected")  # never counted
    return divisions


def test_monthly_timeline_sums_killed_max_and_killed_min(client, october):
    body = client.get(TIMELINE, {"interval": "month"}).json()
    assert body["interval"] == "month"
    # October: three incidents, two giving a killed figure, one an injured figure.
    assert body["results"] == [
        {
            "period": "2015-10-01",
            "killed": 16,
            "killed_min": 13,
            "injured": 30,
            "incidents": 3,
            "incidents_with_killed": 2,
            "incidents_with_injured": 1,
        },
        {
            "period": "2015-11-01",
            "killed": 9,
            "killed_min": 7,
            "injured": 1,
            "incidents": 1,
            "incidents_with_killed": 1,
            "incidents_with_injured": 1,
        },
    ]


def test_weekly_periods_start_on_monday_and_daily_on_the_day(client, october):
    weeks = client.get(TIMELINE, {"interval": "week"}).json()["results"]
    assert [row["period"] for row in weeks] == ["2015-10-05", "2015-10-19", "2015-11-02"]
    days = client.get(TIMELINE, {"interval": "day"}).json()["results"]
    assert [row["period"] for row in days] == ["2015-10-05", "2015-10-06", "2015-10-20", "2015-11-02"]


def test_timeline_grouped_by_admin1_and_event_type(client, october):
    rows = client.get(TIMELINE, {"group_by": "admin1"}).json()["results"]
    assert [(row["period"], row["group"], row["killed"]) for row in rows] == [
        ("2015-10-01", "Homs", None),  # one incident, no killed figure: unknown, not 0
        ("2015-10-01", "Idlib", 16),
        ("2015-11-01", "Homs", 9),
    ]
    rows = client.get(TIMELINE, {"group_by": "event_type", "admin1": "Idlib"}).json()["results"]
    assert {(row["group"], row["killed"]) for row in rows} == {
        ("air_drone_strike", 12),
        ("shelling_artillery_missile", 4),
    }


def test_timeline_uses_the_list_filters(client, october):
    rows = client.get(TIMELINE, {"admin1": "Hims", "date_from": "2015-11-01"}).json()["results"]
    assert [(row["period"], row["killed"], row["killed_min"], row["injured"], row["incidents"]) for row in rows] == [
        ("2015-11-01", 9, 7, 1, 1)
    ]
    list_ids = {row["id"] for row in client.get("/api/v1/incidents/", {"admin1": "Hims"}).json()["results"]}
    timeline_count = sum(row["incidents"] for row in client.get(TIMELINE, {"admin1": "Hims"}).json()["results"])
    assert timeline_count == len(list_ids)


def test_monthly_killed_in_homs_as_csv(client, october):
    response = client.get(TIMELINE, {"admin1": "Homs", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # October's one incident gives no figure: empty cells (unknown), not 0.
    assert rows == [
        {
            "period": "2015-10-01",
            "killed": "",
            "killed_min": "",
            "injured": "",
            "incidents": "1",
            "incidents_with_killed": "0",
            "incidents_with_injured": "0",
        },
        {
            "period": "2015-11-01",
            "killed": "9",
            "killed_min": "7",
            "injured": "1",
            "incidents": "1",
            "incidents_with_killed": "1",
            "incidents_with_injured": "1",
        },
    ]


def test_an_empty_timeline_csv_still_has_its_header(client):
    response = client.get(TIMELINE, {"format": "csv", "group_by": "country"})
    header = "period,group,killed,killed_min,injured,incidents,incidents_with_killed,incidents_with_injured"
    assert response.content.decode().strip() == header


@pytest.mark.parametrize(
    ("params", "field"),
    [({"interval": "year"}, "interval"), ({"group_by": "actor"}, "group_by"), ({"admin1": "Narnia"}, "admin1")],
)
def test_timeline_bad_parameters_are_400s(client, params, field):
    response = client.get(TIMELINE, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_timeline_takes_a_fixed_number_of_queries(client, october, django_assert_max_num_queries, read_overhead):
    # Read from the pre-aggregated counts: one query per table part (whole months, days at either
    # end), one for spans crossing date_from, one for division names; never one per incident.
    with django_assert_max_num_queries(1 + read_overhead):
        assert client.get(TIMELINE, {"interval": "week", "group_by": "event_type"}).status_code == 200
    with django_assert_max_num_queries(2 + read_overhead):
        assert client.get(TIMELINE, {"admin1": "Idlib"}).status_code == 200
    with django_assert_max_num_queries(6 + read_overhead):
        params = {"date_from": "2015-09-12", "date_to": "2015-12-03", "group_by": "admin1"}
        assert client.get(TIMELINE, params).status_code == 200


def test_totals_by_admin1(client, october, django_assert_max_num_queries, read_overhead):
    IncidentFactory(admin1=None, location_precision="country", killed_min=1, killed_max=2)
    with django_assert_max_num_queries(2 + read_overhead):  # the counts, then the divisions' names
        rows = client.get("/api/v1/stats/admin1/").json()
    assert [(row["name"], row["killed"], row["killed_min"], row["incidents"]) for row in rows] == [
        ("Idlib", 16, 13, 2),
        ("Homs", 9, 7, 2),
        (None, 2, 1, 1),
    ]
    rows = client.get("/api/v1/stats/admin1/", {"date_from": "2015-11-01"}).json()
    assert {row["name"]: row["killed"] for row in rows} == {"Homs": 9}


def test_admin1_list_counts_incidents_under_the_filter(client, october):
    Admin1Factory(country="SY", code="13", name="Aleppo")
    Admin1Factory(country="IQ", code="01", name="Anbar")
    rows = client.get("/api/v1/admin1/", {"country": "SY"}).json()
    assert [(row["name"], row["incidents"]) for row in rows] == [("Aleppo", 0), ("Homs", 2), ("Idlib", 2)]
    rows = client.get("/api/v1/admin1/", {"country": "SY", "date_from": "2015-11-01"}).json()
    assert {row["name"]: row["incidents"] for row in rows} == {"Aleppo": 0, "Homs": 1, "Idlib": 0}
    by_name = client.get("/api/v1/admin1/", {"country": "Syria"}).json()
    assert [(row["name"], row["incidents"]) for row in by_name] == [("Aleppo", 0), ("Homs", 2), ("Idlib", 2)]
    assert client.get("/api/v1/admin1/", {"country": "Narnia"}).status_code == 400


def test_places_autocomplete_by_prefix_most_populous_first(client):
    SearchablePlaceFactory(name="Ariha", population=40_000)
    SearchablePlaceFactory(name="Arihah al-Saghira", population=500)
    SearchablePlaceFactory(name="Saraqib", population=30_000, alternate_names=["Sarakib"])
    for index in range(25):
        SearchablePlaceFactory(name=f"Kafr {index}", population=index)
    names = [row["name"] for row in client.get("/api/v1/places/", {"q": "ari"}).json()]
    assert names == ["Ariha", "Arihah al-Saghira"]
    assert [row["name"] for row in client.get("/api/v1/places/", {"q": "Sarak"}).json()] == ["Saraqib"]
    assert len(client.get("/api/v1/places/", {"q": "kafr"}).json()) == 20
    assert client.get("/api/v1/places/", {"q": "zzz"}).json() == []
    # The country by code or by name narrows the same way.
    assert [row["name"] for row in client.get("/api/v1/places/", {"q": "ari", "country": "Syria"}).json()] == names
    assert client.get("/api/v1/places/", {"q": "ari", "country": "Iraq"}).json() == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "q"), ({"q": ""}, "q"), ({"q": "a\x00"}, "q"), ({"q": "ari", "country": "Narnia"}, "country")],
)
def test_places_bad_parameters_are_400s(client, params, field):
    response = client.get("/api/v1/places/", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_admin1_totals_as_csv_have_a_header_even_when_empty(client):
    response = client.get("/api/v1/stats/admin1/", {"format": "csv"})
    assert response.status_code == 200
    header = "admin1_id,country,code,name,display_name,killed,killed_min,injured,incidents"
    header += ",incidents_with_killed,incidents_with_injured"
    assert response.content.decode().strip() == header
