"""Property test of the whole API against its own OpenAPI schema: no input gives a 5xx.

Bounded (a few dozen examples an operation) and offline: schemathesis calls the
WSGI app in-process, through the test database.
"""

from unittest import mock

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle

from config.wsgi import application

# A development dependency: the rest of the suite runs without it.
schemathesis = pytest.importorskip("schemathesis")
not_a_server_error = pytest.importorskip("schemathesis.checks").not_a_server_error

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    # Django's own test client does this too: a request must not close the connection that holds
    # the test's transaction (it would on PostgreSQL, the transaction not being autocommit).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def incidents(db):
    from tests.factories import ClaimFactory, PlacedIncidentFactory

    for _ in range(3):
        ClaimFactory(incident=PlacedIncidentFactory())


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_the_schema_allows_gives_a_server_error(case, incidents):
    with mock.patch.object(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute"}):
        response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:500])
    case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.django_db
# Only the review endpoints: a fuzzed article submission would make the workers fetch random URLs.
@schema.include(method=["PATCH", "POST"], path_regex=r"^/api/v1/incidents/").parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_analyst_write_gives_a_server_error(case, analyst):
    from casualties.services.tokens import api_token_issue
    from tests.factories import ClaimFactory, IncidentFactory

    # Aim the generated bodies at a real incident, or every example would be a 404.
    incident = IncidentFactory()
    ClaimFactory(incident=incident)
    case.path_parameters = {**(case.path_parameters or {}), "id": incident.pk}
    response = case.call(headers={"Authorization": f"Token {api_token_issue(user=analyst)}"})
    assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:500])
    case.validate_response(response, checks=[not_a_server_error])
