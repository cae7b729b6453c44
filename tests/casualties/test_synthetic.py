"""generate_incidents: realistic synthetic data, clearly marked, deleted in one command."""

import pytest
from django.core.management import CommandError, call_command

from casualties.models import Claim, Incident
from casualties.services.filing import article_file_incidents
from reports.models import Article
from tests.factories import Admin1Factory, ArticleFactory, PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gazetteer():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib")
    homs = Admin1Factory(country="SY", code="11", name="Homs")
    PlaceFactory(geonameid=172994, name="Ariha", admin1=idlib, lat=35.81, lon=36.61, population=30000)
    PlaceFactory(geonameid=173311, name="Al Ghantu", admin1=homs, lat=34.82, lon=36.70, population=9000)


def test_it_generates_valid_linked_marked_rows(gazetteer):
    call_command("generate_incidents", count=500, seed=7, verbosity=0)
    incidents = Incident.objects.all()
    assert incidents.count() == 500
    assert not incidents.filter(synthetic=False).exists()
    assert Claim.objects.filter(incident__synthetic=True).count() >= 500
    assert Article.objects.filter(synthetic=True).count() == Claim.objects.count()
    # Every incident has a claim, and the database constraints held (the rows went in).
    assert not incidents.filter(claims__isnull=True).exists()
    # Incidents located to a place carry its point; the others have none.
    assert not incidents.filter(location_precision="place", lat__isnull=True).exists()
    assert not incidents.exclude(location_precision="place").filter(lat__isnull=False).exists()
    # Heavy tail: most tolls are small, a few are large.
    tolls = sorted(incidents.values_list("killed_max", flat=True))
    assert tolls[len(tolls) // 2] < 10
    assert tolls[-1] > 50


def test_the_same_seed_gives_the_same_data(gazetteer):
    call_command("generate_incidents", count=50, seed=3, verbosity=0)
    first = list(Incident.objects.order_by("id").values_list("date_start", "killed_max", "place_id"))
    call_command("generate_incidents", delete=True, verbosity=0)
    call_command("generate_incidents", count=50, seed=3, verbosity=0)
    assert list(Incident.objects.order_by("id").values_list("date_start", "killed_max", "place_id")) == first


def test_delete_removes_synthetic_data_only(gazetteer):
    real = ArticleFactory()
    article_file_incidents(
        article=real,
        incidents=[
            {
                "date_start": "2015-11-29",
                "date_end": "2015-11-29",
                "country": "SY",
                "admin1": "Idlib",
                "admin1_code": "12",
                "killed_min": 4,
                "killed_max": 4,
                "event_type": "air_drone_strike",
                "evidence": "x",
                "evidence_start": 0,
                "evidence_end": 1,
            }
        ],
        extractor_version="t",
    )
    call_command("generate_incidents", count=200, verbosity=0)
    call_command("generate_incidents", delete=True, verbosity=0)
    assert list(Incident.objects.values_list("synthetic", flat=True)) == [False]
    assert list(Article.objects.values_list("pk", flat=True)) == [real.pk]
    assert Claim.objects.count() == 1


def test_real_reports_never_join_synthetic_incidents(gazetteer):
    call_command("generate_incidents", count=300, verbosity=0)
    synthetic = Incident.objects.filter(location_precision="admin1").first()
    result = article_file_incidents(
        article=ArticleFactory(),
        incidents=[
            {
                "date_start": synthetic.date_start.isoformat(),
                "date_end": synthetic.date_end.isoformat(),
                "country": synthetic.country,
                "admin1": synthetic.admin1.name,
                "admin1_code": synthetic.admin1.code,
                "killed_min": 1,
                "killed_max": 1,
                "event_type": synthetic.event_type,
                "aggregate": synthetic.aggregate,
                "evidence": "x",
                "evidence_start": 0,
                "evidence_end": 1,
            }
        ],
        extractor_version="t",
    )
    assert (result.created, result.joined) == (1, 0)


def test_it_needs_a_gazetteer_and_a_count():
    with pytest.raises(CommandError, match="load_gazetteer"):
        call_command("generate_incidents", count=10, verbosity=0)
    with pytest.raises(CommandError, match="--count"):
        call_command("generate_incidents", verbosity=0)
