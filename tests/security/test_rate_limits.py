"""Sign-in is rate-limited per client address and per username: the dashboard's form and the
admin's (django-axes, failures only), and the token endpoint (DRF throttles on every request,
plus the same axes failure count). Over a limit: 429 with Retry-After and a message saying why.

The limits are small here (settings and throttle rates patched per test) so each test sends
a handful of requests; the defaults are in config/settings/base.py and docs/security.md.
"""

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from casualties.api.auth import TokenAddressThrottle, TokenUsernameThrottle
from tests.security.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LIMIT = 3
OBTAIN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _small_limits(settings, monkeypatch):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.LOGIN_FAILURE_LIMIT = LIMIT
    # Generous request rates, so that these tests meet the failure lockout first; the throttle tests lower them.
    rates = {"token_address": "100/hour", "token_username": "100/hour"}
    monkeypatch.setattr(TokenAddressThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(TokenUsernameThrottle, "THROTTLE_RATES", rates)


@pytest.fixture
def user(db):
    return make_user("analyst1", "analysts")


def sign_in(username: str, password: str, address: str = "192.0.2.1", url: str = "/accounts/login/"):
    return Client(REMOTE_ADDR=address).post(url, {"username": username, "password": password})


def obtain(username: str, password: str, address: str = "192.0.2.1", **headers):
    return APIClient(REMOTE_ADDR=address, **headers).post(OBTAIN, {"username": username, "password": password})


# --- the dashboard's sign-in form -------------------------------------------------------------


def test_the_form_locks_a_username_out_after_repeated_failures_whatever_the_address(user):
    statuses = [sign_in("analyst1", "wrong", address=f"192.0.2.{n}").status_code for n in range(1, LIMIT + 1)]
    assert statuses == [200] * (LIMIT - 1) + [429]
    # Now even the right password, from a new address, is refused with a readable page.
    response = sign_in("analyst1", PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    page = response.content.decode()
    assert "Too many sign-in attempts" in page
    assert "15 minutes" in page
    assert "_auth_user_id" not in response.client.session


def test_the_form_locks_an_address_out_whatever_the_usernames(user):
    statuses = [sign_in(f"guess{n}", "wrong").status_code for n in range(LIMIT)]
    assert statuses[-1] == 429
    assert sign_in("analyst1", PASSWORD).status_code == 429  # same address, real user
    assert sign_in("analyst1", PASSWORD, address="198.51.100.7").status_code == 302  # elsewhere: fine


def test_a_success_clears_the_count(user):
    for _ in range(2):
        for _ in range(LIMIT - 1):
            assert sign_in("analyst1", "wrong").status_code == 200
        assert sign_in("analyst1", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(settings, user):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=1)  # for this test only
    settings.LOGIN_COOLOFF_MINUTES = 1
    for _ in range(LIMIT):
        last = sign_in("analyst1", "wrong")
    assert last.status_code == 429
    time.sleep(1.5)
    assert sign_in("analyst1", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_limited_too(user):
    statuses = [sign_in("analyst1", "wrong", url="/admin/login/").status_code for _ in range(LIMIT)]
    assert statuses[-1] == 429


def test_a_forged_forwarded_for_header_does_not_reset_the_address_count(user):
    for n in range(LIMIT):
        response = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").post(
            "/accounts/login/", {"username": f"guess{n}", "password": "wrong"}
        )
    assert response.status_code == 429


# --- the token endpoint -----------------------------------------------------------------------


def test_token_failures_lock_out_like_the_form_and_share_its_count(user):
    assert sign_in("analyst1", "wrong").status_code == 200
    assert obtain("analyst1", "wrong", address="192.0.2.2").status_code == 400
    response = obtain("analyst1", "wrong", address="192.0.2.3")
    assert response.status_code == 429
    assert "failed sign-ins" in response.json()["detail"]
    assert response["Retry-After"] == str(15 * 60)
    # Locked on both doors, even with the right password.
    assert obtain("analyst1", PASSWORD, address="198.51.100.7").status_code == 429
    assert sign_in("analyst1", PASSWORD, address="198.51.100.8").status_code == 429


def test_token_requests_are_throttled_per_username(monkeypatch, user):
    rates = {"token_address": "100/hour", "token_username": "2/hour"}
    monkeypatch.setattr(TokenUsernameThrottle, "THROTTLE_RATES", rates)
    statuses = [obtain("analyst1", PASSWORD, address=f"192.0.2.{n}").status_code for n in range(1, 4)]
    assert statuses == [200, 200, 429]
    response = obtain(" Analyst1 ", PASSWORD, address="192.0.2.9")  # spelling it differently does not help
    assert response.status_code == 429
    assert "Too many token requests" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert obtain("someone-else", "x", address="192.0.2.9").status_code == 400  # other usernames are not held up


def test_token_requests_are_throttled_per_address(monkeypatch, user):
    rates = {"token_address": "2/hour", "token_username": "100/hour"}
    monkeypatch.setattr(TokenAddressThrottle, "THROTTLE_RATES", rates)
    # Requests without a password never reach authenticate(): only the request rate counts them.
    assert obtain("a", "").status_code == 400
    assert obtain("b", "").status_code == 400
    assert obtain("analyst1", PASSWORD).status_code == 429
    assert obtain("analyst1", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429  # not forgeable
    assert obtain("analyst1", PASSWORD, address="198.51.100.7").status_code == 200


def test_an_operator_can_lift_a_username_lockout_early(user):
    for n in range(LIMIT):
        sign_in("analyst1", "wrong", address=f"192.0.2.{n + 1}")
    assert sign_in("analyst1", PASSWORD, address="198.51.100.7").status_code == 429
    call_command("axes_reset_username", "analyst1", stdout=io.StringIO())
    assert sign_in("analyst1", PASSWORD, address="198.51.100.7").status_code == 302
