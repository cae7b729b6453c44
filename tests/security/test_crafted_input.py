"""Finding 6 of the review of 9600419: crafted input answered 500. Each is now a 400 in the
one error shape, or a 404 for an export format that does not exist."""

import json

import pytest
from rest_framework.test import APIClient

from tests.factories import IncidentFactory
from tests.security.conftest import make_user, token_client

pytestmark = pytest.mark.django_db


def assert_one_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/dashboard/timeline.json",
        "/dashboard/admin1.json",
        "/dashboard/map.json",
        "/export/incidents.geojson",
        "/api/v1/incidents/",
        "/api/v1/admin1/",
        "/api/v1/stats/timeline/",
    ],
)
@pytest.mark.parametrize("query", ["country=%00", "admin1=Id%00lib", "q=%00", "x%00y=1", "date_from=2015%00"])
def test_a_nul_in_any_query_parameter_is_a_400(path, query):
    IncidentFactory()
    body = assert_one_shape(APIClient().get(f"{path}?{query}"), 400)
    assert body["code"] == "invalid"
    assert body["errors"]


@pytest.mark.parametrize("cursor", ["cD0yMDE2", "cD0yMDE2LTEzLTQ1", "cj0xJnA9eA=="])
def test_a_tampered_cursor_is_a_400_naming_it(cursor):
    IncidentFactory()
    body = assert_one_shape(APIClient().get("/api/v1/incidents/", {"cursor": cursor}), 400)
    assert "cursor" in body["errors"]


def test_a_tampered_cursor_on_the_sync_ordering_is_a_400_too():
    IncidentFactory()
    response = APIClient().get("/api/v1/incidents/", {"cursor": "cD0yMDE2", "updated_since": "2015-01-01T00:00Z"})
    assert "cursor" in assert_one_shape(response, 400)["errors"]


@pytest.mark.parametrize(
    "name",
    [
        "x%0d%0aSet-Cookie:%20pwn=1",
        "geojson%0d%0aX-Evil:%201",
        "json%00",
        'json"; filename="evil.exe',
        "csv",
        "xml",
        "geojson.exe",
    ],
)
def test_an_unknown_export_format_is_a_404_with_no_header_of_its_own(client, name):
    IncidentFactory()
    response = client.get(f"/export/incidents.{name}")
    body = assert_one_shape(response, 404)
    assert body["code"] == "not_found"
    assert "Content-Disposition" not in response
    assert "pwn" not in response.cookies
    assert "X-Evil" not in response


@pytest.mark.parametrize("fmt", ["geojson", "json"])
def test_the_known_export_formats_have_one_filename(client, fmt):
    IncidentFactory()
    response = client.get(f"/export/incidents.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="incidents.{fmt}"'
    json.loads(b"".join(response.streaming_content))


def _raw_json(client: APIClient, method: str, path: str, text: str):
    return getattr(client, method)(path, data=text.encode(), content_type="application/json")


@pytest.mark.parametrize(
    "text",
    ['{"\\ud800": 1}', '{"username": "\\udfff", "password": "x"}', '{"username": ["\\ud800"], "password": "x"}'],
)
def test_a_lone_surrogate_in_json_to_the_token_endpoint_is_a_400(text):
    body = assert_one_shape(_raw_json(APIClient(), "post", "/api/v1/auth/token/", text), 400)
    assert body["code"] == "parse_error"


@pytest.mark.parametrize(
    "text",
    [
        '{"review_status": "verified", "reason": "\\ud800"}',
        '{"place_name": "Idlib\\udc00"}',
        '{"actor": "x", "\\ud800": 1}',
    ],
)
def test_a_lone_surrogate_in_an_analysts_patch_is_a_400(text):
    incident = IncidentFactory()
    client = token_client(make_user("analyst1", "analysts"))
    body = assert_one_shape(_raw_json(client, "patch", f"/api/v1/incidents/{incident.pk}/", text), 400)
    assert body["code"] == "parse_error"
    incident.refresh_from_db()
    assert incident.review_status != "verified"


def test_a_surrogate_pair_is_still_accepted():
    incident = IncidentFactory()
    client = token_client(make_user("analyst1", "analysts"))
    response = _raw_json(client, "patch", f"/api/v1/incidents/{incident.pk}/", '{"actor": "\\ud83d\\ude00"}')
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.actor == "\U0001f600"
