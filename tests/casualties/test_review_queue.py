"""The review queue: who may open it, what it lists and in which order, why, and its bulk decision."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casualties.models import REVIEW_MARKER_TTL, Incident, ReviewMarker
from casualties.selectors.queue import QueueReason, review_queue
from tests.factories import ClaimFactory, IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/review/"


@pytest.fixture
def analyst_web(client, analyst):
    client.force_login(analyst)
    return client


def _ids(queue) -> list[int]:
    return [row.incident.pk for row in queue.rows]


def test_visitors_get_the_sign_in_page_and_other_users_403(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("casualties:login"))
    client.force_login(UserFactory(viewer=True))
    assert client.get(QUEUE).status_code == 403
    assert client.post(reverse("casualties:review-decide"), {"incidents": [1], "decision": "verify"}).status_code == 403


def test_incidents_needing_review_come_first_then_by_toll_then_newest(analyst):
    march = datetime.date(2015, 3, 1)
    calm_big = IncidentFactory(killed_min=40, killed_max=40, date_start=march, date_end=march)
    ClaimFactory(incident=calm_big, killed_min=40, killed_max=40, confidence=0.9)
    doubtful_small = IncidentFactory(killed_min=2, killed_max=2)
    ClaimFactory(incident=doubtful_small, killed_min=2, killed_max=2, confidence=0.2)
    doubtful_big = IncidentFactory(killed_min=9, killed_max=9)
    ClaimFactory(incident=doubtful_big, killed_min=9, killed_max=9, confidence=0.1)
    verified = IncidentFactory(review_status=Incident.ReviewStatus.VERIFIED)
    ClaimFactory(incident=verified, confidence=0.1)

    queue = review_queue(incidents=Incident.objects.all(), user=analyst)

    assert _ids(queue) == [doubtful_big.pk, doubtful_small.pk, calm_big.pk]
    assert queue.total == 3
    assert queue.rows[0].reasons == [QueueReason.LOW_CONFIDENCE]
    assert queue.rows[2].reasons == []


def test_each_reason_is_found_and_counted(analyst):
    no_figure = IncidentFactory(killed_min=None, killed_max=None, admin1__code="01", admin1__name="Hasakah")
    ClaimFactory(incident=no_figure, killed_min=None, killed_max=None)
    disagree = IncidentFactory(killed_min=3, killed_max=30, admin1__code="02", admin1__name="Latakia")
    ClaimFactory(incident=disagree, killed_min=3, killed_max=5)
    ClaimFactory(incident=disagree, killed_min=20, killed_max=30)
    overlapping = IncidentFactory(killed_min=3, killed_max=8, admin1__code="03", admin1__name="Quneitra")
    ClaimFactory(incident=overlapping, killed_min=3, killed_max=5)
    ClaimFactory(incident=overlapping, killed_min=5, killed_max=8)
    twin_a = IncidentFactory(killed_min=4, killed_max=4, admin1__code="04", admin1__name="Raqqa")
    twin_b = IncidentFactory(killed_min=4, killed_max=5, admin1=twin_a.admin1)

    queue = review_queue(incidents=Incident.objects.all(), user=analyst)
    reasons = {row.incident.pk: row.reasons for row in queue.rows}

    assert reasons[no_figure.pk] == [QueueReason.NO_KILLED_FIGURE]
    assert reasons[disagree.pk] == [QueueReason.SOURCES_DISAGREE]
    assert reasons[overlapping.pk] == []
    assert reasons[twin_a.pk] == reasons[twin_b.pk] == [QueueReason.POSSIBLE_DUPLICATE]
    assert queue.by_reason == {
        QueueReason.LOW_CONFIDENCE: 0,
        QueueReason.NO_KILLED_FIGURE: 1,
        QueueReason.POSSIBLE_DUPLICATE: 2,
        QueueReason.SOURCES_DISAGREE: 1,
    }
    assert _ids(queue)[-1] == overlapping.pk


def test_the_page_applies_the_dashboards_filters_and_shows_every_claims_evidence(analyst_web):
    kept = IncidentFactory(event_type="shelling_artillery_missile")
    ClaimFactory(incident=kept, evidence="Shells fell on the market, killing ten.", confidence=0.3)
    ClaimFactory(incident=kept, evidence="Ten died when shells hit the market.", confidence=0.8)
    other = IncidentFactory(event_type="air_drone_strike")
    ClaimFactory(incident=other, evidence="A warplane struck the bakery.")

    response = analyst_web.get(QUEUE, {"event_type": "shelling_artillery_missile"})

    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="queue-row-{kept.pk}"' in page
    assert f'id="queue-row-{other.pk}"' not in page
    assert "<q>Shells fell on the market, killing ten.</q>" in page
    assert "<q>Ten died when shells hit the market.</q>" in page
    assert 'data-count="total">1<' in page
    assert 'data-count="low_confidence">1<' in page


def test_a_bad_filter_is_a_400_naming_it(analyst_web):
    response = analyst_web.get(QUEUE, {"date_from": "not-a-date"})
    assert response.status_code == 400
    assert "date_from" in response.content.decode()


def test_bulk_verify_records_user_and_reason_for_each(analyst_web, analyst):
    first, second, untouched = IncidentFactory(), IncidentFactory(), IncidentFactory()
    response = analyst_web.post(
        reverse("casualties:review-decide"),
        {"incidents": [first.pk, second.pk], "decision": "verify", "reason": "on the wire", "next_query": "country=SY"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/?country=SY"
    for incident in (first, second):
        incident.refresh_from_db()
        latest = incident.history.latest()
        assert (incident.review_status, latest.history_user, latest.history_change_reason) == (
            "verified",
            analyst,
            "on the wire",
        )
    untouched.refresh_from_db()
    assert untouched.review_status == "unverified"


def test_bulk_reject_is_all_or_nothing(analyst_web):
    live = IncidentFactory()
    keep = IncidentFactory()
    merged = IncidentFactory(review_status=Incident.ReviewStatus.MERGED, merged_into=keep)
    response = analyst_web.post(
        reverse("casualties:review-decide"), {"incidents": [live.pk, merged.pk], "decision": "reject"}, follow=True
    )
    assert "Nothing saved" in response.content.decode()
    live.refresh_from_db()
    assert live.review_status == "unverified"


def test_bulk_with_nothing_ticked_or_a_bad_decision_says_so(analyst_web):
    incident = IncidentFactory()
    page = analyst_web.post(reverse("casualties:review-decide"), {"decision": "verify"}, follow=True).content.decode()
    assert "Tick at least one incident." in page
    page = analyst_web.post(
        reverse("casualties:review-decide"), {"incidents": [incident.pk], "decision": "merge"}, follow=True
    ).content.decode()
    assert "Nothing saved" in page
    incident.refresh_from_db()
    assert incident.review_status == "unverified"


def test_opening_an_incident_marks_it_for_other_analysts_until_it_lapses_or_is_decided(client, analyst):
    incident = IncidentFactory()
    colleague = UserFactory(username="colleague", analyst=True)
    client.force_login(colleague)
    client.get(reverse("casualties:incident", args=[incident.pk]))
    assert ReviewMarker.objects.get(incident=incident).user == colleague

    client.force_login(analyst)
    queue = client.get(QUEUE).content.decode()
    assert "being reviewed by colleague" in queue
    page = client.get(reverse("casualties:incident", args=[incident.pk])).content.decode()
    assert 'id="being-reviewed">being reviewed by colleague<' in page
    # Now the analyst holds it: the colleague sees them, they do not see themselves.
    assert "being reviewed by" not in client.get(QUEUE).content.decode()

    ReviewMarker.objects.filter(incident=incident).update(started_at=timezone.now() - REVIEW_MARKER_TTL)
    client.force_login(colleague)
    assert "being reviewed by" not in client.get(QUEUE).content.decode()

    client.force_login(analyst)
    client.get(reverse("casualties:incident", args=[incident.pk]))
    client.post(reverse("casualties:review-decide"), {"incidents": [incident.pk], "decision": "verify"})
    assert not ReviewMarker.objects.filter(incident=incident).exists()


def test_the_queue_reads_a_fixed_number_of_queries(analyst, django_assert_max_num_queries):
    for _ in range(5):
        incident = IncidentFactory()
        ClaimFactory(incident=incident)
        ClaimFactory(incident=incident)
    with django_assert_max_num_queries(6):
        queue = review_queue(incidents=Incident.objects.all(), user=analyst)
        assert len(queue.rows) == 5
        assert all(len(row.claims) == 2 and row.claims[0].article.source for row in queue.rows)
