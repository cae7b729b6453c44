"""Incident list, export and filter selectors, called directly as the dashboard and exports will."""

import datetime

import pytest
from django.http import QueryDict

from casualties.filters import admin1_resolve, incident_filter
from casualties.models import Incident
from casualties.selectors.incidents import EXPORT_COLUMNS, EXPORT_HEADER, incident_export_rows
from tests.factories import Admin1Factory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_export_rows_follow_the_columns_newest_first():
    older = IncidentFactory(date_start=datetime.date(2015, 1, 1), date_end=datetime.date(2015, 1, 1))
    newer = IncidentFactory(date_start=datetime.date(2015, 6, 1), date_end=datetime.date(2015, 6, 1))
    rows = list(incident_export_rows(incidents=Incident.objects.all(), chunk_size=1))
    assert [row[0] for row in rows] == [newer.pk, older.pk]
    assert all(len(row) == len(EXPORT_HEADER) for row in rows)
    admin1_column = [header for header, _path in EXPORT_COLUMNS].index("admin1")
    assert rows[0][admin1_column] == newer.admin1.name


def test_admin1_codes_resolve_within_the_requested_country():
    syria = Admin1Factory(country="SY", code="01", name="Damascus")
    iraq = Admin1Factory(country="IQ", code="01", name="Anbar")
    assert admin1_resolve(names=["01"], countries=["SY"]) == ([syria.pk], [])
    assert admin1_resolve(names=["01"]) == (sorted([syria.pk, iraq.pk]), [])
    assert admin1_resolve(names=["Anbar", "Mordor"], countries=["SY"]) == ([], ["Anbar", "Mordor"])


def test_an_alias_must_match_whole_not_as_a_substring():
    Admin1Factory(country="SY", code="11", name="Homs", aliases=["Hims"])
    assert admin1_resolve(names=["Him"]) == ([], ["Him"])


def test_incident_filter_hides_merged_and_rejected_unless_asked():
    shown = IncidentFactory()
    IncidentFactory(review_status="rejected")
    incidents, errors = incident_filter(params=QueryDict(""))
    assert (list(incidents), errors) == ([shown], {})
    incidents, _errors = incident_filter(params=QueryDict("review_status=rejected,unverified"))
    assert incidents.count() == 2
