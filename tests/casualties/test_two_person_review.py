"""Two-person verification (REVIEW_TWO_PERSON): one analyst verifies, a second confirms; both in the history."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from casualties.services.review import (
    ASKED_FOR_CONFIRMATION,
    NOT_THE_ASKER,
    NOT_THE_LAST_EDITOR,
    incident_correct,
    incident_reject,
    incident_verify,
)
from tests.factories import IncidentFactory, UserFactory, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_person(settings):
    settings.REVIEW_TWO_PERSON = True


@pytest.fixture
def first():
    return UserFactory(username="first", analyst=True)


@pytest.fixture
def second():
    return UserFactory(username="second", analyst=True)


def test_the_first_verify_leaves_it_unverified_awaiting_confirmation(first):
    incident = incident_verify(incident=IncidentFactory(), user=first)
    incident.refresh_from_db()
    assert (incident.review_status, incident.confirmation_requested_by, incident.awaiting_confirmation) == (
        "unverified",
        first,
        True,
    )
    latest = incident.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (first, ASKED_FOR_CONFIRMATION)


def test_a_second_analyst_confirms_and_the_history_has_both(first, second):
    incident = incident_verify(incident=IncidentFactory(), user=first, reason="two outlets agree")
    incident_verify(incident=incident, user=second, reason="checked the video")
    incident.refresh_from_db()
    assert (incident.review_status, incident.confirmation_requested_by, incident.awaiting_confirmation) == (
        "verified",
        None,
        False,
    )
    rows = list(incident.history.order_by("-history_date", "-history_id")[:2])
    assert [(row.history_user, row.review_status, row.history_change_reason) for row in rows] == [
        (second, "verified", "checked the video"),
        (first, "unverified", "two outlets agree"),
    ]


def test_the_asker_cannot_confirm_their_own_verification(first):
    incident = incident_verify(incident=IncidentFactory(), user=first)
    with pytest.raises(ValidationError) as refused:
        incident_verify(incident=incident, user=first)
    assert refused.value.messages == [NOT_THE_ASKER]
    incident.refresh_from_db()
    assert incident.review_status == "unverified"


def test_who_made_the_last_change_cannot_confirm(first, second):
    third = UserFactory(username="third", analyst=True)
    incident = incident_verify(incident=IncidentFactory(), user=first)
    incident_correct(incident=incident, user=second, changes={"killed_max": 15})
    with pytest.raises(ValidationError) as refused:
        incident_verify(incident=incident, user=second)
    assert refused.value.messages == [NOT_THE_LAST_EDITOR]
    incident_verify(incident=incident, user=third)
    incident.refresh_from_db()
    assert incident.review_status == "verified"


def test_a_rejection_ends_the_wait(first, second):
    incident = incident_verify(incident=IncidentFactory(), user=first)
    incident_reject(incident=incident, user=second, reason="same as 12")
    incident.refresh_from_db()
    assert (incident.review_status, incident.confirmation_requested_by) == ("rejected", None)
    # Verifying it again starts over: it awaits a confirmation again.
    incident_verify(incident=incident, user=second)
    incident.refresh_from_db()
    assert (incident.review_status, incident.confirmation_requested_by) == ("unverified", second)


def test_with_the_setting_off_one_analyst_verifies(settings, first):
    settings.REVIEW_TWO_PERSON = False
    incident = incident_verify(incident=IncidentFactory(), user=first)
    incident.refresh_from_db()
    assert (incident.review_status, incident.awaiting_confirmation) == ("verified", False)


# --- API ---------------------------------------------------------------------------------


def api_url(incident) -> str:
    return f"/api/v1/incidents/{incident.pk}/"


def test_the_api_asks_then_confirms_and_refuses_the_asker(first, second):
    incident = IncidentFactory()
    response = token_client(first).patch(api_url(incident), {"review_status": "verified"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["review_status"], body["awaiting_confirmation"], body["confirmation_requested_by"]) == (
        "unverified",
        True,
        "first",
    )
    refused = token_client(first).patch(api_url(incident), {"review_status": "verified"}, format="json")
    assert refused.status_code == 400
    assert NOT_THE_ASKER in str(refused.json())
    confirmed = token_client(second).patch(api_url(incident), {"review_status": "verified"}, format="json")
    assert confirmed.status_code == 200
    assert (confirmed.json()["review_status"], confirmed.json()["awaiting_confirmation"]) == ("verified", False)


def test_the_api_refuses_anonymous_with_401_and_viewers_with_403():
    incident = IncidentFactory()
    assert APIClient().patch(api_url(incident), {"review_status": "verified"}, format="json").status_code == 401
    viewer = token_client(UserFactory(viewer=True))
    assert viewer.patch(api_url(incident), {"review_status": "verified"}, format="json").status_code == 403
    incident.refresh_from_db()
    assert (incident.review_status, incident.confirmation_requested_by) == ("unverified", None)


# --- The incident page ---------------------------------------------------------------------


def test_the_page_asks_then_a_second_analyst_confirms(client, first, second):
    incident = IncidentFactory()
    client.force_login(first)
    page = client.post(f"/incidents/{incident.pk}/verify/", {"reason": ""}, follow=True).content.decode()
    assert "awaits a second analyst" in page
    assert 'id="awaiting-confirmation"' in page
    assert "Confirm verification" in page
    page = client.post(f"/incidents/{incident.pk}/verify/", {"reason": ""}, follow=True).content.decode()
    assert "Not saved: You verified this incident yourself" in page
    client.force_login(second)
    page = client.post(f"/incidents/{incident.pk}/verify/", {"reason": "ok"}, follow=True).content.decode()
    assert f"Incident {incident.pk} verified." in page
    # The history names who asked, never a user id.
    history = page[page.index('id="history"') :]
    assert "awaiting confirmation</code>: — → yes, verified by first" in history
    assert "awaiting confirmation</code>: yes, verified by first → —" in history
    incident.refresh_from_db()
    assert incident.review_status == "verified"
