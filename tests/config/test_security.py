"""Our pages carry a content security policy that forbids inline and outside scripts, and every
form and session-authenticated write needs its CSRF token."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from casualties.services.tokens import api_token_issue
from tests.factories import IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_dashboard_and_incident_pages_carry_the_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-eval'" not in policy
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "Content-Security-Policy" in client.get("/healthz").headers


def test_the_admin_is_left_to_its_own_headers(admin_client):
    assert "Content-Security-Policy" not in admin_client.get("/admin/").headers


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_may_run_inline_code_but_fetch_only_from_us(client, path):
    policy = client.get(path).headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "img-src 'self' data: blob:" in policy
    assert "connect-src 'self'" in policy
    assert "font-src 'self' data:" in policy


# --- CSRF: a session cookie alone never carries a write ------------------------------------------


def _analyst():
    return UserFactory(username="csrf-analyst", analyst=True)


def test_the_sign_in_form_needs_its_csrf_token():
    _analyst()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "csrf-analyst", "password": "a-long-test-password"})
    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session


def test_api_writes_by_session_need_the_csrf_token_but_token_writes_do_not():
    user = _analyst()
    incident = IncidentFactory()
    by_session = APIClient(enforce_csrf_checks=True)
    by_session.force_login(user)
    assert by_session.patch(f"/api/v1/incidents/{incident.pk}/", {"review_status": "verified"}).status_code == 403
    assert by_session.post("/api/v1/auth/token/rotate/").status_code == 403
    by_token = APIClient(enforce_csrf_checks=True)
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    assert by_token.patch(f"/api/v1/incidents/{incident.pk}/", {"review_status": "verified"}).status_code == 200


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("casualties/favicon.svg")
