"""/api/v1/incidents/ filters: each narrows to the right incidents, and a bad value is a 400 naming it."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from casualties.filters import incident_filter
from casualties.models import Incident
from tests.factories import (
    Admin1Factory,
    ClaimFactory,
    IncidentFactory,
    PlacedIncidentFactory,
    SearchablePlaceFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"


def ids(client, query: str = "", **params) -> set[int]:
    response = client.get(URL + query, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def error(client, query: str = "", **params) -> dict:
    response = client.get(URL + query, params)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    return response.json()["errors"]


@pytest.fixture
def idlib():
    return Admin1Factory(country="SY", code="12", name="Idlib", aliases=["Edleb", "Idleb"])


@pytest.fixture
def homs():
    return Admin1Factory(country="SY", code="11", name="Homs", aliases=["Hims"])


def test_merged_and_rejected_incidents_are_left_out_by_default(client):
    shown = IncidentFactory()
    rejected = IncidentFactory(review_status="rejected")
    IncidentFactory(review_status="merged", merged_into=shown)
    assert ids(client) == {shown.pk}
    assert ids(client, review_status="rejected") == {rejected.pk}
    assert len(ids(client, review_status="merged,rejected")) == 2


def test_country(client, idlib):
    syria = IncidentFactory(admin1=idlib)
    iraq = IncidentFactory(country="IQ", admin1=None, location_precision="country")
    assert ids(client, country="sy") == {syria.pk}
    assert ids(client, country="IQ") == {iraq.pk}
    # A journalist types the name: the names and aliases ingest reads, and ISO's names and alpha-3 codes.
    for name in ("Syria", "syrian arab republic", "SYR"):
        assert ids(client, country=name) == {syria.pk}, name
    assert ids(client, "?country=Syria&country=Iraq") == {syria.pk, iraq.pk}
    assert error(client, country="Narnia") == {
        "country": ["Expected ISO 3166-1 alpha-2 codes or country names, not 'Narnia'."]
    }


def test_admin1_by_name_alias_or_code_case_insensitively(client, idlib, homs):
    in_idlib, in_homs = IncidentFactory(admin1=idlib), IncidentFactory(admin1=homs)
    IncidentFactory(admin1=Admin1Factory(country="SY", code="13", name="Aleppo"))
    assert ids(client, admin1="idlib") == {in_idlib.pk}
    assert ids(client, admin1="IDLEB") == {in_idlib.pk}
    assert ids(client, admin1="11") == {in_homs.pk}
    assert ids(client, "?admin1=Idlib&admin1=Hims") == {in_idlib.pk, in_homs.pk}
    assert ids(client, admin1="Idlib, Homs") == {in_idlib.pk, in_homs.pk}


def test_an_unknown_admin1_is_a_400_naming_it(client, idlib):
    IncidentFactory(admin1=idlib)
    assert error(client, "?admin1=Idlib&admin1=Narnia") == {"admin1": ["Unknown admin1: 'Narnia'."]}


def test_place_by_any_spelling_or_id(client, idlib):
    ariha = SearchablePlaceFactory(name="Ariha", admin1=idlib, alternate_names=["Arihah"])
    in_ariha = PlacedIncidentFactory(place=ariha)
    elsewhere = PlacedIncidentFactory(place=SearchablePlaceFactory(name="Saraqib", admin1=idlib))
    assert ids(client, place="arihah") == {in_ariha.pk}
    assert ids(client, place="Ariha, Saraqib") == {in_ariha.pk, elsewhere.pk}
    assert ids(client, place=str(elsewhere.place_id)) == {elsewhere.pk}
    assert error(client, place="Atlantis") == {"place": ["Unknown place: 'Atlantis'."]}


def test_dates_select_incidents_whose_span_overlaps_the_range(client):
    before = IncidentFactory(date_start=datetime.date(2015, 9, 1), date_end=datetime.date(2015, 9, 30))
    spanning = IncidentFactory(date_start=datetime.date(2015, 9, 25), date_end=datetime.date(2015, 10, 2))
    inside = IncidentFactory(date_start=datetime.date(2015, 10, 15), date_end=datetime.date(2015, 10, 15))
    after = IncidentFactory(date_start=datetime.date(2015, 11, 1), date_end=datetime.date(2015, 11, 1))
    assert ids(client, date_from="2015-10-01", date_to="2015-10-31") == {spanning.pk, inside.pk}
    assert ids(client, date_from="2015-10-03") == {inside.pk, after.pk}
    assert ids(client, date_to="2015-09-24") == {before.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2015-10-31", "date_to": "2015-10-01"}, "date_to"),
        ({"date_from": "2015-13-01"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"updated_since": "last tuesday"}, "updated_since"),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ({"bbox": "36,35,37"}, "bbox"),
        ({"bbox": "37,35,36,36"}, "bbox"),
        ({"bbox": "36,36,37,35"}, "bbox"),
        ({"bbox": "nan,35,37,36"}, "bbox"),
        ({"bbox": "-inf,35,37,36"}, "bbox"),
        ({"bbox": "36,35,37,91"}, "bbox"),
        ({"killed_min": "nan"}, "killed_min"),
        ({"killed_min": "inf"}, "killed_min"),
        ({"killed_min": "-1"}, "killed_min"),
        ({"killed_min": "ten"}, "killed_min"),
        ({"aggregate": "maybe"}, "aggregate"),
        ({"event_type": "earthquake"}, "event_type"),
        ({"victims": "aliens"}, "victims"),
        ({"review_status": "approved"}, "review_status"),
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "nan"}, "page_size"),
        ({"cursor": "garbage"}, "cursor"),
        ({"place": "9" * 23}, "place"),
        ({"admin1": "Idlib\x00"}, "admin1"),
        ({"q": "\x00"}, "q"),
        ({"actor": "a\x00"}, "actor"),
        ({"country": "S\x00"}, "country"),
        ({"place": "%s %(x)s"}, "place"),
        ({"place": "\u00b9"}, "place"),  # a superscript one: a digit to str.isdigit, not to int()
        ({"admin1": "100%"}, "admin1"),
        ({"event_type": "%d"}, "event_type"),
    ],
)
def test_a_bad_parameter_is_a_400_saying_which_and_why(client, params, field):
    IncidentFactory()
    body = error(client, **params)
    assert list(body) == [field]
    assert body[field]
    assert all(isinstance(message, str) and message for message in body[field])


def test_errors_are_json_even_when_csv_or_geojson_was_asked_for(client):
    for fmt in ("csv", "geojson"):
        response = client.get(URL, {"format": fmt, "bbox": "1,2"})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert "bbox" in response.json()["errors"]


def test_bbox_keeps_only_points_inside(client, idlib):
    inside = PlacedIncidentFactory(place=SearchablePlaceFactory(admin1=idlib, lat=35.93, lon=36.63))
    PlacedIncidentFactory(place=SearchablePlaceFactory(admin1=idlib, lat=34.73, lon=36.71))
    IncidentFactory(admin1=idlib)  # no point: never inside a box
    assert ids(client, bbox="36.5,35.5,37,36.5") == {inside.pk}


def test_event_type_actor_and_victims(client):
    strike = IncidentFactory(event_type="air_drone_strike", actor="Russian aircraft", victims="civilians")
    shelling = IncidentFactory(event_type="shelling_artillery_missile", actor="Government forces", victims="mixed")
    assert ids(client, event_type="shelling_artillery_missile") == {shelling.pk}
    assert ids(client, event_type="shelling_artillery_missile,air_drone_strike") == {strike.pk, shelling.pk}
    assert ids(client, actor="russian") == {strike.pk}
    assert ids(client, victims="civilians") == {strike.pk}


def test_killed_min_is_at_least_n_by_the_highest_count(client):
    low = IncidentFactory(killed_min=3, killed_max=5)
    high = IncidentFactory(killed_min=8, killed_max=20)
    IncidentFactory(killed_min=None, killed_max=None)
    assert ids(client, killed_min="5") == {low.pk, high.pk}
    assert ids(client, killed_min="6") == {high.pk}


def test_aggregate(client):
    toll = IncidentFactory(aggregate=True)
    event = IncidentFactory(aggregate=False)
    assert ids(client, aggregate="true") == {toll.pk}
    assert ids(client, aggregate="false") == {event.pk}


def test_q_searches_the_evidence_once_per_incident(client):
    barrel = IncidentFactory()
    ClaimFactory(incident=barrel, evidence="a barrel bomb hit the market")
    ClaimFactory(incident=barrel, evidence="Barrel bombs killed 12")
    ClaimFactory(incident=IncidentFactory(), evidence="shelling killed 3")
    response = client.get(URL, {"q": "barrel"})
    assert [row["id"] for row in response.json()["results"]] == [barrel.pk]


def test_updated_since_includes_merged_and_rejected_for_sync(client):
    old = IncidentFactory()
    Incident.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
    kept = IncidentFactory()
    merged = IncidentFactory(review_status="merged", merged_into=kept)
    rejected = IncidentFactory(review_status="rejected")
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert ids(client, updated_since=since) == {kept.pk, merged.pk, rejected.pk}
    # A naive date-time is UTC; a bare date is midnight.
    assert ids(client, updated_since=(timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")) == {
        kept.pk,
        merged.pk,
        rejected.pk,
    }


def test_incident_filter_works_outside_drf_on_a_querydict(idlib, homs):
    in_idlib = IncidentFactory(admin1=idlib, killed_max=30)
    IncidentFactory(admin1=homs)
    incidents, errors = incident_filter(params=QueryDict("admin1=Idleb&killed_min=20"))
    assert errors == {}
    assert list(incidents) == [in_idlib]
    incidents, errors = incident_filter(params=QueryDict("admin1=Nowhere&date_from=2015-02-30"))
    assert set(errors) == {"admin1", "date_from"}
    assert not incidents.exists()


@pytest.mark.parametrize(
    "raw",
    [
        "2015-01-01T00:00:00Z",
        "2015-01-01T00:00:00+00:00",
        "2015-01-01T02:00:00%2B02:00",
        "2015-01-01T16:00:00%2B16:00",  # beyond PostgreSQL's offsets, fine once in UTC
        "2015-01-01",
    ],
)
def test_updated_since_takes_iso_forms_as_curl_sends_them(client, raw):
    # An unescaped "+" in a query string arrives as a space; it is read back as "+".
    incident = IncidentFactory()
    assert ids(client, f"?updated_since={raw}") == {incident.pk}
    assert ids(client, f"?updated_since={raw.replace('2015', '2999', 1)}") == set()
