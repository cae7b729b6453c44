import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from casualties.services.tokens import api_token_issue


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # The anonymous throttle counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def analyst(db) -> User:
    user = User.objects.create_user("analyst", password="pw")
    user.groups.add(Group.objects.get_or_create(name="analysts")[0])
    return user


@pytest.fixture
def analyst_client(analyst) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=analyst)}")
    return client


@pytest.fixture
def reader_client(db) -> APIClient:
    user = User.objects.create_user("reader", password="pw")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


@pytest.fixture
def read_overhead(settings) -> int:
    """Queries the statement timeout adds to a read: inside a test's transaction on PostgreSQL,
    SAVEPOINT, SET LOCAL statement_timeout and RELEASE SAVEPOINT; none on SQLite."""
    return 3 if connection.vendor == "postgresql" and settings.API_STATEMENT_TIMEOUT_MS else 0
