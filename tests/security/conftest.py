"""Users in each role, and clients acting as them by token (API) or session (dashboard, admin).

The roles are the groups casualties/services/roles.py creates after migrate; users get
them the way an admin gives them, by group. "inactive" is an analyst switched off
after signing in and getting a token.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from rest_framework.test import APIClient

from casualties.services.tokens import api_token_issue
from tests.factories import PASSWORD as PASSWORD  # the tests here import it from this module
from tests.factories import UserFactory

ROLES = ("anonymous", "viewer", "analyst", "admin", "inactive")


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counts(fresh_cache):
    """Throttle and lockout counts live in the cache; each test starts from zero."""


def make_user(username: str, role: str | None = None, **fields) -> User:
    user = UserFactory(username=username, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def user_for(role: str) -> User | None:
    """A fresh user in `role` ("viewer", "analyst", "admin", "inactive"); None for "anonymous"."""
    if role == "anonymous":
        return None
    if role == "admin":
        return make_user("admin1", "admins", is_staff=True)
    if role == "inactive":
        return make_user("gone", "analysts", is_staff=True)
    return make_user(f"{role}1", f"{role}s")


def _switch_off(user: User | None, role: str) -> None:
    if role == "inactive":
        user.is_active = False
        user.save(update_fields=["is_active"])


def api_client_for(role: str) -> APIClient:
    """An API client sending the role's token (made before an inactive user was switched off)."""
    client = APIClient()
    user = user_for(role)
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    _switch_off(user, role)
    return client


def session_client_for(role: str) -> Client:
    """A browser-like client signed in as the role (the session outlives an inactive user's switch-off)."""
    client = Client()
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    _switch_off(user, role)
    return client


@pytest.fixture
def other_analyst(db) -> User:
    return make_user("analyst2", "analysts")


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client
