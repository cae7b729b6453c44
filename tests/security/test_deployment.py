"""The deployment as docker-compose.yml describes it (issue 14, finding 11).

HTTPS is required by default; X-Forwarded-Proto counts only from a configured proxy,
since compose exposes gunicorn directly; `manage.py axes_reset` clears every lockout
from the cache where django-axes keeps them.
"""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from tests.security.conftest import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
_VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def compose_environment(service: str, given: dict[str, str]) -> dict[str, str]:
    """The environment docker compose gives `service` when the shell sets only `given`."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]

    def resolve(match: re.Match[str]) -> str:
        name, kind, default = match.groups()
        if name in given:
            return given[name]
        assert kind != "?", f"compose requires {name}"
        return default if kind == "-" else ""

    return {name: _VARIABLE.sub(resolve, str(value)) for name, value in services[service]["environment"].items()}


def test_the_web_service_redirects_to_https_unless_told_otherwise():
    environment = compose_environment("web", {"DJANGO_SECRET_KEY": "s" * 50})
    assert environment["DJANGO_SECURE_SSL_REDIRECT"] == "true"
    local = compose_environment("web", {"DJANGO_SECRET_KEY": "s" * 50, "DJANGO_SECURE_SSL_REDIRECT": "false"})
    assert local["DJANGO_SECURE_SSL_REDIRECT"] == "false"


def test_check_deploy_is_clean_with_the_compose_defaults():
    environment = compose_environment("web", {"DJANGO_SECRET_KEY": "a-long-random-value-for-the-check-" * 2})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- X-Forwarded-Proto -------------------------------------------------------------------------


@pytest.fixture
def behind_https(settings):
    """Production's HTTPS settings; the proxy in front of gunicorn is 10.0.0.2."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.2", "fd12:3456::/64"]
    return settings


def get(address: str, **headers: str):
    return Client(REMOTE_ADDR=address).get("/healthz", **headers)


@pytest.mark.django_db
def test_a_client_cannot_claim_https_to_gunicorn_directly(behind_https):
    response = get("203.0.113.5", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
@pytest.mark.parametrize("proxy", ["10.0.0.2", "fd12:3456::7"])
def test_the_configured_proxy_is_believed(behind_https, proxy):
    assert get(proxy, HTTP_X_FORWARDED_PROTO="https").status_code != 301
    assert get(proxy).status_code == 301  # plain HTTP through the proxy is still redirected


@pytest.mark.django_db
def test_with_no_proxy_configured_the_header_is_ignored(behind_https):
    behind_https.TRUSTED_PROXIES = []
    assert get("10.0.0.2", HTTP_X_FORWARDED_PROTO="https").status_code == 301


def test_a_malformed_proxy_address_stops_start_up():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "TRUSTED_PROXIES": "10.0.0.2,not-an-address",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


# --- axes_reset --------------------------------------------------------------------------------


def sign_in(username: str, password: str, address: str):
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_axes_reset_lifts_every_lockout_and_keeps_the_rest_of_the_cache(settings):
    settings.AXES_FAILURE_LIMIT = 2
    make_user("analyst1", "analysts")
    make_user("analyst2", "analysts")
    for username, address in (("analyst1", "192.0.2.1"), ("analyst1", "192.0.2.2"), ("analyst2", "192.0.2.3")):
        sign_in(username, "wrong", address)
        sign_in(username, "wrong", address)
    cache.set("throttle_unrelated", 7)
    assert sign_in("analyst1", PASSWORD, "198.51.100.7").status_code == 429
    assert sign_in("analyst2", PASSWORD, "198.51.100.8").status_code == 429

    out = io.StringIO()
    call_command("axes_reset", stdout=out)

    assert re.fullmatch(r"\d+ attempts removed\.\n", out.getvalue())
    assert sign_in("analyst1", PASSWORD, "198.51.100.7").status_code == 302
    assert sign_in("analyst2", PASSWORD, "192.0.2.3").status_code == 302
    assert cache.get("throttle_unrelated") == 7


@pytest.mark.django_db
def test_axes_reset_with_nothing_to_reset_says_so():
    out = io.StringIO()
    call_command("axes_reset", stdout=out)
    assert out.getvalue() == "No attempts found.\n"
