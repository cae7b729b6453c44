"""/api/v1/incidents/: pagination, detail, and the JSON, GeoJSON and CSV formats."""

import csv
import datetime
import io
import math

import pytest
from django.utils import timezone

from casualties.models import Incident
from tests.factories import (
    Admin1Factory,
    ArticleFactory,
    ClaimFactory,
    IncidentFactory,
    PlacedIncidentFactory,
    SearchablePlaceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"


def test_pages_hold_100_by_default_and_page_size_sets_it(client):
    IncidentFactory.create_batch(103)
    first = client.get(URL).json()
    assert len(first["results"]) == 100
    assert first["next"]
    rest = client.get(first["next"]).json()
    assert len(rest["results"]) == 3
    assert rest["next"] is None
    assert {row["id"] for row in first["results"]}.isdisjoint({row["id"] for row in rest["results"]})
    assert len(client.get(URL, {"page_size": 1000}).json()["results"]) == 103


def test_walking_the_cursor_visits_every_incident_once_newest_first(client):
    incidents = IncidentFactory.create_batch(7)
    seen, url = [], URL + "?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [(row["date_start"], row["id"]) for row in page["results"]]
        url = page["next"]
    assert sorted(seen, reverse=True) == seen
    assert {incident_id for _date, incident_id in seen} == {incident.pk for incident in incidents}


def test_the_list_takes_one_query_whatever_the_number_of_rows(client, django_assert_max_num_queries, read_overhead):
    idlib = Admin1Factory(name="Idlib")
    for _ in range(30):
        PlacedIncidentFactory(place=SearchablePlaceFactory(admin1=idlib))
    with django_assert_max_num_queries(1 + read_overhead):
        response = client.get(URL)
    assert len(response.json()["results"]) == 30
    # Resolving admin1 names is one more query.
    with django_assert_max_num_queries(2 + read_overhead):
        response = client.get(URL, {"admin1": "Idlib", "format": "geojson"})
    assert len(response.json()["features"]) == 30


def test_detail_has_the_claims_with_evidence_and_sources(client, django_assert_max_num_queries, read_overhead):
    incident = IncidentFactory()
    source = SourceFactory(name="SOHR")
    article = ArticleFactory(source=source, title="Air strikes on Ariha", url="https://example.org/ariha")
    claim = ClaimFactory(incident=incident, article=article, evidence="killed 12", evidence_start=40, evidence_end=49)
    ClaimFactory(incident=incident)
    with django_assert_max_num_queries(2 + read_overhead):
        body = client.get(f"{URL}{incident.pk}/").json()
    assert body["id"] == incident.pk
    assert len(body["claims"]) == 2
    first = body["claims"][0]
    assert first["id"] == claim.pk
    assert (first["evidence"], first["evidence_start"], first["evidence_end"]) == ("killed 12", 40, 49)
    assert first["article"]["title"] == "Air strikes on Ariha"
    assert first["article"]["url"] == "https://example.org/ariha"
    assert first["article"]["published_at"].startswith("2015-12-23")
    assert first["article"]["source"]["name"] == "SOHR"
    assert (first["killed_min"], first["killed_max"]) == (10, 10)


def test_a_merged_incident_is_still_found_by_id_and_says_where_it_went(client):
    kept = IncidentFactory()
    merged = IncidentFactory(review_status="merged", merged_into=kept)
    body = client.get(f"{URL}{merged.pk}/").json()
    assert (body["review_status"], body["merged_into"]) == ("merged", kept.pk)
    assert client.get(f"{URL}999999/").status_code == 404


def _check_geojson_feature(feature: dict) -> None:
    assert feature["type"] == "Feature"
    assert isinstance(feature["properties"], dict)
    geometry = feature["geometry"]
    if geometry is not None:
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert all(isinstance(number, float | int) and math.isfinite(number) for number in (lon, lat))
        assert -180 <= lon <= 180
        assert -90 <= lat <= 90


def test_geojson_is_a_feature_collection_with_points_only_for_places(client):
    place = SearchablePlaceFactory(name="Ariha", lat=35.81, lon=36.61)
    placed = PlacedIncidentFactory(place=place)
    in_admin1 = IncidentFactory(location_precision="admin1")
    in_country = IncidentFactory(location_precision="country", admin1=None)
    for url in (URL + "?format=geojson", "/api/v1/incidents.geojson"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        collection = response.json()
        assert collection["type"] == "FeatureCollection"
        assert isinstance(collection["features"], list)
        for feature in collection["features"]:
            _check_geojson_feature(feature)
        by_id = {feature["id"]: feature for feature in collection["features"]}
        assert set(by_id) == {placed.pk, in_admin1.pk, in_country.pk}
        # RFC 7946: [longitude, latitude].
        assert by_id[placed.pk]["geometry"] == {"type": "Point", "coordinates": [36.61, 35.81]}
        assert by_id[in_admin1.pk]["geometry"] is None
        assert by_id[in_admin1.pk]["properties"]["location_precision"] == "admin1"
        assert by_id[in_country.pk]["geometry"] is None
        assert by_id[in_country.pk]["properties"]["location_precision"] == "country"


def test_geojson_of_one_incident_is_a_feature(client):
    placed = PlacedIncidentFactory(place=SearchablePlaceFactory(lat=35.0, lon=36.5))
    feature = client.get(f"{URL}{placed.pk}/", {"format": "geojson"}).json()
    _check_geojson_feature(feature)
    assert feature["geometry"]["coordinates"] == [36.5, 35.0]
    assert feature["properties"]["killed_max"] == 12


def test_csv_streams_every_incident_and_round_trips(client):
    placed = PlacedIncidentFactory(
        place=SearchablePlaceFactory(name="Kafr Nabl", lat=35.61, lon=36.56), actor="Forces, allied"
    )
    unlocated = IncidentFactory(location_precision="country", admin1=None, killed_min=None, killed_max=None)
    IncidentFactory.create_batch(150)
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 152  # unpaginated
    by_id = {int(row["id"]): row for row in rows}
    row = by_id[placed.pk]
    assert (row["place_name"], row["actor"], row["admin1"]) == ("Kafr Nabl", "Forces, allied", placed.admin1.name)
    assert (float(row["lat"]), float(row["lon"])) == (35.61, 36.56)
    assert (int(row["killed_min"]), int(row["killed_max"])) == (10, 12)
    assert row["location_precision"] == "place"
    assert by_id[unlocated.pk]["killed_max"] == ""
    assert by_id[unlocated.pk]["lat"] == ""


def test_csv_applies_the_filters_and_defuses_formulas(client):
    shown = IncidentFactory(actor="=HYPERLINK(1)", killed_max=50)
    IncidentFactory(killed_min=2, killed_max=2)
    response = client.get(URL, {"format": "csv", "killed_min": 40})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(row["id"]) for row in rows] == [shown.pk]
    assert rows[0]["actor"] == "'=HYPERLINK(1)"


def test_an_unknown_format_is_a_404_not_a_500(client):
    assert client.get(URL, {"format": "xml"}).status_code == 404
    incident = IncidentFactory()
    assert client.get(f"{URL}{incident.pk}/", {"format": "csv"}).status_code == 404


def test_updated_since_pages_walk_changes_oldest_first(client):
    now = timezone.now()
    first, second, third = IncidentFactory.create_batch(3)
    for minutes, incident in ((3, second), (2, third), (1, first)):
        Incident.objects.filter(pk=incident.pk).update(updated_at=now - datetime.timedelta(minutes=minutes))
    since = (now - datetime.timedelta(hours=1)).isoformat()
    page = client.get(URL, {"updated_since": since, "page_size": 2}).json()
    assert [row["id"] for row in page["results"]] == [second.pk, third.pk]
    assert [row["id"] for row in client.get(page["next"]).json()["results"]] == [first.pk]


def test_the_documented_examples(client):
    """docs/api.md: incidents in Idlib in October 2015; GeoJSON of verified incidents."""
    idlib = Admin1Factory(country="SY", code="12", name="Idlib")
    homs = Admin1Factory(country="SY", code="11", name="Homs")
    october = IncidentFactory(admin1=idlib, date_start=datetime.date(2015, 10, 3), date_end=datetime.date(2015, 10, 3))
    IncidentFactory(admin1=idlib, date_start=datetime.date(2015, 11, 3), date_end=datetime.date(2015, 11, 3))
    IncidentFactory(admin1=homs, date_start=datetime.date(2015, 10, 3), date_end=datetime.date(2015, 10, 3))
    verified = PlacedIncidentFactory(place=SearchablePlaceFactory(admin1=homs), review_status="verified")

    response = client.get(URL + "?admin1=Idlib&date_from=2015-10-01&date_to=2015-10-31")
    assert [row["id"] for row in response.json()["results"]] == [october.pk]

    collection = client.get("/api/v1/incidents.geojson?review_status=verified&page_size=1000").json()
    assert [feature["id"] for feature in collection["features"]] == [verified.pk]
    assert collection["features"][0]["geometry"]["type"] == "Point"


def test_list_records_equal_what_the_incident_serializer_renders(client):
    """The list builds its records from flat rows; they must be the serializer's, field for field."""
    import json

    from rest_framework.renderers import JSONRenderer

    from casualties.api.serializers import IncidentSerializer
    from casualties.selectors.incidents import incident_list

    PlacedIncidentFactory(actor="=cmd", killed_min=None, killed_max=None)
    IncidentFactory(admin1=Admin1Factory(country="SY", code="12", name="Idlib"), location_precision="admin1")
    IncidentFactory(admin1=None, location_precision="country", aggregate=True, injured_min=2, injured_max=9)
    keep = IncidentFactory()
    IncidentFactory(review_status="merged", merged_into=keep, figures_locked=True)
    expected = json.loads(
        JSONRenderer().render(IncidentSerializer(incident_list(incidents=Incident.objects.all()), many=True).data)
    )
    listed = client.get(
        URL, {"review_status": "unverified,merged,verified,rejected", "aggregate": "any", "page_size": 50}
    ).json()
    assert sorted(listed["results"], key=lambda record: record["id"]) == sorted(expected, key=lambda r: r["id"])
    assert [list(record) for record in listed["results"]] == [list(expected[0])] * len(expected)
