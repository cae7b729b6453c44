"""Finding 2 of the review of 9600419: admins read (and used) everyone's API keys in the admin.
Now only a digest is stored: the owner sees a key once, when it is issued; admins list tokens
(prefix, owner, created, last used) and revoke them, and nobody can read a key back."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from casualties.models import ApiToken
from casualties.services.tokens import api_token_issue
from tests.factories import IncidentFactory
from tests.security.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _admin_client() -> Client:
    client = Client()
    client.force_login(make_user("admin1", "admins", is_staff=True))
    return client


def _key_of(user: User) -> str:
    return APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}).json()["token"]


def test_an_admins_token_list_and_change_pages_do_not_contain_the_key():
    analyst = make_user("analyst1", "analysts")
    root = User.objects.create_superuser("root", password=PASSWORD)
    keys = [_key_of(analyst), _key_of(root)]
    client = _admin_client()
    listing = client.get("/admin/casualties/apitoken/")
    assert listing.status_code == 200
    pages = [listing.content.decode()]
    for token in ApiToken.objects.all():
        page = client.get(f"/admin/casualties/apitoken/{token.pk}/change/")
        assert page.status_code == 200
        pages.append(page.content.decode())
        assert token.prefix in page.content.decode()  # enough to tell tokens apart
        assert token.digest not in page.content.decode()
    for key in keys:
        assert all(key not in page for page in pages)
    assert "analyst1" in pages[0]
    assert "root" in pages[0]


def test_the_old_token_admin_is_gone():
    assert _admin_client().get("/admin/authtoken/tokenproxy/").status_code == 404


def test_a_superusers_key_is_nowhere_in_the_database():
    root = User.objects.create_superuser("root", password=PASSWORD)
    key = _key_of(root)
    with connection.cursor() as cursor:
        for table in ("casualties_apitoken", "authtoken_token"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            assert all(key not in str(row) for row in cursor.fetchall())
    assert ApiToken.objects.get(user=root).prefix == key[:8]


def test_an_admin_cannot_edit_a_token_into_a_known_key():
    analyst = make_user("analyst1", "analysts")
    api_token_issue(user=analyst)
    token = ApiToken.objects.get(user=analyst)
    client = _admin_client()
    client.post(f"/admin/casualties/apitoken/{token.pk}/change/", {"prefix": "x", "digest": "0" * 64})
    assert ApiToken.objects.get(pk=token.pk).digest == token.digest


def test_an_issued_key_authenticates_and_records_when_it_was_used():
    analyst = make_user("analyst1", "analysts")
    key = _key_of(analyst)
    assert ApiToken.objects.get(user=analyst).last_used is None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    incident = IncidentFactory()
    assert client.patch(f"/api/v1/incidents/{incident.pk}/", {"review_status": "verified"}).status_code == 200
    assert ApiToken.objects.get(user=analyst).last_used is not None


def test_an_admin_revokes_a_token_and_it_is_refused():
    analyst = make_user("analyst1", "analysts")
    key = _key_of(analyst)
    token = ApiToken.objects.get(user=analyst)
    response = _admin_client().post(f"/admin/casualties/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/incidents/").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_keys_and_they_keep_working():
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("casualties", "0005_map_and_governorate_indexes")], [("casualties", "0006_api_token")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state([*before, ("authtoken", "0004_alter_tokenproxy_options")]).apps
    user = old_apps.get_model("auth", "User").objects.create(username="analyst1")
    key = "0123456789abcdef0123456789abcdef01234567"
    old_apps.get_model("authtoken", "Token").objects.create(key=key, user_id=user.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    token = ApiToken.objects.get(user_id=user.pk)
    assert token.prefix == key[:8]
    assert key not in token.digest
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0  # no key is left in clear
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/auth/token/revoke/").status_code == 405  # authenticated: the method is wrong
    assert client.post("/api/v1/auth/token/revoke/").status_code == 204
    assert not ApiToken.objects.exists()
    # Back to the latest schema: the tests after this one need every later migration applied.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_command_prints_a_working_key_once_and_replaces_the_old():
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    analyst = make_user("analyst1", "analysts")
    old = _key_of(analyst)
    out = StringIO()
    call_command("api_token", "analyst1", stdout=out)
    key = out.getvalue().strip()
    assert len(key) == 40
    assert key != old
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/incidents/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/incidents/").status_code == 200
    with pytest.raises(CommandError):
        call_command("api_token", "nobody")
