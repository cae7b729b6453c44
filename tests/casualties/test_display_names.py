"""Display names people use in the page, charts and exports; GeoNames' name and code kept in the data and API."""

import csv
import io
import json

import pytest

from casualties.display_names import admin1_display_name, place_display_name, plain_name
from casualties.models import Admin1
from casualties.services.gazetteer import admin1_load
from reports.extraction.gazetteer import Admin1Record
from tests.factories import Admin1Factory, IncidentFactory, PlacedIncidentFactory, SearchablePlaceFactory


@pytest.mark.parametrize(
    ("country", "geonames_name", "shown"),
    [
        ("SY", "Rif-dimashq", "Rural Damascus"),
        ("IQ", "Mayorality of Baghdad", "Baghdad"),
        ("LB", "Beyrouth", "Beirut"),
        ("UA", "Vinnyts'ka", "Vinnytsia"),
        ("SY", "Tartus", "Tartus"),
        ("SY", "Idlib", "Idlib"),
        # A news spelling finds the same division; the alias table's order does not decide for "Latakia".
        ("SY", "Damascus countryside", "Rural Damascus"),
        ("SY", "Latakia", "Latakia"),
        # Found by name, not by code: another name keeps its own.
        ("SY", "Division 08", "Division 08"),
        # Not in the alias table: GeoNames' name without its administrative title or diacritics.
        ("LY", "Sha`biyat Ghat", "Ghat"),
        ("XX", "Ţarţūs", "Tartus"),
    ],
)
def test_a_division_shows_the_name_readers_use(country, geonames_name, shown):
    assert admin1_display_name(country=country, name=geonames_name) == shown


def test_a_name_with_no_latin_letters_is_kept():
    assert plain_name("دمشق") == "دمشق"


@pytest.mark.django_db
def test_the_loader_and_a_plain_save_fill_the_display_name_and_keep_geonames_name():
    admin1_load(records=[Admin1Record(country="SY", code="08", name="Rif-dimashq", aliases=("Rif Dimashq",))])
    loaded = Admin1.objects.get(country="SY", code="08")
    assert (loaded.name, loaded.display_name) == ("Rif-dimashq", "Rural Damascus")
    saved = Admin1.objects.create(country="LB", code="04", name="Beyrouth")
    assert saved.display_name == "Beirut"


def streamed(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def rural_damascus(db):
    division = Admin1Factory(country="SY", code="08", name="Rif-dimashq")
    IncidentFactory(admin1=division, killed_min=3, killed_max=5)
    return division


def test_the_api_gives_both_names_and_the_filter_takes_either(client, rural_damascus):
    row = client.get("/api/v1/incidents/").json()["results"][0]
    assert row["admin1"]["name"] == "Rif-dimashq"
    assert row["admin1"]["display_name"] == "Rural Damascus"
    assert row["admin1"]["code"] == "08"
    for spelling in ("Rural Damascus", "Rif-dimashq", "rural damascus"):
        assert len(client.get("/api/v1/incidents/", {"admin1": spelling}).json()["results"]) == 1, spelling
    (stats,) = client.get("/api/v1/stats/admin1/").json()
    assert (stats["name"], stats["display_name"], stats["code"]) == ("Rif-dimashq", "Rural Damascus", "08")


def test_the_page_chart_and_export_show_the_display_name(client, rural_damascus):
    page = client.get("/").content.decode()
    assert "Rural Damascus" in page
    chart = client.get("/dashboard/admin1.json").json()
    assert "Rural Damascus" in json.dumps(chart)
    assert "Rif-dimashq" in json.dumps(chart)  # what a click on the bar adds to the filters
    exported = streamed(client.get("/api/v1/incidents/", {"format": "csv"}))
    (row,) = csv.DictReader(io.StringIO(exported))
    assert (row["admin1"], row["admin1_geonames"], row["admin1_code"]) == ("Rural Damascus", "Rif-dimashq", "08")
    (record,) = json.loads(streamed(client.get("/export/incidents.json")))["results"]
    assert (record["admin1"], record["admin1_geonames"]) == ("Rural Damascus", "Rif-dimashq")


@pytest.mark.parametrize(
    ("country", "admin1_name", "geonames_name", "shown"),
    [
        ("SY", "Idlib", "Ar\u012b\u1e29\u0101", "Ariha"),
        ("SY", "Homs", "Al Ghan\u0163\u016b", "Al Ghantu"),
        ("SY", "Tartus", "\u0162ar\u0163\u016bs", "Tartus"),
        # An ʿayn opening a word is left out, as English copy does.
        ("SY", "Aleppo", "\u2018Ayn al \u2018Arab", "Ayn al Arab"),
        # A place named as its own division, in any of the division's spellings, takes the division's name.
        ("SY", "Daraa", "Dar\u2018\u0101", "Daraa"),
        ("SY", "Ar-Raqqah", "Ar Raqqah", "Raqqa"),
        ("UA", "Vinnyts'ka", "Vinnytsya", "Vinnytsia"),
        # ... but only its own: "Hama" in Idlib (were there one) is not renamed.
        ("SY", "Idlib", "Hamah", "Hamah"),
        ("SY", None, "Dar\u2018\u0101", "Dar'a"),
        ("SY", "Idlib", "", ""),
    ],
)
def test_a_place_shows_the_name_readers_use(country, admin1_name, geonames_name, shown):
    assert place_display_name(name=geonames_name, country=country, admin1_name=admin1_name) == shown


@pytest.fixture
def ariha(db):
    idlib = Admin1Factory(country="SY", code="12", name="Idlib")
    place = SearchablePlaceFactory(name="Ar\u012b\u1e29\u0101", ascii_name="Ariha", admin1=idlib, lat=35.81, lon=36.61)
    return PlacedIncidentFactory(place=place, killed_min=2, killed_max=4)


def test_the_table_map_and_exports_show_the_place_as_readers_write_it_and_the_api_keeps_geonames(client, ariha):
    table = client.get("/").content.decode()
    assert "Ariha" in table
    assert "Ar\u012b\u1e29\u0101" not in table
    page = client.get(f"/incidents/{ariha.pk}/").content.decode()
    assert "Ariha" in page
    assert "gazetteer: Ar\u012b\u1e29\u0101" in page  # GeoNames' name stays on the incident page, as a hint
    map_json = client.get("/dashboard/map.json").json()
    hover = [text for trace in map_json["figure"]["data"] for text in trace.get("text") or [] if "killed" in text]
    assert hover
    assert all("Ariha, Idlib" in text for text in hover)
    exported = streamed(client.get("/api/v1/incidents/", {"format": "csv"}))
    (row,) = csv.DictReader(io.StringIO(exported))
    assert (row["place"], row["place_name"]) == ("Ariha", "Ar\u012b\u1e29\u0101")
    (record,) = json.loads(streamed(client.get("/export/incidents.json")))["results"]
    assert (record["place"], record["place_name"]) == ("Ariha", "Ar\u012b\u1e29\u0101")
    (feature,) = json.loads(streamed(client.get("/export/incidents.geojson")))["features"]
    assert feature["properties"]["place"] == "Ariha"
    api = client.get("/api/v1/incidents/").json()["results"][0]
    assert api["place_name"] == "Ar\u012b\u1e29\u0101"
    assert api["place"]["name"] == "Ar\u012b\u1e29\u0101"
