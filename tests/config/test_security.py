"""Our pages carry a content security policy that forbids inline and outside scripts."""

import pytest

pytestmark = pytest.mark.django_db


def test_dashboard_and_incident_pages_carry_the_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-eval'" not in policy
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "Content-Security-Policy" in client.get("/healthz").headers


def test_third_party_pages_are_left_to_their_own_headers(admin_client):
    assert "Content-Security-Policy" not in admin_client.get("/admin/").headers
    assert "Content-Security-Policy" not in admin_client.get("/api/docs/").headers
