"""A database that is down answers 503 "try again" with a body clients can read, never a bare 500 or a traceback.

The real outage (PostgreSQL restarted under gunicorn) is bench/faults/postgres_restart_edits.py;
here the database error is raised where a query would fail, on any database.
"""

import sqlite3

import psycopg
import pytest
from django.db import InterfaceError, OperationalError
from rest_framework.test import APIClient

from casualties.models import Incident
from tests.factories import IncidentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def _django_error(cause: Exception) -> OperationalError:
    """What Django raises for a driver error: its own class, the driver's error as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


LOST = _django_error(psycopg.OperationalError("server closed the connection unexpectedly"))


def _assert_json_503(response) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "unavailable"
    assert body["errors"] == {}
    assert "database is unavailable" in body["detail"]
    assert b"Traceback" not in response.content


def test_an_api_read_during_an_outage_is_a_json_503(monkeypatch):
    monkeypatch.setattr("casualties.api.views.IncidentViewSet.get_queryset", lambda self: (_ for _ in ()).throw(LOST))
    _assert_json_503(APIClient().get("/api/v1/incidents/"))


def test_a_csv_export_during_an_outage_is_still_a_json_503(monkeypatch):
    monkeypatch.setattr("casualties.api.views.IncidentViewSet.get_queryset", lambda self: (_ for _ in ()).throw(LOST))
    _assert_json_503(APIClient().get("/api/v1/incidents/", {"format": "csv"}))


def test_an_analyst_write_during_an_outage_is_a_json_503_and_changes_nothing(monkeypatch, analyst_client):
    incident = IncidentFactory(actor="before")

    def fail(**kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr("casualties.api.views.incident_review", fail)
    response = analyst_client.patch(f"/api/v1/incidents/{incident.pk}/", {"actor": "after"}, format="json")
    _assert_json_503(response)
    assert Incident.objects.get(pk=incident.pk).actor == "before"


def test_the_dashboard_json_during_an_outage_is_a_json_503(client, monkeypatch):
    monkeypatch.setattr("casualties.views.incident_map_data", lambda **kwargs: (_ for _ in ()).throw(LOST))
    _assert_json_503(client.get("/dashboard/map.json"))


def test_the_dashboard_page_during_an_outage_is_a_short_503_page(client, monkeypatch):
    monkeypatch.setattr("casualties.views.dashboard_summary", lambda **kwargs: (_ for _ in ()).throw(LOST))
    response = client.get("/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"Service unavailable (503)" in response.content
    assert b"server closed the connection" not in response.content  # the error stays in the log


def test_a_server_shutting_down_is_a_503(monkeypatch):
    shutdown = _django_error(psycopg.errors.AdminShutdown("terminating connection due to administrator command"))
    monkeypatch.setattr(
        "casualties.api.views.IncidentViewSet.get_queryset", lambda self: (_ for _ in ()).throw(shutdown)
    )
    _assert_json_503(APIClient().get("/api/v1/incidents/"))


@pytest.mark.parametrize(
    "error",
    [
        KeyError("x"),
        # A query the database refuses is a fault of the request or the code, not an outage.
        _django_error(psycopg.errors.SyntaxError("syntax error at or near")),
        _django_error(sqlite3.OperationalError("LIKE or GLOB pattern too complex")),
    ],
)
def test_other_errors_are_left_to_the_usual_500(monkeypatch, error):
    monkeypatch.setattr("casualties.api.views.IncidentViewSet.get_queryset", lambda self: (_ for _ in ()).throw(error))
    client = APIClient(raise_request_exception=False)
    assert client.get("/api/v1/incidents/").status_code == 500
