"""Finding 5 of the review of 9600419: full exports had no throttle, no statement timeout and no cap
on how many one client runs at once. Now each client gets EXPORT_THROTTLE_RATE exports and at most
EXPORT_CONCURRENCY_PER_CLIENT running; over either, a 429 with Retry-After in the one error shape."""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from casualties.exports import ExportRateThrottle
from tests.factories import IncidentFactory
from tests.security.conftest import make_user, token_client

pytestmark = pytest.mark.django_db

EXPORTS = ["/export/incidents.geojson", "/export/incidents.json", "/api/v1/incidents/?format=csv"]


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(ExportRateThrottle, "THROTTLE_RATES", {"export": "3/minute"})


def _assert_throttled(response) -> None:
    assert response.status_code == 429, response.status_code
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["code"] == "throttled"
    assert set(body) == {"code", "detail", "errors"}


def _drain(response) -> None:
    assert response.status_code == 200
    b"".join(response.streaming_content)  # the test client closes the response once it is read


def _close_unread(response) -> None:
    """What the server does when a client goes away mid-stream. Without close_old_connections, as
    the test client itself does: it would close the connection holding the test's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("path", EXPORTS)
def test_anonymous_exports_are_throttled(three_a_minute, path):
    IncidentFactory()
    client = APIClient()
    for _ in range(3):
        _drain(client.get(path))
    _assert_throttled(client.get(path))
    # Another client address has its own count.
    _drain(APIClient(REMOTE_ADDR="10.0.0.9").get(path))


def test_the_dashboard_and_api_exports_share_one_count(three_a_minute):
    client = APIClient()
    _drain(client.get(EXPORTS[0]))
    _drain(client.get(EXPORTS[1]))
    _drain(client.get(EXPORTS[2]))
    _assert_throttled(client.get(EXPORTS[0]))


def test_signed_in_users_are_counted_by_user(three_a_minute):
    client = token_client(make_user("analyst1", "analysts"))
    for _ in range(3):
        _drain(client.get(EXPORTS[2]))
    _assert_throttled(client.get(EXPORTS[2]))
    _drain(token_client(make_user("analyst2", "analysts")).get(EXPORTS[2]))


@pytest.mark.parametrize("path", EXPORTS)
def test_a_client_runs_at_most_the_cap_of_exports_at_once(settings, path):
    settings.EXPORT_CONCURRENCY_PER_CLIENT = 2
    IncidentFactory()
    client = APIClient()
    running = [client.get(path), client.get(path)]  # streaming, not read yet: both still hold their slot
    assert [response.status_code for response in running] == [200, 200]
    _assert_throttled(client.get(path))
    _drain(APIClient(REMOTE_ADDR="10.0.0.9").get(path))  # another client is not held up
    _drain(running.pop())  # one finishes, and frees its slot
    _drain(client.get(path))
    for response in running:
        _close_unread(response)


def test_a_response_closed_before_it_was_read_frees_its_slot(settings):
    settings.EXPORT_CONCURRENCY_PER_CLIENT = 1
    client = APIClient()
    _close_unread(client.get(EXPORTS[0]))  # the client went away before the first byte
    _drain(client.get(EXPORTS[0]))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
@pytest.mark.parametrize("path", EXPORTS)
def test_exports_read_under_the_statement_timeout(settings, path):
    settings.API_STATEMENT_TIMEOUT_MS = 1234
    IncidentFactory()
    with CaptureQueriesContext(connection) as queries:
        _drain(APIClient().get(path))
    assert any("statement_timeout = 1234" in query["sql"] for query in queries.captured_queries)
