"""The set-based writes filing uses: history rows as django-simple-history writes them, figures from claims."""

import datetime
import random

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from casualties.models import COUNT_FIELDS, Claim, Incident, figures_over
from casualties.services.bulk import history_rows_insert, incidents_refresh_figures
from casualties.services.figures import incident_refresh_figures
from tests.factories import ClaimFactory, IncidentFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
HISTORY_OWN = {"history_id", "history_date", "history_type", "history_change_reason", "history_user"}


def _tracked(record):
    return {name: value for name, value in model_to_dict(record).items() if name not in HISTORY_OWN}


@pytest.mark.parametrize("model", [Incident, Claim])
def test_a_history_row_holds_what_simple_history_would_have_written(model):
    row = ClaimFactory(killed_min=3, killed_max=9) if model is Claim else IncidentFactory(place_name="Ariha")
    by_the_library = model.history.filter(id=row.pk).get()  # written by the save signal
    history_rows_insert(model=model, ids=[row.pk], history_type="~", when=WHEN)
    ours = model.history.filter(id=row.pk).order_by("history_id").last()
    assert ours.history_id != by_the_library.history_id
    assert (ours.history_type, ours.history_date, ours.history_user_id) == ("~", WHEN, None)
    assert _tracked(ours) == _tracked(by_the_library)


def test_figures_become_the_min_and_max_over_claims_as_incident_refresh_figures_makes_them():
    ours, theirs = IncidentFactory(), IncidentFactory()
    for incident in (ours, theirs):
        ClaimFactory(incident=incident, killed_min=4, killed_max=9, injured_min=None, children_killed=2)
        ClaimFactory(incident=incident, killed_min=7, killed_max=12, injured_min=30, injured_max=40)
    incidents_refresh_figures(ids=[ours.pk], when=WHEN)
    incident_refresh_figures(incident=theirs)
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert [getattr(ours, f) for f in COUNT_FIELDS] == [getattr(theirs, f) for f in COUNT_FIELDS]
    assert [getattr(ours, f) for f in COUNT_FIELDS] == [4, 12, 30, 40, 2, None]
    assert ours.updated_at == WHEN


def test_locked_figures_and_incidents_without_claims_are_left_alone():
    locked = IncidentFactory(figures_locked=True, killed_min=50, killed_max=50)
    ClaimFactory(incident=locked, killed_min=1, killed_max=1)
    bare = IncidentFactory(killed_min=8, killed_max=8)
    before = {i.pk: i.updated_at for i in (locked, bare)}
    incidents_refresh_figures(ids=[locked.pk, bare.pk], when=timezone.now())
    for incident in (locked, bare):
        incident.refresh_from_db()
        assert incident.updated_at == before[incident.pk]
    assert (locked.killed_min, bare.killed_max) == (50, 8)


def _random_range(rng: random.Random) -> tuple[int | None, int | None]:
    """A (min, max) pair as claims carry them: either may be unknown, min <= max when both are known."""
    low, high = sorted(rng.randint(0, 60) for _ in range(2))
    return (low if rng.random() < 0.7 else None), (high if rng.random() < 0.7 else None)


def test_the_bulk_sql_the_orm_and_the_filer_apply_one_figure_rule_on_random_claims():
    # The SQL restates FIGURE_RULE; seeded random claims (unknowns included) hold it to the Python
    # the filer uses (figures_over) and to the ORM aggregate (incident_refresh_figures).
    rng = random.Random(20261206)
    expected = {}
    for _ in range(40):
        incident = IncidentFactory(killed_min=None, killed_max=None)
        claims = []
        for _ in range(rng.randint(1, 4)):
            killed, injured = _random_range(rng), _random_range(rng)
            sub_counts = [rng.choice([None, rng.randint(0, 10)]) for _ in range(2)]
            counts = dict(zip(COUNT_FIELDS, (*killed, *injured, *sub_counts), strict=True))
            ClaimFactory(incident=incident, **counts)
            claims.append(tuple(counts.values()))
        expected[incident.pk] = figures_over(claims)
    incidents_refresh_figures(ids=list(expected), when=WHEN)
    by_sql = {
        pk: dict(zip(COUNT_FIELDS, row, strict=True)) for pk, *row in Incident.objects.values_list("pk", *COUNT_FIELDS)
    }
    assert by_sql == expected
    assert any(None in figures.values() for figures in expected.values())  # unknowns were exercised
    for incident in Incident.objects.all():
        incident_refresh_figures(incident=incident)
    by_orm = {
        pk: dict(zip(COUNT_FIELDS, row, strict=True)) for pk, *row in Incident.objects.values_list("pk", *COUNT_FIELDS)
    }
    assert by_orm == expected
