"""The incident page's workspace forms (no browser): relocate, split, undo a merge."""

import pytest
from django.urls import reverse

from casualties.models import Claim, Incident
from casualties.services.review import incident_merge
from tests.factories import ClaimFactory, IncidentFactory, SearchablePlaceFactory, UserFactory

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


def test_the_split_form_makes_a_new_incident_of_the_ticked_claims(analyst_web, analyst):
    incident = IncidentFactory()
    stays = ClaimFactory(incident=incident, killed_min=10, killed_max=10)
    leaves = ClaimFactory(incident=incident, killed_min=2, killed_max=2)
    page = analyst_web.get(reverse("casualties:incident", args=[incident.pk])).content.decode()
    assert f'id="split-claim-{leaves.pk}"' in page

    response = analyst_web.post(action(incident, "split"), {"claims": [leaves.pk], "reason": "other village"})

    new = Incident.objects.exclude(pk=incident.pk).get()
    assert response["Location"] == reverse("casualties:incident", args=[new.pk])
    assert list(new.claims.values_list("pk", flat=True)) == [leaves.pk]
    assert list(incident.claims.values_list("pk", flat=True)) == [stays.pk]
    assert (new.killed_max, new.history.latest().history_user) == (2, analyst)


def test_the_split_form_refuses_all_claims_or_none_in_plain_words(analyst_web):
    incident = IncidentFactory()
    claims = [ClaimFactory(incident=incident).pk, ClaimFactory(incident=incident).pk]
    page = analyst_web.post(action(incident, "split"), {"claims": claims}, follow=True).content.decode()
    assert "Leave at least one claim on this incident" in page
    page = analyst_web.post(action(incident, "split"), {}, follow=True).content.decode()
    assert "Tick the claims that form the new incident." in page
    assert Incident.objects.count() == 1


def test_an_incident_with_one_claim_offers_no_split(analyst_web):
    incident = IncidentFactory()
    ClaimFactory(incident=incident)
    page = analyst_web.get(reverse("casualties:incident", args=[incident.pk])).content.decode()
    assert 'id="split-form"' not in page


def test_undo_merge_from_the_merged_incidents_page(analyst_web, analyst):
    keep, drop = IncidentFactory(), IncidentFactory()
    moved = ClaimFactory(incident=drop)
    incident_merge(keep=keep, drop=drop, user=analyst)
    page = analyst_web.get(reverse("casualties:incident", args=[drop.pk])).content.decode()
    assert 'id="unmerge-button">Undo merge<' in page

    response = analyst_web.post(action(drop, "unmerge"), {"reason": "not the same"}, follow=True)

    assert f"Merge undone: incident {drop.pk} stands on its own again." in response.content.decode()
    drop.refresh_from_db()
    assert (drop.review_status, drop.merged_into_id) == ("unverified", None)
    assert Claim.objects.get(pk=moved.pk).incident_id == drop.pk
    assert drop.history.latest().history_change_reason == "not the same"


def test_undo_merge_of_an_incident_that_is_not_merged_says_why(analyst_web):
    incident = IncidentFactory()
    page = analyst_web.post(action(incident, "unmerge"), {}, follow=True).content.decode()
    assert "is not merged: there is nothing to undo" in page


def _details(incident, **changes) -> dict[str, str]:
    data = {
        "date_start": incident.date_start.isoformat(),
        "date_end": incident.date_end.isoformat(),
        "date_precision": incident.date_precision,
        "event_type": incident.event_type,
        "actor": incident.actor,
        "victims": incident.victims,
        "note": incident.note,
        "reason": "",
    }
    data.update({key: str(value) for key, value in changes.items()})
    return data


def test_the_details_form_edits_dates_type_actor_victims_and_note_with_history(analyst_web, analyst):
    incident = IncidentFactory(event_type="other", actor="")
    data = _details(
        incident,
        date_start="2016-03-06",
        date_end="2016-03-07",
        date_precision="span",
        event_type="air_drone_strike",
        actor="government forces",
        victims="civilians",
        note="Two outlets agree on the market; the monitor's date is a day late.",
        reason="checked against the monitor",
    )
    response = analyst_web.post(action(incident, "details"), data, follow=True)

    assert response.status_code == 200
    incident.refresh_from_db()
    assert (incident.date_start.isoformat(), incident.date_end.isoformat(), incident.date_precision) == (
        "2016-03-06",
        "2016-03-07",
        "span",
    )
    assert (incident.event_type, incident.actor, incident.victims) == (
        "air_drone_strike",
        "government forces",
        "civilians",
    )
    assert "market" in incident.note
    assert not incident.figures_locked  # only figures lock the figures
    latest = incident.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (analyst, "checked against the monitor")
    assert "the monitor&#x27;s date is a day late" in response.content.decode()


def test_the_details_form_refuses_a_last_day_before_the_first_beside_the_field(analyst_web):
    incident = IncidentFactory()
    before = (incident.date_start, incident.date_end)
    response = analyst_web.post(
        action(incident, "details"), _details(incident, date_start="2016-03-09", date_end="2016-03-02")
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The last day (2016-03-02) is before the first (2016-03-09)" in page
    incident.refresh_from_db()
    assert (incident.date_start, incident.date_end) == before


def test_viewers_cannot_edit_details(client):
    incident = IncidentFactory()
    client.force_login(UserFactory(viewer=True))
    assert client.post(action(incident, "details"), _details(incident, note="mine")).status_code == 403
    incident.refresh_from_db()
    assert incident.note == ""


def test_the_details_form_says_which_fields_it_saved(analyst_web):
    incident = IncidentFactory(actor="")
    response = analyst_web.post(action(incident, "details"), _details(incident, actor="gunmen"), follow=True)
    assert f"Incident {incident.pk}: actor saved." in response.content.decode()
