"""The database itself refuses rows that break the record's invariants."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from casualties.models import Incident
from tests.factories import Admin1Factory, ArticleFactory, ClaimFactory, IncidentFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def _refused(factory, **fields) -> bool:
    try:
        with transaction.atomic():
            factory(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "field", ["killed_min", "killed_max", "injured_min", "injured_max", "children_killed", "women_killed"]
)
def test_it_rejects_negative_counts(field):
    fields = {"killed_min": None, "killed_max": None, field: -1}
    assert _refused(IncidentFactory, **fields)
    assert _refused(ClaimFactory, **fields)


def test_it_rejects_min_above_max():
    assert _refused(IncidentFactory, killed_min=13, killed_max=12)
    assert _refused(IncidentFactory, killed_min=None, killed_max=None, injured_min=5, injured_max=4)
    assert _refused(ClaimFactory, killed_min=3, killed_max=2)


def test_it_accepts_equal_min_and_max_and_open_figures():
    assert not _refused(IncidentFactory, killed_min=12, killed_max=12)
    assert not _refused(IncidentFactory, killed_min=None, killed_max=None, injured_min=6, injured_max=6)


def test_it_rejects_dates_that_end_before_they_start():
    assert _refused(IncidentFactory, date_start=datetime.date(2015, 10, 16), date_end=datetime.date(2015, 10, 15))
    assert _refused(ClaimFactory, date_start=datetime.date(2015, 10, 16), date_end=datetime.date(2015, 10, 15))


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (-90.5, 0), (0, 180.01), (0, -181)])
def test_it_rejects_coordinates_out_of_range(lat, lon):
    assert _refused(IncidentFactory, location_precision="place", lat=lat, lon=lon)
    assert _refused(PlaceFactory, lat=lat, lon=lon)


def test_it_never_stores_a_fake_point_for_an_admin1_or_country_location():
    assert _refused(IncidentFactory, location_precision="admin1", lat=35.9, lon=36.6)
    assert _refused(IncidentFactory, location_precision="country", lat=35.0, lon=38.0)
    assert _refused(IncidentFactory, location_precision="place", lat=35.9, lon=None)
    assert not _refused(IncidentFactory, location_precision="place", lat=35.9, lon=36.6)


def test_merged_status_and_merged_into_go_together():
    keep = IncidentFactory()
    assert _refused(IncidentFactory, review_status=Incident.ReviewStatus.MERGED)
    assert _refused(IncidentFactory, review_status=Incident.ReviewStatus.VERIFIED, merged_into=keep)
    assert not _refused(IncidentFactory, review_status=Incident.ReviewStatus.MERGED, merged_into=keep)


def test_an_incident_cannot_be_merged_into_itself():
    incident = IncidentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(review_status="merged", merged_into=incident)


def test_claim_evidence_span_and_confidence_are_checked():
    assert _refused(ClaimFactory, evidence_start=10, evidence_end=5)
    assert _refused(ClaimFactory, confidence=1.5)
    assert _refused(ClaimFactory, confidence=-0.1)


def test_one_claim_per_article_and_incident():
    claim = ClaimFactory()
    assert _refused(ClaimFactory, incident=claim.incident, article=claim.article)


def test_article_text_hash_and_url_are_unique():
    article = ArticleFactory(url="https://news.example/a/1")
    assert _refused(ArticleFactory, text=article.text)
    assert _refused(ArticleFactory, url="https://news.example/a/1")
    # Articles submitted as text have no URL, and any number of them may exist.
    ArticleFactory(url=None)
    ArticleFactory(url=None)


def test_a_failed_article_says_why():
    assert _refused(ArticleFactory, status="failed", failure_reason="")
    assert not _refused(ArticleFactory, status="failed", failure_reason="response over 5 MB")


def test_admin1_code_is_unique_per_country():
    Admin1Factory(country="SY", code="12", name="Idlib")
    from casualties.models import Admin1

    with pytest.raises(IntegrityError), transaction.atomic():
        Admin1.objects.create(country="SY", code="12", name="Idleb")
    Admin1.objects.create(country="IQ", code="12", name="Other country, same code")


def test_incident_edits_are_kept_in_history():
    incident = IncidentFactory(killed_min=10, killed_max=12)
    incident.killed_max = 15
    incident.review_status = Incident.ReviewStatus.VERIFIED
    incident.save()
    versions = list(incident.history.order_by("history_date").values_list("killed_max", "review_status"))
    assert versions == [(12, "unverified"), (15, "verified")]
