"""Splitting an incident and undoing a merge through the API: permissions, what moves, figures, history."""

import datetime

import pytest

from casualties.models import Claim, Incident
from casualties.services.review import incident_merge, incident_verify
from tests.factories import ArticleFactory, ClaimFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def url(incident: Incident, suffix: str) -> str:
    return f"/api/v1/incidents/{incident.pk}/{suffix}"


@pytest.fixture
def two_events():
    """One incident that joined a strike on a market (10 killed) and one on a school (3 killed) a day later."""
    incident = IncidentFactory(killed_min=3, killed_max=10)
    market = ClaimFactory(incident=incident, killed_min=10, killed_max=10, opened_incident=True)
    market_again = ClaimFactory(incident=incident, killed_min=9, killed_max=10)
    next_day = incident.date_start + datetime.timedelta(days=1)
    school = ClaimFactory(
        incident=incident, killed_min=3, killed_max=3, date_start=next_day, date_end=next_day, event_type="attack"
    )
    return incident, market, market_again, school


# --- split ---------------------------------------------------------------------------------------------------------


def test_split_needs_an_analyst(client, reader_client, two_events):
    incident, _market, _again, school = two_events
    assert client.post(url(incident, "split/"), {"claims": [school.pk]}, format="json").status_code == 401
    assert reader_client.post(url(incident, "split/"), {"claims": [school.pk]}, format="json").status_code == 403
    assert Incident.objects.count() == 1


def test_split_moves_the_claims_to_a_new_incident_and_recomputes_both(analyst_client, analyst, two_events):
    incident, market, market_again, school = two_events

    response = analyst_client.post(
        url(incident, "split/"), {"claims": [school.pk], "reason": "two strikes"}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    new = Incident.objects.get(pk=body["id"])
    assert response["Location"] == f"/api/v1/incidents/{new.pk}/"
    assert [claim["id"] for claim in body["claims"]] == [school.pk]
    assert (new.killed_min, new.killed_max, new.date_start, new.event_type) == (3, 3, school.date_start, "attack")
    assert (new.admin1_id, new.country, new.review_status) == (incident.admin1_id, "SY", "unverified")
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max) == (9, 10)
    assert set(incident.claims.values_list("pk", flat=True)) == {market.pk, market_again.pk}
    assert Claim.objects.get(pk=school.pk).opened_incident
    for changed in (incident, new):
        latest = changed.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (analyst, "two strikes")
    moved = Claim.history.filter(id=school.pk).latest()
    assert (moved.incident_id, moved.history_user, moved.history_change_reason) == (new.pk, analyst, "two strikes")


def test_the_incident_keeps_a_first_report_when_its_opener_is_split_off(analyst_client, two_events):
    incident, market, market_again, _school = two_events
    response = analyst_client.post(url(incident, "split/"), {"claims": [market.pk]}, format="json")
    assert response.status_code == 201
    assert Claim.objects.get(pk=market_again.pk).opened_incident
    assert incident.history.latest().history_change_reason.startswith(f"Split from incident {incident.pk}")


@pytest.mark.parametrize("which", ["all", "other", "none", "text"])
def test_split_refusals_are_400s_and_change_nothing(analyst_client, two_events, which):
    incident, market, market_again, school = two_events
    stranger = ClaimFactory()
    claims = {
        "all": [market.pk, market_again.pk, school.pk],
        "other": [school.pk, stranger.pk],
        "none": [],
        "text": ["school"],
    }[which]
    response = analyst_client.post(url(incident, "split/"), {"claims": claims}, format="json")
    assert response.status_code == 400
    assert "claims" in response.json()["errors"]
    assert Incident.objects.count() == 2  # the incident and the stranger's
    assert incident.claims.count() == 3
    if which == "other":
        assert response.json()["errors"]["claims"] == [f"Not claims of incident {incident.pk}: {stranger.pk}."]


def test_a_locked_incident_keeps_its_figures_but_the_split_is_in_its_history(analyst_client, analyst, two_events):
    incident, _market, _again, school = two_events
    Incident.objects.filter(pk=incident.pk).update(figures_locked=True, killed_min=12, killed_max=12)
    response = analyst_client.post(url(incident, "split/"), {"claims": [school.pk], "reason": "x"}, format="json")
    assert response.status_code == 201
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max) == (12, 12)
    assert incident.history.latest().history_user == analyst


