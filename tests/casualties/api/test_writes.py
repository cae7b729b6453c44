"""Analysts review incidents through the API; everyone else only reads."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from casualties.models import Claim, Incident
from casualties.services.tokens import api_token_issue
from tests.factories import ArticleFactory, ClaimFactory, IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(incident: Incident, suffix: str = "") -> str:
    return f"/api/v1/incidents/{incident.pk}/{suffix}"


def test_anonymous_writes_are_401(client):
    incident = IncidentFactory()
    response = client.patch(url(incident), {"review_status": "verified"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert client.post(url(incident, "merge/"), {"into": IncidentFactory().pk}).status_code == 401
    incident.refresh_from_db()
    assert incident.review_status == "unverified"


def test_read_only_tokens_get_403_but_can_read(reader_client):
    incident = IncidentFactory()
    assert reader_client.patch(url(incident), {"review_status": "verified"}).status_code == 403
    assert reader_client.post(url(incident, "merge/"), {"into": IncidentFactory().pk}).status_code == 403
    assert reader_client.get(url(incident)).status_code == 200
    incident.refresh_from_db()
    assert incident.review_status == "unverified"


def test_a_bad_token_is_401(client):
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.patch(url(IncidentFactory()), {"review_status": "verified"}).status_code == 401


def test_analyst_verifies_and_the_history_names_them(analyst_client, analyst):
    incident = IncidentFactory()
    response = analyst_client.patch(url(incident), {"review_status": "verified", "reason": "two sources agree"})
    assert response.status_code == 200
    assert response.json()["review_status"] == "verified"
    latest = incident.history.latest()
    assert latest.review_status == "verified"
    assert latest.history_user == analyst
    assert latest.history_change_reason == "two sources agree"


def test_a_user_with_the_change_permission_is_an_analyst_too():
    user = UserFactory(username="editor")
    user.user_permissions.add(Permission.objects.get(codename="change_incident", content_type__app_label="casualties"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    incident = IncidentFactory()
    assert client.patch(url(incident), {"review_status": "rejected"}).status_code == 200
    incident.refresh_from_db()
    assert incident.review_status == "rejected"


def test_correcting_figures_locks_them(analyst_client, analyst):
    incident = IncidentFactory(killed_min=10, killed_max=12)
    response = analyst_client.patch(url(incident), {"killed_min": 14, "killed_max": 15, "actor": "Unknown"})
    assert response.status_code == 200, response.content
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max, incident.actor) == (14, 15, "Unknown")
    assert incident.figures_locked
    assert incident.history.latest().history_user == analyst


@pytest.mark.parametrize(
    "body",
    [
        {"figures_locked": False},
        {"merged_into": 1},
        {"id": 99},
        {"country": "IQ"},
        {"lat": 1.0},
        {"review_status": "merged"},
        {"review_status": "unverified"},
        {"killed_min": 20},  # above killed_max 12
        {"killed_max": -1},
        {"date_start": "2015-11-01"},  # after date_end
        {"event_type": "earthquake"},
        {},
        {"reason": "only a reason"},
    ],
)
def test_bad_or_unknown_fields_are_400s_and_change_nothing(analyst_client, body):
    incident = IncidentFactory(killed_min=10, killed_max=12)
    before = incident.history.count()
    response = analyst_client.patch(url(incident), body, format="json")
    assert response.status_code == 400, response.content
    assert isinstance(response.json(), dict)
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max, incident.figures_locked) == (10, 12, False)
    assert incident.review_status == "unverified"
    assert incident.history.count() == before


def test_put_and_delete_are_not_offered(analyst_client):
    incident = IncidentFactory()
    assert analyst_client.put(url(incident), {"review_status": "verified"}).status_code == 405
    assert analyst_client.delete(url(incident)).status_code == 405
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_merge_through_the_api(analyst_client, analyst):
    keep, drop = IncidentFactory(killed_min=None, killed_max=None), IncidentFactory()
    ClaimFactory(incident=keep, killed_min=5, killed_max=5)
    moved = ClaimFactory(incident=drop, killed_min=8, killed_max=9)
    response = analyst_client.post(url(drop, "merge/"), {"into": keep.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == keep.pk
    assert moved.pk in {claim["id"] for claim in body["claims"]}
    assert (body["killed_min"], body["killed_max"]) == (5, 9)
    drop.refresh_from_db()
    assert (drop.review_status, drop.merged_into_id) == ("merged", keep.pk)
    assert drop.history.latest().history_user == analyst


@pytest.mark.parametrize("into", ["self", 999999, "x", None])
def test_merge_bad_targets_are_400s(analyst_client, into):
    drop = IncidentFactory()
    response = analyst_client.post(url(drop, "merge/"), {"into": drop.pk if into == "self" else into}, format="json")
    assert response.status_code == 400
    drop.refresh_from_db()
    assert drop.review_status == "unverified"


def test_a_merged_incident_cannot_be_edited_or_merged_again(analyst_client):
    keep = IncidentFactory()
    merged = IncidentFactory(review_status="merged", merged_into=keep)
    assert analyst_client.patch(url(merged), {"review_status": "verified"}).status_code == 400
    assert analyst_client.post(url(merged, "merge/"), {"into": IncidentFactory().pk}).status_code == 400
    assert analyst_client.post(url(IncidentFactory(), "merge/"), {"into": merged.pk}).status_code == 400
    merged.refresh_from_db()
    assert (merged.review_status, merged.merged_into_id) == ("merged", keep.pk)


def test_merge_keeps_one_claim_per_article(analyst_client):
    keep, drop = IncidentFactory(), IncidentFactory()
    article = ArticleFactory()
    kept_claim = ClaimFactory(incident=keep, article=article)
    ClaimFactory(incident=drop, article=article)
    assert analyst_client.post(url(drop, "merge/"), {"into": keep.pk}).status_code == 200
    assert list(Claim.objects.filter(article=article)) == [kept_claim]
