"""Bad and abusive requests to the API and the dashboard get a 4xx naming the problem, never a 500.

tests/casualties/api (schemathesis, filter and write tests) covers the rest: inverted and
out-of-range bbox, NaN and infinity in filters, page_size 0/1001/'nan', unknown fields in writes.
"""

import pytest
from rest_framework.test import APIClient

from casualties.models import Incident
from tests.factories import ClaimFactory, IncidentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "0000-01-01"}, "date_from"),
        ({"date_from": "99999-01-01"}, "date_from"),
        ({"date_to": "2015-02-30"}, "date_to"),
        ({"killed_min": str(10**30)}, "killed_min"),
        ({"killed_min": "-Infinity"}, "killed_min"),
        ({"bbox": "NaN,NaN,NaN,NaN"}, "bbox"),
        ({"bbox": "1e400,0,1,1"}, "bbox"),
        ({"updated_since": "2015-13-45T99:99"}, "updated_since"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/incidents/", "/api/v1/stats/timeline/", "/dashboard/map.json"])
def test_bad_parameters_are_a_400_naming_them(path, params, field):
    response = APIClient().get(path, params)
    assert response.status_code == 400, (path, params, response.content[:300])
    assert field in response.content.decode()


@pytest.mark.parametrize("page_size", [str(10**30), "-5", "1e3", "Infinity", "9" * 5000])
def test_huge_or_odd_page_sizes_are_a_400(page_size):
    response = APIClient().get("/api/v1/incidents/", {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


def test_inverted_dates_are_a_400(client):
    response = client.get("/api/v1/incidents/", {"date_from": "2016-01-01", "date_to": "2015-01-01"})
    assert response.status_code == 400
    assert "date" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/incidents/?q=" + "a" * 100_000,
        "/api/v1/incidents/?admin1=" + "x" * 50_000,
        "/api/v1/incidents/?" + "&".join(f"admin1=a{i}" for i in range(5_000)),
        "/api/v1/incidents/?" + "&".join(f"unknown{i}=1" for i in range(5_000)),
        "/api/v1/stats/timeline/?q=" + "%00" * 1000,
        "/dashboard/map.json?q=" + "a" * 100_000,
        "/?q=" + "a" * 100_000,
        "/?" + "&".join(f"admin1=a{i}" for i in range(5_000)),
    ],
)
def test_very_long_query_strings_are_answered_without_a_server_error(client, path):
    ClaimFactory()  # a claim, so the evidence search (q) really runs its pattern
    response = client.get(path)
    assert response.status_code < 500, (path[:80], response.status_code)
    assert b"Traceback" not in response.content


@pytest.mark.parametrize(
    ("body", "field"),
    [
        # Not JSON at all: the parser names the token.
        ('{"killed_max": NaN}', "'NaN'"),
        ('{"killed_max": Infinity}', "'Infinity'"),
        ('{"killed_max": -Infinity}', "'-Infinity'"),
        ('{"killed_max": 1e400}', "killed_max"),
        ('{"killed_max": 99999999999999999999999}', "killed_max"),
        ('{"killed_max": -1}', "killed_max"),
        ('{"killed_max": 2.5}', "killed_max"),
        ('{"killed_min": 9, "killed_max": 2}', "killed"),
        ('{"date_start": "2016-01-02", "date_end": "2016-01-01"}', "date"),
        ('{"date_start": "0000-01-01"}', "date_start"),
        ('{"actor": "' + "a" * 5000 + '"}', "actor"),
        ('{"review_status": "merged"}', "review_status"),
        ('{"incident_id": 5, "killed_max": 3}', "incident_id"),
    ],
)
def test_bad_analyst_writes_are_a_400_naming_the_field_and_change_nothing(analyst_client, body, field):
    incident = IncidentFactory(killed_min=3, killed_max=4, actor="before")
    before = Incident.objects.filter(pk=incident.pk).values().get()
    response = analyst_client.generic(
        "PATCH", f"/api/v1/incidents/{incident.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400, (body[:60], response.status_code, response.content[:300])
    assert field in response.content.decode()
    assert Incident.objects.filter(pk=incident.pk).values().get() == before


@pytest.mark.parametrize("body", ["{", "[]", '"text"', "null", "\xff\xfe", '{"killed_max": 5' + "}" * 100_000])
def test_malformed_json_bodies_are_a_400(analyst_client, body):
    incident = IncidentFactory()
    response = analyst_client.generic(
        "PATCH",
        f"/api/v1/incidents/{incident.pk}/",
        body.encode("utf-8", "surrogateescape"),
        content_type="application/json",
    )
    assert response.status_code == 400, (body[:40], response.status_code, response.content[:200])


@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": "a" * 100_000}, "q"), ({"actor": "a" * 5_000}, "actor"), ({"admin1": "x" * 50_000}, "admin1")],
)
@pytest.mark.parametrize("path", ["/api/v1/incidents/", "/dashboard/map.json"])
def test_overlong_text_filters_are_a_400_naming_them(path, params, field):
    # SQLite refuses LIKE patterns over 50,000 bytes: these were 500s on the embedded default.
    ClaimFactory()
    response = APIClient().get(path, params)
    assert response.status_code == 400
    assert field in response.content.decode()
