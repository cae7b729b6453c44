import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "engine": settings.DATABASE_ENGINE}
    expected_mode = "in-process" if settings.CELERY_TASK_ALWAYS_EAGER else "redis"
    assert body["broker"]["mode"] == expected_mode


def test_healthz_says_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["status"] == "error"


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
