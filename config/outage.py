"""A database that is down or restarting answers 503 "try again", in JSON for API clients, not a bare 500.

During a PostgreSQL restart or outage a request's query fails with OperationalError
(cannot connect, connection terminated) or InterfaceError (connection already
closed). The app reconnects by itself on the next request (CONN_HEALTH_CHECKS); this
middleware only makes the failed answer say what happened and that retrying will do:
503 with Retry-After, JSON for the API and the dashboard's JSON endpoints (the
format their clients parse), a short page for the rest. A write that gets it was
rolled back, unless the connection broke after its commit (PATCH reads the incident
back after writing it), so the message asks to check before resending. Statement timeouts are the
API's own 503 (casualties/database.py) and never reach this.

Shown by bench/faults/postgres_restart_edits.py and tests/reliability/test_database_outage.py.
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from config.errors import error_response

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
# A write may have committed just before the connection broke, so the message does not promise it did not.
MESSAGE = (
    "The database is unavailable for a moment; try again in a few seconds. "
    "A change sent with this request may not have been saved: check it before sending it again."
)
PAGE = (
    "<!doctype html><html lang='en'><head><title>Service unavailable (503)</title></head>"
    f"<body><h1>Service unavailable (503)</h1><p>{MESSAGE}</p></body></html>"
)


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path.startswith("/api/")
        or request.path.endswith(".json")
        or "json" in request.headers.get("Accept", "")
    )


def database_unavailable(exception: Exception) -> bool:
    """True for errors that say the database cannot be reached or dropped the connection.

    Other OperationalErrors (a statement timeout, SQLite refusing a query it finds too
    complex) are faults of the request or the code, and stay the usual 500.
    """
    if isinstance(exception, InterfaceError):
        return True  # "connection already closed"
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        # Class 08: connection exception; 57P01-57P03: shutting down, crashed, starting up.
        return sqlstate.startswith(("08", "57P"))
    # psycopg gives no SQLSTATE when the server cannot be reached or the connection dropped.
    return type(cause).__module__.startswith("psycopg")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
        if _wants_json(request):
            response: HttpResponse = error_response(status=503, code="unavailable", detail=MESSAGE)
        else:
            response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
