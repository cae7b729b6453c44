"""A statement timeout for public reads, so one expensive query cannot hold the database."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction


@contextmanager
def statement_timeout(milliseconds: int | None = None) -> Iterator[None]:
    """Inside: every statement on PostgreSQL is cancelled after `milliseconds` (API_STATEMENT_TIMEOUT_MS).

    Opens a transaction, because `SET LOCAL` lasts until its end and so never
    leaks into the next request on a persistent connection. A no-op on SQLite
    or when the timeout is 0.
    """
    timeout = settings.API_STATEMENT_TIMEOUT_MS if milliseconds is None else milliseconds
    if connection.vendor != "postgresql" or not timeout:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            # An int, so formatting it in is safe; SET takes no bind parameters.
            cursor.execute(f"SET LOCAL statement_timeout = {int(timeout)}")
        yield


def is_statement_timeout(error: Exception) -> bool:
    """True for PostgreSQL's "canceling statement due to statement timeout" (SQLSTATE 57014)."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "57014" or "statement timeout" in str(error)
