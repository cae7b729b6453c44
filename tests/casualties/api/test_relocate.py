"""Moving an incident: PATCH place_id or admin1_id sets place, division, country, point and precision together."""

import pytest

from casualties.models import Incident
from tests.factories import Admin1Factory, IncidentFactory, PlacedIncidentFactory, SearchablePlaceFactory

pytestmark = pytest.mark.django_db

# GeoNames' Ma'arrat an Nu'man, with the id the engine's package gazetteer knows it by.
MAARAT = {
    "geonameid": 167611,
    "name": "Ma‘arrat an Nu‘mān",
    "ascii_name": "Maarrat an Numan",
    "alternate_names": ["Ma'arrat al-Nu'man", "Maarat al-Numaan", "معرة النعمان"],
    "lat": 35.6483,
    "lon": 36.67693,
}


def url(incident: Incident) -> str:
    return f"/api/v1/incidents/{incident.pk}/"


def test_anonymous_is_401_and_viewer_403_and_nothing_moves(client, reader_client):
    incident = IncidentFactory()
    place = SearchablePlaceFactory()
    assert client.patch(url(incident), {"place_id": place.pk}, format="json").status_code == 401
    assert reader_client.patch(url(incident), {"place_id": place.pk}, format="json").status_code == 403
    incident.refresh_from_db()
    assert incident.place_id is None


def test_moving_to_a_place_sets_everything_and_the_history_names_user_and_reason(analyst_client, analyst):
    incident = IncidentFactory(place_name="Kafr Nabl", country="SY")
    aleppo = Admin1Factory(country="SY", code="09", name="Aleppo")
    place = SearchablePlaceFactory(name="Atarib", admin1=aleppo, lat=36.14, lon=36.83)

    response = analyst_client.patch(url(incident), {"place_id": place.pk, "reason": "misread town"}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["place"]["id"] == place.pk
    assert body["admin1"]["name"] == "Aleppo"
    incident.refresh_from_db()
    assert (incident.place_name, incident.admin1_id, incident.country) == ("Atarib", aleppo.pk, "SY")
    assert (incident.lat, incident.lon, incident.location_precision) == (36.14, 36.83, "place")
    latest = incident.history.latest()
    assert (latest.history_user, latest.history_change_reason, latest.place_id) == (analyst, "misread town", place.pk)


def test_moving_to_a_division_only_drops_the_place_and_the_point(analyst_client, analyst):
    incident = PlacedIncidentFactory()
    hama = Admin1Factory(country="SY", code="10", name="Hama")

    response = analyst_client.patch(url(incident), {"admin1_id": hama.pk, "reason": "village unknown"}, format="json")

    assert response.status_code == 200, response.content
    incident.refresh_from_db()
    assert (incident.place_id, incident.place_name, incident.lat, incident.lon) == (None, "", None, None)
    assert (incident.admin1_id, incident.location_precision) == (hama.pk, "admin1")
    assert incident.history.latest().history_change_reason == "village unknown"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"place_id": 987654}, "place_id", "No place with id 987654."),
        ({"admin1_id": 987654}, "admin1_id", "No first-level division with id 987654."),
        ({"place_id": 0}, "place_id", None),
        ({"place_id": "Idlib"}, "place_id", None),
    ],
)
def test_unknown_or_bad_ids_are_400s_naming_the_field(analyst_client, body, field, message):
    incident = IncidentFactory()
    before = incident.history.count()
    response = analyst_client.patch(url(incident), body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert incident.history.count() == before


def test_place_and_division_together_is_a_400(analyst_client):
    incident = IncidentFactory()
    place = SearchablePlaceFactory()
    response = analyst_client.patch(url(incident), {"place_id": place.pk, "admin1_id": place.admin1_id}, format="json")
    assert response.status_code == 400
    assert "admin1_id" in response.json()["errors"]


def test_a_relocation_and_a_verification_are_one_edit(analyst_client):
    incident = IncidentFactory()
    place = SearchablePlaceFactory()
    response = analyst_client.patch(url(incident), {"place_id": place.pk, "review_status": "verified"}, format="json")
    assert response.status_code == 200
    incident.refresh_from_db()
    assert (incident.place_id, incident.review_status) == (place.pk, "verified")


def test_a_merged_incident_cannot_be_moved(analyst_client):
    keep = IncidentFactory()
    merged = IncidentFactory(review_status=Incident.ReviewStatus.MERGED, merged_into=keep)
    response = analyst_client.patch(url(merged), {"place_id": SearchablePlaceFactory().pk}, format="json")
    assert response.status_code == 400
    merged.refresh_from_db()
    assert merged.place_id is None


@pytest.mark.parametrize("query", ["Maarat al-Numan", "Maarrat an-Numan", "معرة النعمان", "Ma'arrat al-Nu'man"])
def test_the_place_search_finds_a_place_by_any_spelling_the_extractor_accepts(client, query):
    place = SearchablePlaceFactory(**MAARAT)
    SearchablePlaceFactory(name="Maarat Misrin", lat=36.01, lon=36.67)
    response = client.get("/api/v1/places/", {"q": query, "country": "SY"})
    assert response.status_code == 200
    assert place.pk in [row["id"] for row in response.json()]


def test_without_a_country_the_fuzzy_lookup_uses_the_records_countries(client):
    place = SearchablePlaceFactory(**MAARAT)
    IncidentFactory(country="SY")  # the record has Syrian incidents
    response = client.get("/api/v1/places/", {"q": "Maarat al-Numan"})
    assert [row["id"] for row in response.json()] == [place.pk]


def test_a_name_no_spelling_matches_finds_nothing(client):
    SearchablePlaceFactory(**MAARAT)
    response = client.get("/api/v1/places/", {"q": "Zzyzx Qqq", "country": "SY"})
    assert response.json() == []
