import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import UserFactory, token_client


@pytest.fixture(autouse=True)
def _fresh_throttle_counts(fresh_cache):
    """The anonymous throttle counts in the cache; each test starts from zero."""


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def reader_client(db) -> APIClient:
    """Signed in by token, with no role."""
    return token_client(UserFactory(username="reader"))


@pytest.fixture
def read_overhead(settings) -> int:
    """Queries the statement timeout adds to a read: inside a test's transaction on PostgreSQL,
    SAVEPOINT, SET LOCAL statement_timeout and RELEASE SAVEPOINT; none on SQLite."""
    return 3 if connection.vendor == "postgresql" and settings.API_STATEMENT_TIMEOUT_MS else 0
