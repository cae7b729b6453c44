"""Filing extracted incidents across articles: join the same event, open new ones otherwise."""

import pytest

from casualties.models import Claim, Incident
from casualties.services import filing
from tests.factories import Admin1Factory, ArticleFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def file(*, article, incidents):
    return filing.article_file_incidents(article=article, incidents=incidents, extractor_version="test-1")


@pytest.fixture
def idlib():
    return Admin1Factory(country="SY", code="12", name="Idlib")


@pytest.fixture
def ariha(idlib):
    return PlaceFactory(geonameid=172994, name="Arīḩā", ascii_name="Ariha", admin1=idlib, lat=35.81374, lon=36.60964)


def found(**fields):
    """One incident as the extraction engine returns it."""
    base = {
        "date_start": "2015-11-29",
        "date_end": "2015-11-29",
        "date_precision": "day",
        "country": "SY",
        "admin1": "Idlib",
        "admin1_code": "12",
        "place": "Ariha",
        "geonameid": 172994,
        "lat": 35.81374,
        "lon": 36.60964,
        "location_precision": "place",
        "killed_min": 40,
        "killed_max": 40,
        "injured_min": None,
        "injured_max": None,
        "children_killed": None,
        "women_killed": None,
        "victims": "civilians",
        "actor": "Russia",
        "event_type": "air_drone_strike",
        "aggregate": False,
        "evidence": "An air strike on the market killed 40 people.",
        "evidence_start": 0,
        "evidence_end": 45,
        "confidence": 0.8,
    }
    base.update(fields)
    return base


def test_two_reports_of_one_strike_give_one_incident_with_both_claims(ariha):
    first, second = ArticleFactory(), ArticleFactory()
    result_1 = file(article=first, incidents=[found(killed_min=40, killed_max=40)])
    result_2 = file(
        article=second,
        incidents=[
            found(
                date_start="2015-11-30",
                date_end="2015-11-30",
                killed_min=44,
                killed_max=49,
                injured_min=80,
                injured_max=80,
            )
        ],
    )
    assert (result_1.created, result_2.created, result_2.joined) == (1, 0, 1)
    incident = Incident.objects.get()
    assert incident.claims.count() == 2
    assert (incident.killed_min, incident.killed_max) == (40, 49)
    assert (incident.injured_min, incident.injured_max) == (80, 80)
    assert incident.place == ariha
    assert (incident.lat, incident.lon, incident.location_precision) == (ariha.lat, ariha.lon, "place")
    assert list(incident.claims.order_by("id").values_list("opened_incident", flat=True)) == [True, False]


def test_reports_days_apart_or_in_other_places_stay_apart(ariha, idlib):
    other_place = PlaceFactory(geonameid=1, name="Saraqib", admin1=idlib)
    file(article=ArticleFactory(), incidents=[found()])
    file(article=ArticleFactory(), incidents=[found(date_start="2015-12-02", date_end="2015-12-02")])
    file(
        article=ArticleFactory(),
        incidents=[found(place="Saraqib", geonameid=other_place.geonameid, lat=other_place.lat, lon=other_place.lon)],
    )
    file(article=ArticleFactory(), incidents=[found(event_type="armed_clash")])
    file(article=ArticleFactory(), incidents=[found(aggregate=True)])
    assert Incident.objects.count() == 5


def test_a_report_with_no_place_joins_the_incident_in_its_admin1(ariha):
    file(article=ArticleFactory(), incidents=[found()])
    file(
        article=ArticleFactory(),
        incidents=[
            found(
                place=None,
                geonameid=None,
                lat=None,
                lon=None,
                location_precision="admin1",
                killed_min=35,
                killed_max=35,
            )
        ],
    )
    incident = Incident.objects.get()
    assert (incident.killed_min, incident.killed_max) == (35, 40)


def test_filing_the_same_article_again_changes_nothing(ariha):
    article = ArticleFactory()
    file(article=article, incidents=[found()])
    before = list(Incident.objects.values_list("id", "killed_min", "killed_max"))
    file(article=article, incidents=[found()])
    assert list(Incident.objects.values_list("id", "killed_min", "killed_max")) == before
    assert Claim.objects.count() == 1


def test_re_extraction_replaces_the_articles_claims_and_drops_orphans(ariha):
    article = ArticleFactory()
    file(article=article, incidents=[found(), found(date_start="2015-11-20", date_end="2015-11-20")])
    assert Incident.objects.count() == 2
    result = file(article=article, incidents=[found(killed_min=41, killed_max=41)])
    assert result.removed == 1
    incident = Incident.objects.get()
    assert incident.killed_max == 41
    assert incident.claims.get().killed_max == 41


def test_analyst_work_survives_re_extraction(ariha):
    article = ArticleFactory()
    file(article=article, incidents=[found()])
    incident = Incident.objects.get()
    incident.review_status = Incident.ReviewStatus.VERIFIED
    incident.killed_min = incident.killed_max = 52
    incident.figures_locked = True
    incident.save()
    file(article=article, incidents=[])  # the new extractor finds nothing
    incident.refresh_from_db()
    assert (incident.review_status, incident.killed_min, incident.killed_max) == ("verified", 52, 52)


def test_rejected_and_merged_incidents_take_no_new_claims(ariha):
    file(article=ArticleFactory(), incidents=[found()])
    Incident.objects.update(review_status=Incident.ReviewStatus.REJECTED)
    file(article=ArticleFactory(), incidents=[found()])
    assert Incident.objects.count() == 2


def test_it_keeps_a_place_the_database_gazetteer_does_not_have_yet():
    file(article=ArticleFactory(), incidents=[found()])
    incident = Incident.objects.select_related("place", "admin1").get()
    assert (incident.admin1.name, incident.place.geonameid, incident.place.country) == ("Idlib", 172994, "SY")


def test_a_country_level_aggregate_has_no_point():
    file(
        article=ArticleFactory(),
        incidents=[
            found(
                admin1=None,
                admin1_code=None,
                place=None,
                geonameid=None,
                lat=None,
                lon=None,
                location_precision="country",
                aggregate=True,
                date_start="2015-09-30",
                date_end="2015-11-29",
                killed_min=200,
                killed_max=200,
            )
        ],
    )
    incident = Incident.objects.get()
    assert (incident.aggregate, incident.admin1, incident.lat, incident.location_precision) == (
        True,
        None,
        None,
        "country",
    )


def test_aggregates_join_only_over_the_same_period():
    two_months = found(
        admin1=None,
        admin1_code=None,
        place=None,
        geonameid=None,
        lat=None,
        lon=None,
        location_precision="country",
        aggregate=True,
        date_start="2015-09-30",
        date_end="2015-11-29",
        killed_min=200,
        killed_max=200,
    )
    a_year = {
        **two_months,
        "date_start": "2015-10-01",
        "date_end": "2016-09-30",
        "killed_min": 9364,
        "killed_max": 9364,
    }
    same_period = {**two_months, "date_end": "2015-11-30", "killed_min": 210, "killed_max": 210}
    file(article=ArticleFactory(), incidents=[two_months])
    file(article=ArticleFactory(), incidents=[a_year])
    result = file(article=ArticleFactory(), incidents=[same_period])
    assert result.joined == 1
    assert sorted(Incident.objects.values_list("killed_min", "killed_max")) == [(200, 210), (9364, 9364)]
