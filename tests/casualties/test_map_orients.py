"""A map that orients (issue 18): towns named (more as the view narrows), the view fitted to the filtered
governorate or country, and a small map on each incident's page."""

import json
import re
from html import unescape

import pytest

from casualties.selectors.map import label_population, map_labels
from tests.factories import Admin1Factory, IncidentFactory, PlacedIncidentFactory, SearchablePlaceFactory

pytestmark = pytest.mark.django_db


def geo_view(figure: dict) -> tuple[list[float], list[float]]:
    geo = figure["layout"]["geo"]
    return geo["lataxis"]["range"], geo["lonaxis"]["range"]


def in_view(figure: dict, place) -> bool:
    (lat_min, lat_max), (lon_min, lon_max) = geo_view(figure)
    return lat_min <= place.lat <= lat_max and lon_min <= place.lon <= lon_max


def incident_page_figure(html: str) -> dict:
    script = re.search(r'<script id="incident-map-figure" type="application/json">(.*?)</script>', html)
    return json.loads(unescape(script.group(1)))


def label_names(figure: dict) -> list[str]:
    return [name for trace in figure["data"] if trace.get("name") == "Towns" for name in trace["text"]]


@pytest.fixture
def syria():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib")
    aleppo = Admin1Factory(country="SY", code="09", name="Aleppo")
    towns = {
        "Idlib": SearchablePlaceFactory(name="Idlib", admin1=idlib, lat=35.93, lon=36.63, population=130_000),
        "Ariha": SearchablePlaceFactory(name="Arīḩā", admin1=idlib, lat=35.81, lon=36.61, population=40_000),
        "Saraqib": SearchablePlaceFactory(name="Saraqib", admin1=idlib, lat=35.86, lon=36.80, population=30_000),
        "Haas": SearchablePlaceFactory(name="Haas", admin1=idlib, lat=35.57, lon=36.60, population=8_000),
        "Aleppo": SearchablePlaceFactory(name="Aleppo", admin1=aleppo, lat=36.20, lon=37.16, population=1_800_000),
        "Manbij": SearchablePlaceFactory(name="Manbij", admin1=aleppo, lat=36.53, lon=37.95, population=100_000),
    }
    return idlib, aleppo, towns


def test_more_towns_are_named_as_the_view_narrows():
    assert label_population(40) > label_population(8) > label_population(2) > label_population(0.5)


def test_labels_name_the_largest_towns_in_view_as_readers_write_them(syria):
    _idlib, _aleppo, _towns = syria
    wide = map_labels(view={"lataxis": [28.0, 42.0], "lonaxis": [25.0, 50.0]})
    assert [label["name"] for label in wide] == ["Aleppo"]  # a 14-degree view names only large cities
    narrow = map_labels(view={"lataxis": [35.4, 36.1], "lonaxis": [36.3, 37.0]})
    assert [label["name"] for label in narrow] == ["Idlib", "Ariha", "Saraqib", "Haas"]  # "Arīḩā" folded


def test_labels_leave_out_a_town_too_close_to_a_larger_one(syria):
    SearchablePlaceFactory(name="Idlib suburb", lat=35.931, lon=36.631, population=50_000)
    names = [label["name"] for label in map_labels(view={"lataxis": [35.4, 36.1], "lonaxis": [36.3, 37.0]})]
    assert "Idlib" in names
    assert "Idlib suburb" not in names


def test_the_map_fits_the_filtered_governorate_and_names_its_towns(client, syria):
    _idlib, _aleppo, towns = syria
    in_idlib = [PlacedIncidentFactory(place=towns[name]) for name in ("Ariha", "Saraqib")]
    PlacedIncidentFactory(place=towns["Manbij"])
    figure = client.get("/dashboard/map.json", {"admin1": "Idlib"}).json()["figure"]
    # Every Idlib incident and every Idlib town is in view ...
    for place in [incident.place for incident in in_idlib] + [towns["Idlib"], towns["Haas"]]:
        assert in_view(figure, place), place.name
    # ... and the view is the governorate's, not Syria's: Manbij (in Aleppo, 1.3 degrees east) is outside it.
    assert not in_view(figure, towns["Manbij"])
    assert {"Idlib", "Ariha", "Saraqib"} <= set(label_names(figure))


def test_a_governorate_with_no_incident_is_still_framed(client, syria):
    _idlib, _aleppo, towns = syria
    PlacedIncidentFactory(place=towns["Manbij"])
    figure = client.get("/dashboard/map.json", {"admin1": "Idlib"}).json()["figure"]
    assert in_view(figure, towns["Haas"])
    assert in_view(figure, towns["Idlib"])


def test_incidents_known_only_to_a_governorate_are_one_symbol_sized_by_killed(client, syria):
    idlib, aleppo, _towns = syria
    Admin1Factory._meta.model.objects.filter(pk=idlib.pk).update(lat=35.8, lon=36.6)
    Admin1Factory._meta.model.objects.filter(pk=aleppo.pk).update(lat=36.2, lon=37.4)
    for killed in (5, 10):
        IncidentFactory(admin1=idlib, killed_min=killed, killed_max=killed)
    IncidentFactory(admin1=aleppo, killed_min=60, killed_max=60)
    figure = client.get("/dashboard/map.json").json()["figure"]
    (centres,) = [trace for trace in figure["data"] if trace["name"].startswith("Located only to a governorate")]
    assert len(centres["lat"]) == 2  # one symbol per governorate, not per incident
    sizes = dict(zip(centres["lat"], centres["marker"]["size"], strict=True))
    assert sizes[36.2] > sizes[35.8]  # 60 killed draws larger than 15


def test_the_incident_page_has_a_small_map_at_its_place(client, syria):
    _idlib, _aleppo, towns = syria
    incident = PlacedIncidentFactory(place=towns["Ariha"], killed_min=3, killed_max=5)
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    figure = json.loads(
        unescape(re.search(r'<script id="incident-map-figure" type="application/json">(.*?)</script>', html).group(1))
    )
    (point,) = [
        trace for trace in figure["data"] if trace.get("customdata") and trace["customdata"][0][1] == "incident"
    ]
    assert (point["lat"], point["lon"]) == ([towns["Ariha"].lat], [towns["Ariha"].lon])
    assert "3\u20135" in point["text"][0]  # the killed range in the hover
    assert in_view(figure, towns["Ariha"])
    (lat_min, lat_max), _lons = geo_view(figure)
    assert lat_max - lat_min < 3  # a town's surroundings, not the country
    assert "Idlib" in label_names(figure)


def test_the_incident_page_of_a_governorate_only_incident_frames_the_governorate(client, syria):
    idlib, _aleppo, towns = syria
    Admin1Factory._meta.model.objects.filter(pk=idlib.pk).update(lat=35.8, lon=36.6)
    incident = IncidentFactory(admin1=idlib)
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "drawn at the governorate" in html
    figure = incident_page_figure(html)
    for town in ("Idlib", "Haas", "Saraqib"):
        assert in_view(figure, towns[town]), town