# --- unmerge -------------------------------------------------------------------------------------------------------


def test_unmerge_needs_an_analyst(client, reader_client):
    keep, drop = IncidentFactory(), IncidentFactory()
    incident_merge(keep=keep, drop=drop, user=None)
    assert client.post(url(drop, "unmerge/"), {}, format="json").status_code == 401
    assert reader_client.post(url(drop, "unmerge/"), {}, format="json").status_code == 403
    drop.refresh_from_db()
    assert drop.review_status == "merged"


def test_unmerge_restores_status_claims_and_figures(analyst_client, analyst):
    shared_article = ArticleFactory()
    keep = IncidentFactory(killed_min=4, killed_max=5)
    keep_claim = ClaimFactory(incident=keep, killed_min=4, killed_max=5, opened_incident=True)
    ClaimFactory(incident=keep, article=shared_article, killed_min=5, killed_max=5)
    drop = IncidentFactory(killed_min=20, killed_max=30)
    drop_first = ClaimFactory(incident=drop, killed_min=20, killed_max=20, opened_incident=True)
    drop_second = ClaimFactory(incident=drop, killed_min=30, killed_max=30)
    drop_duplicate = ClaimFactory(incident=drop, article=shared_article, killed_min=25, killed_max=25)
    incident_verify(incident=drop, user=analyst, reason="checked")
    incident_merge(keep=keep, drop=drop, user=analyst, reason="same strike")
    assert not Claim.objects.filter(pk=drop_duplicate.pk).exists()  # merge drops a second claim from one article
    keep.refresh_from_db()
    assert keep.killed_max == 30

    response = analyst_client.post(url(drop, "unmerge/"), {"reason": "two strikes after all"}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["review_status"], body["merged_into"]) == ("verified", None)
    assert sorted(claim["id"] for claim in body["claims"]) == sorted([drop_first.pk, drop_second.pk, drop_duplicate.pk])
    drop.refresh_from_db()
    keep.refresh_from_db()
    assert (drop.killed_min, drop.killed_max) == (20, 30)
    assert (keep.killed_min, keep.killed_max) == (4, 5)
    assert Claim.objects.get(pk=drop_first.pk).opened_incident
    assert Claim.objects.get(pk=keep_claim.pk).opened_incident
    assert Claim.objects.get(pk=drop_duplicate.pk).killed_max == 25
    for changed in (drop, keep):
        latest = changed.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (analyst, "two strikes after all")


def test_unmerge_points_incidents_merged_into_the_restored_one_back_at_it(analyst_client):
    keep, middle, first = IncidentFactory(), IncidentFactory(), IncidentFactory()
    incident_merge(keep=middle, drop=first, user=None)
    incident_merge(keep=keep, drop=middle, user=None)
    first.refresh_from_db()
    assert first.merged_into_id == keep.pk

    assert analyst_client.post(url(middle, "unmerge/"), {}, format="json").status_code == 200

    first.refresh_from_db()
    middle.refresh_from_db()
    assert (middle.review_status, first.merged_into_id) == ("unverified", middle.pk)


def test_unmerging_an_incident_that_is_not_merged_is_a_400(analyst_client):
    incident = IncidentFactory()
    response = analyst_client.post(url(incident, "unmerge/"), {}, format="json")
    assert response.status_code == 400
    assert "not merged" in response.content.decode()


def test_unmerge_refuses_when_the_kept_incident_was_merged_since(analyst_client):
    keep, drop, later = IncidentFactory(), IncidentFactory(), IncidentFactory()
    incident_merge(keep=keep, drop=drop, user=None)
    incident_merge(keep=later, drop=keep, user=None)
    drop.refresh_from_db()
    response = analyst_client.post(url(drop, "unmerge/"), {}, format="json")
    assert response.status_code == 400
    assert "undo that merge first" in response.content.decode()
    drop.refresh_from_db()
    assert drop.review_status == "merged"
