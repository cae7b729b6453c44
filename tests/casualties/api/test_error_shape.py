"""One JSON error shape for the API and the dashboard's JSON endpoints (config/errors.py, docs/api.md):
{"code": word, "detail": sentence, "errors": {parameter: [messages]}}."""

import pytest
from rest_framework.test import APIClient

from casualties.api.views import IncidentViewSet
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}
    assert body["code"] == code
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["errors"], dict)
    return body


@pytest.mark.parametrize(
    "path", ["/api/v1/incidents/", "/api/v1/stats/timeline/", "/dashboard/timeline.json", "/dashboard/map.json"]
)
def test_a_bad_parameter_names_it_in_errors_on_the_api_and_the_dashboard_alike(client, path):
    body = shape(client.get(path, {"date_from": "yesterday"}), 400, "invalid")
    assert list(body["errors"]) == ["date_from"]
    assert all(isinstance(message, str) for message in body["errors"]["date_from"])


def test_a_dashboard_choice_names_it_in_errors(client):
    body = shape(client.get("/dashboard/timeline.json", {"measure": "bodies"}), 400, "invalid")
    assert list(body["errors"]) == ["measure"]


def test_an_error_about_the_whole_request_is_in_detail(analyst_client):
    incident = IncidentFactory()
    body = shape(analyst_client.patch(f"/api/v1/incidents/{incident.pk}/", {}, format="json"), 400, "invalid")
    assert body["errors"] == {}
    assert "Nothing to change" in body["detail"]


def test_a_service_refusal_is_a_400_in_the_shape(analyst_client):
    incident = IncidentFactory()
    body = shape(
        analyst_client.post(f"/api/v1/incidents/{incident.pk}/merge/", {"into": incident.pk}, format="json"),
        400,
        "invalid",
    )
    assert body["detail"] or body["errors"]


def test_not_authenticated_forbidden_not_found_and_method(client, reader_client):
    incident = IncidentFactory()
    shape(client.patch(f"/api/v1/incidents/{incident.pk}/", {"actor": "x"}, format="json"), 401, "not_authenticated")
    shape(reader_client.patch(f"/api/v1/incidents/{incident.pk}/", {"actor": "x"}), 403, "permission_denied")
    shape(client.get("/api/v1/incidents/999999/"), 404, "not_found")
    shape(client.delete(f"/api/v1/incidents/{incident.pk}/"), 401, "not_authenticated")
    shape(client.put("/api/v1/auth/token/", {}), 405, "method_not_allowed")
    shape(client.post("/api/v1/auth/token/", b"{", content_type="application/json"), 400, "parse_error")


def test_throttled(client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute"})
    client.get("/api/v1/incidents/")
    response = client.get("/api/v1/incidents/")
    shape(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1


def test_a_csv_client_gets_the_shape_in_json(client):
    shape(client.get("/api/v1/incidents/", {"format": "csv", "bbox": "1,2"}), 400, "invalid")


def test_a_statement_timeout_is_a_503_in_the_shape(client, monkeypatch):
    from django.db import OperationalError

    def slow(self):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(IncidentViewSet, "get_queryset", slow)
    shape(APIClient().get("/api/v1/incidents/"), 503, "timeout")
