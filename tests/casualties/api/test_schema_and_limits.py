"""The OpenAPI schema and its docs pages, the anonymous throttle, and the statement timeout."""

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import AnonRateThrottle

from casualties.database import is_statement_timeout, statement_timeout
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_lists_the_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/incidents/",
        "/api/v1/incidents/{id}/",
        "/api/v1/incidents/{id}/merge/",
        "/api/v1/stats/timeline/",
        "/api/v1/stats/admin1/",
        "/api/v1/places/",
        "/api/v1/admin1/",
    ):
        assert path in schema["paths"], path
    list_parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]}
    assert {"admin1", "date_from", "date_to", "bbox", "killed_min", "updated_since", "page_size", "cursor"} <= (
        list_parameters
    )
    assert "patch" in schema["paths"]["/api/v1/incidents/{id}/"]


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_their_scripts_from_our_static_files(client, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html
    assert "/api/schema/" in html


def test_sidecar_static_file_is_served(client):
    from django.test import Client

    response = Client().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200


def test_anonymous_clients_are_throttled(client, analyst_client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get("/api/v1/incidents/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Authenticated clients are not.
    assert analyst_client.get("/api/v1/incidents/").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_statement_timeout_is_set_inside_and_cancels_slow_statements():
    with statement_timeout(1234), connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "1234ms"
    with pytest.raises(OperationalError) as caught, statement_timeout(50), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")
    assert is_statement_timeout(caught.value)


def test_statement_timeout_is_a_no_op_when_zero_and_on_sqlite():
    with CaptureQueriesContext(connection) as queries, statement_timeout(0):
        IncidentFactory()
    assert not any("statement_timeout" in query["sql"] for query in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries, statement_timeout():
        IncidentFactory()
    issued = any("statement_timeout" in query["sql"] for query in queries.captured_queries)
    assert issued == (connection.vendor == "postgresql")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_read_that_times_out_is_a_503_not_a_500(client, monkeypatch, settings):
    from casualties.api import views

    settings.API_STATEMENT_TIMEOUT_MS = 50

    def slow_timeline(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")

    monkeypatch.setattr(views, "filtered_incident_timeline", slow_timeline)
    response = client.get("/api/v1/stats/timeline/")
    assert response.status_code == 503
    assert "too long" in response.json()["detail"]


@pytest.mark.django_db
def test_the_api_root_links_every_read(client):
    links = client.get("/api/v1/").json()
    assert set(links) == {
        "incidents",
        "articles",
        "stats/timeline",
        "stats/admin1",
        "aggregates",
        "admin1",
        "places",
        "compare",
    }
    # Each link is a live endpoint (places wants ?q=: a 400, never a 404).
    assert {name: client.get(url).status_code for name, url in links.items()} == {
        "incidents": 200,
        "articles": 200,
        "stats/timeline": 200,
        "stats/admin1": 200,
        "aggregates": 200,
        "admin1": 200,
        "places": 400,
        "compare": 400,  # wants ?dataset=
    }
