"""Filters that fit habits (issue 18): governorates by any spelling ingest reads, the active filters as
removable chips, and an incident page whose back link keeps the filters."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import Admin1Factory, IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def syria():
    divisions = {
        "deir": Admin1Factory(country="SY", code="07", name="Deir ez-Zor"),
        "rif": Admin1Factory(country="SY", code="08", name="Rif-dimashq"),
        "raqqa": Admin1Factory(country="SY", code="04", name="Ar-Raqqah"),
    }
    incidents = {key: IncidentFactory(admin1=division) for key, division in divisions.items()}
    return divisions, incidents


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Deir al-Zour", "deir"),
        ("Deir al Zour", "deir"),  # no alias as written: the engine's key drops the article and hyphen
        ("deir ez zor", "deir"),
        ("Damascus countryside", "rif"),
        ("Damascus Countryside", "rif"),
        ("Rural Damascus", "rif"),
        ("Raqqa", "raqqa"),
        ("ar-raqqa", "raqqa"),
    ],
)
def test_a_governorate_by_a_common_spelling_filters(client, syria, spelling, key):
    _divisions, incidents = syria
    response = client.get("/api/v1/incidents/", {"admin1": spelling})
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [incidents[key].pk]


def test_a_spelling_of_a_division_in_another_country_is_still_unknown(client, syria):
    response = client.get("/api/v1/incidents/", {"admin1": "Damascus countryside", "country": "IQ"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["admin1"]


def _chips(html: str) -> dict[str, dict[str, list[str]]]:
    """{chip label: the query of its remove link}."""
    found = re.findall(r'<li class="chip">(.*?) <a href="\?([^"]*)"', html)
    return {unescape(label): parse_qs(unescape(query)) for label, query in found}


def test_the_active_filters_show_as_chips_each_removing_only_itself(client, syria):
    html = client.get("/", {"admin1": "Rif-dimashq,Deir ez-Zor", "event_type": "air_drone_strike", "page": "2"})
    chips = _chips(html.content.decode())
    assert chips == {
        "Governorate: Rural Damascus": {"admin1": ["Deir ez-Zor"], "event_type": ["air_drone_strike"]},
        "Governorate: Deir ez-Zor": {"admin1": ["Rif-dimashq"], "event_type": ["air_drone_strike"]},
        "Event type: Air or drone strike": {"admin1": ["Rif-dimashq,Deir ez-Zor"]},
    }


def test_a_country_chip_names_the_country_as_the_news_does(client, syria):
    chips = _chips(client.get("/", {"country": "SY,IQ"}).content.decode())
    assert list(chips) == ["Country: Syria", "Country: Iraq"]
    chips = _chips(client.get("/", {"country": "NL"}).content.decode())
    assert list(chips) == ["Country: Netherlands"]


def test_no_filter_no_chips(client, syria):
    assert 'id="active-filters"' not in client.get("/").content.decode()


def test_the_incident_page_back_link_keeps_the_filters(client, syria):
    _divisions, incidents = syria
    query = {"admin1": "Raqqa", "sort": "-killed"}
    page = client.get("/", query).content.decode()
    link = re.search(rf'href="(/incidents/{incidents["raqqa"].pk}/[^"]*)"', page).group(1)
    assert parse_qs(urlsplit(unescape(link)).query) == {"admin1": ["Raqqa"], "sort": ["-killed"]}
    incident_page = client.get(unescape(link)).content.decode()
    back = re.search(r'<a href="([^"]*)" id="back-to-dashboard">', incident_page).group(1)
    assert urlsplit(unescape(back)).path == "/"
    assert parse_qs(urlsplit(unescape(back)).query) == {"admin1": ["Raqqa"], "sort": ["-killed"]}
