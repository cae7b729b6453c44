"""The environment alone switches between the embedded default and the real services."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, "
    "'health_checks': s.DATABASES['default'].get('CONN_HEALTH_CHECKS', False)}))"
)
# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never has it.
_SWITCHES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def _settings_with(env: dict[str, str], module: str = "config.settings.base") -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _SWITCHES}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def test_nothing_set_means_sqlite_and_in_process_tasks():
    result = _settings_with({})
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout)
    assert state["engine"] == "django.db.backends.sqlite3"
    assert state["name"].endswith("db.sqlite3")
    assert state["eager"] is True


def test_database_url_and_broker_select_postgresql_and_real_workers():
    result = _settings_with(
        {
            "DATABASE_URL": "postgres://someone@db.internal:5432/casualties",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout)
    assert state["engine"] == "django.db.backends.postgresql"
    assert state["name"] == "casualties"
    assert state["health_checks"] is True
    assert state["eager"] is False
    assert state["broker"] == "redis://127.0.0.1:6379/0"


def test_a_malformed_database_url_stops_start_up():
    result = _settings_with({"DATABASE_URL": "oracle://nobody@nowhere/db"})
    assert result.returncode != 0
    assert "DATABASE_URL must be sqlite:// or postgres://" in result.stderr


def test_a_broker_that_is_not_redis_stops_start_up():
    result = _settings_with({"CELERY_BROKER_URL": "amqp://guest@127.0.0.1//"})
    assert result.returncode != 0
    assert "CELERY_BROKER_URL must be a redis:// URL" in result.stderr


def test_production_settings_insist_on_a_secret_key():
    result = _settings_with({"DJANGO_ALLOWED_HOSTS": "example.org"}, module="config.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_checks():
    env = {
        **{k: v for k, v in os.environ.items() if k not in _SWITCHES},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        # Production names its database and a shared cache; check does not connect to either.
        "DATABASE_URL": "postgres://someone@db.internal:5432/casualties",
        "CACHE_URL": "redis://cache.internal:6379/1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan", "half"])
def test_a_review_threshold_outside_0_to_1_stops_start_up(value):
    result = _settings_with({"EXTRACTION_REVIEW_THRESHOLD": value})
    assert result.returncode != 0
    assert "EXTRACTION_REVIEW_THRESHOLD" in result.stderr


def test_the_review_threshold_is_read_from_the_environment():
    probe = (
        "import django; django.setup(); from django.conf import settings; print(settings.EXTRACTION_REVIEW_THRESHOLD)"
    )
    for env, expected in (({}, "0.5"), ({"EXTRACTION_REVIEW_THRESHOLD": "0.7"}, "0.7")):
        clean = {k: v for k, v in os.environ.items() if k not in (*_SWITCHES, "EXTRACTION_REVIEW_THRESHOLD")}
        clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.base")
        result = subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.stdout.strip() == expected, result.stderr
