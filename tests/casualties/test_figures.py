"""An incident's figures are the min/max over its claims unless an analyst set them."""

import pytest
from django.db import models

from casualties.models import COUNT_FIELDS, Claim, Incident
from casualties.services.figures import incident_refresh_figures
from tests.factories import ClaimFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_figures_span_every_claim():
    incident = IncidentFactory(killed_min=None, killed_max=None)
    ClaimFactory(incident=incident, killed_min=12, killed_max=12, injured_min=30, injured_max=30)
    ClaimFactory(incident=incident, killed_min=15, killed_max=17, injured_min=None, injured_max=None, children_killed=4)
    incident_refresh_figures(incident=incident)
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max) == (12, 17)
    assert (incident.injured_min, incident.injured_max) == (30, 30)
    assert incident.children_killed == 4


def test_analyst_figures_are_not_moved_by_claims():
    incident = IncidentFactory(killed_min=20, killed_max=20, figures_locked=True)
    ClaimFactory(incident=incident, killed_min=12, killed_max=12)
    incident_refresh_figures(incident=incident)
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max) == (20, 20)


def test_an_incident_without_claims_keeps_its_figures():
    incident = IncidentFactory(killed_min=3, killed_max=5)
    incident_refresh_figures(incident=incident)
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max) == (3, 5)


@pytest.mark.parametrize("model", [Incident, Claim])
def test_the_figure_list_names_every_count_column_of_incidents_and_claims(model):
    counts = [field.name for field in model._meta.concrete_fields if type(field) is models.IntegerField]
    assert tuple(counts) == COUNT_FIELDS
