"""Filing extracted incidents across articles: join the same event, open new ones otherwise."""

import datetime
import os
import random
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casualties.models import COUNT_FIELDS, Claim, Incident
from casualties.services import filing
from reports.extraction.contract import (
    DatePrecision,
    Dates,
    EventType,
    Evidence,
    ExtractedIncident,
    Figures,
    Location,
    LocationPrecision,
    Victims,
)
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


# One incident as the engine finds it, named by the fields of its JSON record.
_FOUND = {
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


def found(**fields) -> ExtractedIncident:
    """One incident as the extraction engine returns it, `fields` changed (named as in its JSON record)."""
    assert set(fields) <= set(_FOUND), set(fields) - set(_FOUND)
    flat = {**_FOUND, **fields}
    return ExtractedIncident(
        country=flat["country"],
        dates=Dates(
            start=datetime.date.fromisoformat(flat["date_start"]),
            end=datetime.date.fromisoformat(flat["date_end"]),
            precision=DatePrecision(flat["date_precision"]),
        ),
        evidence=Evidence(text=flat["evidence"], start=flat["evidence_start"], end=flat["evidence_end"]),
        figures=Figures(**{name: flat[name] for name in COUNT_FIELDS}),
        location=Location(
            name=flat["place"],
            lat=flat["lat"],
            lon=flat["lon"],
            geonameid=flat["geonameid"],
            admin1=flat["admin1"],
            admin1_code=flat["admin1_code"],
            precision=LocationPrecision(flat["location_precision"]),
        ),
        victims=Victims(flat["victims"]),
        actor=flat["actor"],
        event_type=EventType(flat["event_type"]),
        aggregate=flat["aggregate"],
        confidence=flat["confidence"],
    )


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
    country_wide = {
        "admin1": None,
        "admin1_code": None,
        "place": None,
        "geonameid": None,
        "lat": None,
        "lon": None,
        "location_precision": "country",
        "aggregate": True,
        "date_start": "2015-09-30",
    }
    two_months = found(**country_wide, date_end="2015-11-29", killed_min=200, killed_max=200)
    a_year = found(
        **{**country_wide, "date_start": "2015-10-01"}, date_end="2016-09-30", killed_min=9364, killed_max=9364
    )
    same_period = found(**country_wide, date_end="2015-11-30", killed_min=210, killed_max=210)
    file(article=ArticleFactory(), incidents=[two_months])
    file(article=ArticleFactory(), incidents=[a_year])
    result = file(article=ArticleFactory(), incidents=[same_period])
    assert result.joined == 1
    assert sorted(Incident.objects.values_list("killed_min", "killed_max")) == [(200, 210), (9364, 9364)]


# --- Batches: many articles filed in one transaction ------------------------------------------


def file_batch(batch):
    return filing.articles_file_incidents(batch=batch, extractor_version="test-1")


def _snapshot():
    """The incidents and claims, with ids replaced by their rank so two runs can be compared."""
    incidents = list(Incident.objects.order_by("id"))
    rank = {incident.pk: n for n, incident in enumerate(incidents)}
    fields = ["date_start", "date_end", "place_id", "place_name", "aggregate", "event_type", "review_status"]
    return (
        [tuple(getattr(incident, name) for name in [*fields, *COUNT_FIELDS]) for incident in incidents],
        sorted(
            (claim.article_id, rank[claim.incident_id], claim.opened_incident, claim.killed_max)
            for claim in Claim.objects.all()
        ),
    )


def _random_reports(rng, places):
    """What an engine might find in one article: 0-3 incidents around a few places, days and tolls."""
    reports = []
    for _ in range(rng.randint(0, 3)):
        day = f"2015-11-{rng.randint(20, 26)}"
        place = rng.choice([*places, None])
        low = rng.randint(1, 60)
        fields = {
            "date_start": day,
            "date_end": day,
            "killed_min": low,
            "killed_max": low + rng.choice([0, 0, 5]),
            "injured_min": rng.choice([None, 10]),
            "injured_max": rng.choice([None, 30]),
            "event_type": rng.choice(["air_drone_strike", "air_drone_strike", "shelling_artillery_missile", "other"]),
        }
        if place is None:
            fields.update(place=rng.choice([None, "Unknown Village"]), geonameid=None, lat=None, lon=None)
        else:
            fields.update(place=place.name, geonameid=place.geonameid, lat=place.lat, lon=place.lon)
        reports.append(found(**fields))
    return reports


@pytest.mark.parametrize("seed", range(6))
def test_a_batch_files_exactly_as_the_same_articles_one_by_one(idlib, seed):
    rng = random.Random(seed)
    places = [
        PlaceFactory(geonameid=172994, name="Ariha", admin1=idlib),
        PlaceFactory(geonameid=170000 + seed, name="Saraqib", admin1=idlib),
    ]
    articles = [ArticleFactory() for _ in range(12)]
    rounds = [[(article, _random_reports(rng, places)) for article in articles]]
    # A second round re-files half of them with other findings (a new extractor version).
    rounds.append([(article, _random_reports(rng, places)) for article in articles[::2]])

    for batch in rounds:
        for article, reports in batch:
            file(article=article, incidents=reports)
    one_by_one = _snapshot()
    assert one_by_one[0], "the seed made no incidents: nothing was compared"

    Claim.objects.all().delete()
    Incident.objects.all().delete()
    for batch in rounds:
        file_batch(batch)
    assert _snapshot() == one_by_one


def test_an_article_joins_an_incident_an_earlier_article_of_its_batch_opened(ariha):
    first, second, third = ArticleFactory(), ArticleFactory(), ArticleFactory()
    results = file_batch(
        [
            (first, [found(killed_min=40, killed_max=40)]),
            (second, [found(killed_min=44, killed_max=49)]),
            (third, [found(date_start="2015-12-05", date_end="2015-12-05")]),
        ]
    )
    assert [(r.created, r.joined) for r in (results[first.pk], results[second.pk], results[third.pk])] == [
        (1, 0),
        (0, 1),
        (1, 0),
    ]
    strike = Incident.objects.get(date_start="2015-11-29")
    assert (strike.killed_min, strike.killed_max, strike.claims.count()) == (40, 49, 2)
    assert strike.history.count() == 1  # created with its final figures


def test_a_batch_keeps_analyst_figures_and_status_and_records_history(ariha):
    file(article=ArticleFactory(), incidents=[found(killed_min=40, killed_max=40)])
    file(article=ArticleFactory(), incidents=[found(date_start="2015-11-10", date_end="2015-11-10")])
    locked = Incident.objects.get(date_start="2015-11-29")
    locked.review_status, locked.figures_locked = Incident.ReviewStatus.VERIFIED, True
    locked.killed_min = locked.killed_max = 52
    locked.save()
    moving = Incident.objects.get(date_start="2015-11-10")
    history_before = moving.history.count()

    file_batch(
        [
            (ArticleFactory(), [found(killed_min=70, killed_max=80)]),
            (ArticleFactory(), [found(date_start="2015-11-10", date_end="2015-11-10", killed_min=3, killed_max=90)]),
        ]
    )
    locked.refresh_from_db()
    moving.refresh_from_db()
    assert (locked.review_status, locked.killed_min, locked.killed_max, locked.claims.count()) == (
        "verified",
        52,
        52,
        2,
    )
    assert (moving.killed_min, moving.killed_max, moving.claims.count()) == (3, 90, 2)
    assert moving.history.count() == history_before + 1
    assert moving.history.first().killed_max == 90


def test_filing_costs_the_same_queries_for_5_or_20_articles(ariha):
    """Per batch, not per article: the match, the figures and the history are bulk statements."""

    def batch_of(count, day):
        return [
            (ArticleFactory(), [found(date_start=day, date_end=day, killed_min=n + 1, killed_max=n + 2)])
            for n in range(count)
        ]

    small, large = batch_of(5, "2015-11-01"), batch_of(20, "2015-11-10")
    with CaptureQueriesContext(connection) as five:
        file_batch(small)
    with CaptureQueriesContext(connection) as twenty:
        file_batch(large)
    assert len(twenty) == len(five)
    assert Incident.objects.get(date_start="2015-11-10").claims.count() == 20


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the region lock is PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_a_second_filer_waits_for_the_first_and_joins_its_new_incident(ariha, monkeypatch):
    """Two batches reporting one strike, filed at the same time from two connections: the second
    waits on the region lock until the first commits, then joins the incident the first opened."""
    first_article, second_article = ArticleFactory(), ArticleFactory()
    holding, release = threading.Event(), threading.Event()
    real_write = filing._write

    def slow_write(**kwargs):
        if threading.current_thread().name == "first":
            holding.set()
            assert release.wait(30)
        real_write(**kwargs)

    monkeypatch.setattr(filing, "_write", slow_write)

    errors = []

    def run(article, toll):
        try:
            file_batch([(article, [found(killed_min=toll, killed_max=toll)])])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=(first_article, 40), name="first")
    second = threading.Thread(target=run, args=(second_article, 44), name="second")
    first.start()
    assert holding.wait(30)
    second.start()
    # Until the second filer waits on a lock (or, were there no region lock, has finished).
    deadline = time.monotonic() + 30
    while second.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted"
                " AND pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())"
            )
            if cursor.fetchone()[0]:
                break
        time.sleep(0.01)
    release.set()
    first.join(30)
    second.join(30)
    assert errors == []
    incident = Incident.objects.get()
    assert (incident.killed_min, incident.killed_max, incident.claims.count()) == (40, 44, 2)
