"""The incident page's workspace forms (no browser): relocate, split, undo a merge."""

import pytest
from django.urls import reverse

from tests.factories import IncidentFactory, SearchablePlaceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_web(client, analyst):
    client.force_login(analyst)
    return client


def action(incident, name: str) -> str:
    return reverse("casualties:incident-action", args=[incident.pk, name])


def test_the_relocate_form_moves_the_incident_and_says_so(analyst_web, analyst):
    incident = IncidentFactory()
    place = SearchablePlaceFactory(name="Saraqib", lat=35.86, lon=36.8)
    page = analyst_web.get(reverse("casualties:incident", args=[incident.pk])).content.decode()
    assert 'id="relocate-form"' in page
    assert 'data-places-url="/api/v1/places/"' in page

    response = analyst_web.post(
        action(incident, "relocate"), {"place_id": place.pk, "reason": "wrong town"}, follow=True
    )

    assert f"Incident {incident.pk} moved to Saraqib." in response.content.decode()
    incident.refresh_from_db()
    assert (incident.place_id, incident.lat, incident.location_precision) == (place.pk, 35.86, "place")
    latest = incident.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (analyst, "wrong town")


@pytest.mark.parametrize(
    ("data", "message"), [({}, "Search for a place and choose one."), ({"place_id": 99999}, "No place 99999.")]
)
def test_the_relocate_form_without_a_known_place_says_why(analyst_web, data, message):
    incident = IncidentFactory()
    page = analyst_web.post(action(incident, "relocate"), data, follow=True).content.decode()
    assert message in page
    incident.refresh_from_db()
    assert incident.place_id is None


def test_viewers_cannot_relocate(client):
    incident = IncidentFactory()
    client.force_login(UserFactory(viewer=True))
    assert client.post(action(incident, "relocate"), {"place_id": SearchablePlaceFactory().pk}).status_code == 403
    page = client.get(reverse("casualties:incident", args=[incident.pk])).content.decode()
    assert 'id="relocate-form"' not in page
