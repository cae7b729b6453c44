"""Timeline and totals selectors, called directly as the dashboard will."""

import datetime

import pytest

from casualties.models import Incident
from casualties.selectors.stats import admin1_list_with_counts, incident_timeline, incident_totals_by_admin1
from tests.factories import Admin1Factory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_timeline_groups_incidents_without_admin1_under_none():
    idlib = Admin1Factory(name="Idlib")
    IncidentFactory(admin1=idlib, killed_min=1, killed_max=2)
    IncidentFactory(admin1=None, location_precision="country", killed_min=5, killed_max=6)
    rows = incident_timeline(incidents=Incident.objects.all(), interval="month", group_by="admin1")
    assert [(row["group"], row["killed"], row["killed_min"], row["incidents"]) for row in rows] == [
        ("Idlib", 2, 1, 1),
        (None, 6, 5, 1),
    ]
    assert {row["period"] for row in rows} == {datetime.date(2015, 10, 1)}


def test_timeline_counts_a_span_on_its_first_day():
    IncidentFactory(date_start=datetime.date(2015, 10, 30), date_end=datetime.date(2015, 11, 2))
    rows = incident_timeline(incidents=Incident.objects.all(), interval="month")
    assert [row["period"] for row in rows] == [datetime.date(2015, 10, 1)]


def test_totals_by_admin1_order_by_killed():
    Admin1Factory(country="SY", code="11", name="Homs")
    IncidentFactory(admin1=Admin1Factory(country="SY", code="11"), killed_min=50, killed_max=60)
    IncidentFactory(admin1=Admin1Factory(country="SY", code="12", name="Idlib"), killed_min=1, killed_max=1)
    rows = incident_totals_by_admin1(incidents=Incident.objects.all())
    assert [(row["name"], row["killed"]) for row in rows] == [("Homs", 60), ("Idlib", 1)]


def test_admin1_list_with_counts_lists_divisions_without_incidents():
    Admin1Factory(country="SY", code="13", name="Aleppo")
    IncidentFactory(admin1=Admin1Factory(country="SY", code="12", name="Idlib"))
    rows = admin1_list_with_counts(incidents=Incident.objects.all(), countries=["sy"])
    assert [(row["name"], row["incidents"]) for row in rows] == [("Aleppo", 0), ("Idlib", 1)]
