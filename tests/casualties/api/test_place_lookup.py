"""One lookup for place names: every spelling ingest geocodes also filters, and the place search ranks
places in countries holding incidents first (issue 18)."""

import datetime

import pytest

from reports.extraction import extract
from tests.factories import Admin1Factory, IncidentFactory, PlacedIncidentFactory, SearchablePlaceFactory

pytestmark = pytest.mark.django_db

# Ma'arrat an Nu'man (Idlib) in GeoNames: the id the engine's package gazetteer gives it.
MAARRAT_GEONAMEID = 167611
# Spellings of the town in English news copy: GeoNames' own, the wire services' and a loose one.
MAARRAT_SPELLINGS = [
    "Maarrat an Numan",
    "Maarat al-Numan",
    "Maarat al Numan",
    "Ma'arat al-Nu'man",
    "Maaret al-Numan",
    "Maarrat al-Numan",
]


def ingest_geonameid(spelling: str) -> int | None:
    """The GeoNames id ingest (the extraction engine) gives the place of a report naming the town so."""
    text = f"An air strike on {spelling} in Idlib province, Syria, killed 12 civilians on Monday."
    incidents = extract(text=text, published=datetime.date(2019, 6, 4), learned=False)
    return incidents[0].location.geonameid if incidents else None


@pytest.fixture
def maarrat():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib")
    return SearchablePlaceFactory(
        geonameid=MAARRAT_GEONAMEID, name="Ma‘arrat an Nu‘mān", ascii_name="Ma`arrat an Nu`man", admin1=idlib
    )


@pytest.mark.parametrize("spelling", MAARRAT_SPELLINGS)
def test_every_spelling_ingest_geocodes_filters_the_incidents(client, maarrat, spelling):
    assert ingest_geonameid(spelling) == MAARRAT_GEONAMEID, "ingest should geocode this spelling"
    there = PlacedIncidentFactory(place=maarrat)
    PlacedIncidentFactory(place=SearchablePlaceFactory(name="Saraqib", admin1=maarrat.admin1))
    response = client.get("/api/v1/incidents/", {"place": spelling})
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [there.pk]
    # The country narrows as before: the town is in Syria, not in Iraq.
    assert client.get("/api/v1/incidents/", {"place": spelling, "country": "Syria"}).status_code == 200
    assert client.get("/api/v1/incidents/", {"place": spelling, "country": "IQ"}).status_code == 400


def test_a_name_neither_the_database_nor_the_engine_knows_is_still_a_400(client, maarrat):
    PlacedIncidentFactory(place=maarrat)
    response = client.get("/api/v1/incidents/", {"place": "Qwertyville"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"place": ["Unknown place: 'Qwertyville'."]}


def test_place_search_finds_the_town_by_a_spelling_only_ingest_knew(client, maarrat):
    PlacedIncidentFactory(place=maarrat)
    rows = client.get("/api/v1/places/", {"q": "Maarat al-Numan"}).json()
    assert [row["geonameid"] for row in rows] == [MAARRAT_GEONAMEID]


def test_place_search_ranks_places_in_countries_with_incidents_first(client):
    haastrecht = SearchablePlaceFactory(name="Haastrecht", country="NL", admin1=None, population=4_000)
    haas = SearchablePlaceFactory(name="Haas", population=1_200)
    # No incidents anywhere: the most populous first.
    assert [row["id"] for row in client.get("/api/v1/places/", {"q": "Haas"}).json()] == [haastrecht.pk, haas.pk]
    IncidentFactory(country="SY")
    assert [row["id"] for row in client.get("/api/v1/places/", {"q": "Haas"}).json()] == [haas.pk, haastrecht.pk]
    # A rejected incident is no reason to rank a country first.
    IncidentFactory(country="NL", admin1=None, review_status="rejected")
    assert [row["id"] for row in client.get("/api/v1/places/", {"q": "Haas"}).json()] == [haas.pk, haastrecht.pk]
    # Within a country with incidents, the most populous first.
    haas_bigger = SearchablePlaceFactory(name="Haas Kabir", population=5_000)
    rows = client.get("/api/v1/places/", {"q": "Haas"}).json()
    assert [row["id"] for row in rows] == [haas_bigger.pk, haas.pk, haastrecht.pk]
