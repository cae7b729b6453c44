"""The review services: verify, reject, correct and merge, recorded in the history."""

import pytest
from django.core.exceptions import ValidationError

from casualties.models import Claim, Incident
from casualties.services.review import (
    incident_correct,
    incident_merge,
    incident_reject,
    incident_review,
    incident_verify,
)
from tests.factories import ArticleFactory, ClaimFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_verify_and_reject_record_the_user(analyst):
    incident = IncidentFactory()
    incident_reject(incident=incident, user=analyst, reason="duplicate report")
    incident_verify(incident=Incident.objects.get(pk=incident.pk), user=analyst)
    rejected, verified = incident.history.order_by("history_date")[1:3]
    assert (rejected.review_status, rejected.history_change_reason) == ("rejected", "duplicate report")
    assert (verified.review_status, verified.history_user) == ("verified", analyst)


def test_correct_locks_figures_so_later_claims_do_not_move_them(analyst):
    from casualties.services.figures import incident_refresh_figures

    incident = IncidentFactory(killed_min=10, killed_max=12)
    incident_correct(incident=incident, user=analyst, changes={"killed_min": 20, "killed_max": 25})
    ClaimFactory(incident=incident, killed_min=1, killed_max=1)
    incident_refresh_figures(incident=incident)
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max, incident.figures_locked) == (20, 25, True)


def test_correcting_other_fields_does_not_lock_figures(analyst):
    incident = IncidentFactory()
    incident_correct(incident=incident, user=analyst, changes={"actor": "ISIS"})
    incident.refresh_from_db()
    assert (incident.actor, incident.figures_locked) == ("ISIS", False)


@pytest.mark.parametrize(
    "changes", [{"review_status": "verified"}, {"lat": 1.0}, {"killed_min": 13}, {"injured_min": -2}]
)
def test_correct_refuses_fields_outside_the_set_and_broken_invariants(analyst, changes):
    incident = IncidentFactory(killed_min=10, killed_max=12)
    with pytest.raises(ValidationError):
        incident_correct(incident=incident, user=analyst, changes=changes)
    incident.refresh_from_db()
    assert (incident.killed_min, incident.review_status, incident.lat) == (10, "unverified", None)


def test_review_is_all_or_nothing(analyst):
    incident = IncidentFactory(killed_min=10, killed_max=12)
    with pytest.raises(ValidationError):
        incident_review(incident=incident, user=analyst, changes={"actor": "X"}, review_status="merged")
    incident.refresh_from_db()
    assert incident.actor == ""


def test_merge_moves_claims_drops_duplicates_and_refreshes_figures(analyst):
    keep = IncidentFactory(killed_min=None, killed_max=None)
    drop = IncidentFactory()
    shared_article = ArticleFactory()
    keep_claim = ClaimFactory(incident=keep, article=shared_article, killed_min=10, killed_max=10, opened_incident=True)
    duplicate = ClaimFactory(incident=drop, article=shared_article, killed_min=40, killed_max=40)
    moved = ClaimFactory(incident=drop, killed_min=12, killed_max=14, opened_incident=True)

    result = incident_merge(keep=keep, drop=drop, user=analyst)

    assert result.pk == keep.pk
    assert set(keep.claims.values_list("pk", flat=True)) == {keep_claim.pk, moved.pk}
    assert not Claim.objects.filter(pk=duplicate.pk).exists()
    drop.refresh_from_db()
    keep.refresh_from_db()
    assert (drop.review_status, drop.merged_into_id) == ("merged", keep.pk)
    assert not drop.claims.exists()
    moved.refresh_from_db()
    assert not moved.opened_incident  # keep keeps its own first report
    # The duplicate's 40 is gone with it: keep's figures span only the claims it now has.
    assert (keep.killed_min, keep.killed_max) == (10, 14)
    assert drop.history.latest().history_user == analyst
    assert Claim.history.filter(id=moved.pk).latest().history_user == analyst
    assert Claim.history.filter(id=duplicate.pk, history_type="-").get().history_user == analyst


def test_merge_repoints_incidents_merged_into_the_dropped_one(analyst):
    keep, drop = IncidentFactory(), IncidentFactory()
    earlier = IncidentFactory(review_status="merged", merged_into=drop)
    incident_merge(keep=keep, drop=drop, user=analyst)
    earlier.refresh_from_db()
    assert earlier.merged_into_id == keep.pk


def test_merge_respects_locked_figures(analyst):
    keep = IncidentFactory(killed_min=3, killed_max=3, figures_locked=True)
    drop = IncidentFactory()
    ClaimFactory(incident=drop, killed_min=50, killed_max=50)
    incident_merge(keep=keep, drop=drop, user=analyst)
    keep.refresh_from_db()
    assert (keep.killed_min, keep.killed_max) == (3, 3)
    assert keep.claims.count() == 1


@pytest.mark.parametrize("case", ["self", "keep_merged", "drop_merged"])
def test_merge_refuses_and_changes_nothing(analyst, case):
    other = IncidentFactory()
    keep, drop = IncidentFactory(), IncidentFactory()
    claim = ClaimFactory(incident=drop)
    if case == "self":
        keep = drop
    elif case == "keep_merged":
        Incident.objects.filter(pk=keep.pk).update(review_status="merged", merged_into=other)
        keep.refresh_from_db()
    else:
        Incident.objects.filter(pk=drop.pk).update(review_status="merged", merged_into=other)
        drop.refresh_from_db()
    with pytest.raises(ValidationError):
        incident_merge(keep=keep, drop=drop, user=analyst)
    claim.refresh_from_db()
    assert claim.incident_id == drop.pk


def test_merge_into_an_incident_without_an_opener_keeps_drops_opener(analyst):
    keep, drop = IncidentFactory(), IncidentFactory()
    opener = ClaimFactory(incident=drop, opened_incident=True)
    incident_merge(keep=keep, drop=drop, user=analyst)
    opener.refresh_from_db()
    assert (opener.incident_id, opener.opened_incident) == (keep.pk, True)
