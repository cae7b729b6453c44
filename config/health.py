"""`/healthz`: is the database answering, and is the broker reachable?"""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_state() -> dict[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        return {"status": "error", "engine": settings.DATABASE_ENGINE, "error": type(error).__name__}
    return {"status": "ok", "engine": settings.DATABASE_ENGINE}


def _broker_state() -> dict[str, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "ok", "mode": "in-process"}
    import redis

    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return {"status": "error", "mode": "redis", "error": type(error).__name__}
    return {"status": "ok", "mode": "redis"}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(part["status"] == "ok" for part in state.values())
    return JsonResponse({"status": "ok" if healthy else "error", **state}, status=200 if healthy else 503)
