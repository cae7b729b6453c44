"""The token endpoints, and the boundaries of a token: it acts as its owner and nobody else,
and a revoked, rotated, misplaced or orphaned token is refused."""

import pytest
from rest_framework.test import APIClient

from casualties.api.auth import BAD_CREDENTIALS
from casualties.models import ApiToken, Claim, Incident
from casualties.services.tokens import api_token_digest, api_token_issue
from tests.factories import ClaimFactory, IncidentFactory
from tests.security.conftest import PASSWORD, make_user, token_client

pytestmark = pytest.mark.django_db

OBTAIN, ROTATE, REVOKE = "/api/v1/auth/token/", "/api/v1/auth/token/rotate/", "/api/v1/auth/token/revoke/"


def _patch(client: APIClient, incident: Incident, **body) -> int:
    return client.patch(f"/api/v1/incidents/{incident.pk}/", {"review_status": "verified", **body}).status_code


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- obtain, rotate, revoke -----------------------------------------------------------------


def test_obtaining_returns_the_users_token_and_it_works(analyst):
    client = APIClient()
    response = client.post(OBTAIN, {"username": "analyst1", "password": PASSWORD})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.json()["token"]
    assert response.json()["username"] == "analyst1"
    assert ApiToken.objects.get(user=analyst).digest == api_token_digest(key)
    assert _patch(with_token(key), IncidentFactory()) == 200
    # Only a digest is kept, so obtaining again issues a new key, and the old one stops working.
    again = client.post(OBTAIN, {"username": "analyst1", "password": PASSWORD}).json()["token"]
    assert again != key
    assert _patch(with_token(key), IncidentFactory()) == 401
    assert _patch(with_token(again), IncidentFactory()) == 200


def test_obtaining_accepts_a_form_body_too(analyst):
    response = APIClient().post(OBTAIN, {"username": "analyst1", "password": PASSWORD}, format="multipart")
    assert response.status_code == 415  # multipart is not accepted: JSON or a urlencoded form
    response = APIClient().post(
        OBTAIN, "username=analyst1&password=" + PASSWORD, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "analyst1", "password": "wrong"}, None),
        ({"username": "nobody", "password": PASSWORD}, None),
        ({"username": "analyst1"}, "password"),
        ({"password": PASSWORD}, "username"),
        ({"username": "analyst1", "password": PASSWORD, "user_id": 1}, "user_id"),
    ],
)
def test_bad_credentials_or_fields_are_a_400_naming_the_problem(analyst, body, field):
    response = APIClient().post(OBTAIN, body)
    assert response.status_code == 400
    body = response.json()
    if field is None:
        assert body == {"code": "invalid", "detail": BAD_CREDENTIALS, "errors": {}}
    else:
        assert field in body["errors"]
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token():
    make_user("gone", "analysts", is_active=False)
    response = APIClient().post(OBTAIN, {"username": "gone", "password": PASSWORD})
    assert response.status_code == 400
    # The same answer as a wrong password: it does not tell that the account exists.
    assert response.json() == {"code": "invalid", "detail": BAD_CREDENTIALS, "errors": {}}
    assert not ApiToken.objects.exists()


def test_rotating_replaces_the_token_and_the_old_one_gets_401(analyst):
    old_key = api_token_issue(user=analyst)
    old = with_token(old_key)
    response = old.post(ROTATE)
    assert response.status_code == 200
    new_key = response.json()["token"]
    assert new_key != old_key
    incident = IncidentFactory()
    assert _patch(old, incident) == 401
    assert _patch(with_token(new_key), incident) == 200


def test_revoking_deletes_the_token_and_it_gets_401(analyst):
    client = token_client(analyst)
    assert client.post(REVOKE).status_code == 204
    assert not ApiToken.objects.filter(user=analyst).exists()
    assert _patch(client, IncidentFactory()) == 401
    assert client.get("/api/v1/incidents/").status_code == 401  # a dead token is refused even for reads


