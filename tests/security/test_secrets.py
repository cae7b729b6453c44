"""Secrets come only from the environment: production settings refuse to start without a
secret key or a database URL, and have no secret default of their own."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'key': s.SECRET_KEY, 'db': s.DATABASES['default']['NAME'], "
    "'cache': s.CACHES['default']['BACKEND']}))"
)
_SWITCHES = ("DATABASE_URL", "CACHE_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
SECRET = "a-long-random-production-secret-" + "k" * 40
GOOD = {"DJANGO_SECRET_KEY": SECRET, "DATABASE_URL": "postgres://app@db.internal:5432/casualties"}


def settings_with(env: dict[str, str], module: str = "config.settings.production") -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _SWITCHES}
    clean.update({"DJANGO_ALLOWED_HOSTS": "example.org", **env, "DJANGO_SETTINGS_MODULE": module})
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def test_production_starts_with_both_and_takes_the_key_from_the_environment():
    result = settings_with(GOOD)
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout)
    assert state["key"] == SECRET
    assert state["db"] == "casualties"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATABASE_URL": GOOD["DATABASE_URL"]}, "DJANGO_SECRET_KEY"),
        ({**GOOD, "DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({**GOOD, "DJANGO_SECRET_KEY": "insecure-embedded-default-key-do-not-use-in-production"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": SECRET}, "DATABASE_URL"),
        ({**GOOD, "DATABASE_URL": ""}, "DATABASE_URL"),
    ],
    ids=["no-key", "empty-key", "development-key", "no-database", "empty-database"],
)
def test_production_refuses_to_start_without_a_secret(env, named):
    result = settings_with(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.splitlines()[-1]


def test_the_development_defaults_are_for_development_only():
    result = settings_with({}, module="config.settings.base")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["key"].startswith("insecure-")  # says what it is


def test_the_cache_is_redis_when_named_and_local_memory_otherwise():
    assert json.loads(settings_with(GOOD).stdout)["cache"].endswith("LocMemCache")
    redis = settings_with({**GOOD, "CACHE_URL": "redis://127.0.0.1:6379/1"})
    assert json.loads(redis.stdout)["cache"] == "django.core.cache.backends.redis.RedisCache"
    result = settings_with({**GOOD, "CACHE_URL": "dummycache://"})
    assert result.returncode != 0
    assert "CACHE_URL must be a redis:// URL" in result.stderr