def test_a_token_revoked_by_an_admin_gets_401(analyst):
    client = token_client(analyst)
    ApiToken.objects.filter(user=analyst).delete()
    assert _patch(client, IncidentFactory()) == 401


def test_rotating_and_revoking_need_credentials():
    assert APIClient().post(ROTATE).status_code == 401
    assert APIClient().post(REVOKE).status_code == 401
    assert with_token("0" * 40).post(REVOKE).status_code == 401


def test_rotating_only_touches_ones_own_token(analyst, other_analyst):
    other_key = api_token_issue(user=other_analyst)
    token_client(analyst).post(ROTATE)
    token_client(analyst).post(REVOKE)
    assert ApiToken.objects.get(user=other_analyst).digest == api_token_digest(other_key)


def test_the_endpoints_are_in_the_openapi_schema():
    paths = APIClient().get("/api/schema/", {"format": "json"}).json()["paths"]
    assert set(paths[OBTAIN]) >= {"post"}
    assert "429" in paths[OBTAIN]["post"]["responses"]
    assert "post" in paths[ROTATE]
    assert "204" in paths[REVOKE]["post"]["responses"]


# --- a token acts as its owner, and only a token in the header counts ----------------------------


def test_the_history_records_the_tokens_owner_whatever_the_body_or_session_says(analyst, other_analyst):
    client = token_client(analyst)
    # Another analyst's browser session on the same client changes nothing: the token decides.
    client.force_login(other_analyst)
    incident = IncidentFactory()
    for field in ("history_user", "user", "history_user_id", "analyst"):
        assert _patch(client, incident, **{field: other_analyst.pk}) == 400  # never silently accepted
    incident.refresh_from_db()
    assert incident.review_status == "unverified"
    assert _patch(client, incident, reason="checked") == 200
    assert incident.history.latest().history_user == analyst


def test_a_merge_is_recorded_under_the_tokens_owner_on_every_row(analyst, other_analyst):
    client = token_client(analyst)
    client.force_login(other_analyst)
    keep, drop = ClaimFactory().incident, ClaimFactory().incident
    response = client.post(f"/api/v1/incidents/{drop.pk}/merge/", {"into": keep.pk, "reason": "same strike"})
    assert response.status_code == 200
    rows = [
        *Incident.history.filter(id__in=[keep.pk, drop.pk], history_type="~"),
        *Claim.history.filter(incident_id=keep.pk, history_type="~"),
    ]
    assert rows
    assert {row.history_user_id for row in rows} == {analyst.pk}


@pytest.mark.parametrize("name", ["token", "auth_token", "key", "access_token", "Authorization"])
def test_a_token_in_the_query_string_is_ignored(analyst, name):
    key = api_token_issue(user=analyst)
    incident = IncidentFactory()
    value = f"Token {key}" if name == "Authorization" else key
    response = APIClient().patch(f"/api/v1/incidents/{incident.pk}/?{name}={value}", {"review_status": "verified"})
    assert response.status_code == 401
    incident.refresh_from_db()
    assert incident.review_status == "unverified"


def test_an_inactive_users_token_is_refused(analyst):
    client = token_client(analyst)
    analyst.is_active = False
    analyst.save()
    response = client.patch(f"/api/v1/incidents/{IncidentFactory().pk}/", {"review_status": "verified"})
    assert response.status_code == 401
    assert "inactive" in response.json()["detail"].lower()
    assert client.post(ROTATE).status_code == 401


def test_a_token_made_up_from_another_users_key_fails(analyst, other_analyst):
    key = api_token_issue(user=analyst)
    # Off by one character, or with the other user's name: neither works.
    assert _patch(with_token(key[:-1] + ("0" if key[-1] != "0" else "1")), IncidentFactory()) == 401
    assert _patch(with_token(f"{key}:{other_analyst.username}"), IncidentFactory()) == 401
