"""Possible duplicates under the dashboard's filters: counted, capped, listed with a one-click merge."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casualties.models import Incident, LocationPrecision
from casualties.selectors import duplicates as selector
from tests.factories import Admin1Factory, IncidentFactory

pytestmark = pytest.mark.django_db

_DAY = datetime.date(2016, 3, 4)


def _incident(admin1, *, days=0, killed=(8, 9), point=None, **fields):
    if point:
        fields.update(lat=point[0], lon=point[1], location_precision=LocationPrecision.PLACE)
    day = _DAY + datetime.timedelta(days=days)
    return IncidentFactory(
        admin1=admin1,
        date_start=day,
        date_end=day,
        killed_min=killed[0],
        killed_max=killed[1],
        **fields,
    )


@pytest.fixture
def region():
    return Admin1Factory(country="SY", code="07", name="Dayr Qalat")


@pytest.fixture
def pair(region):
    """Two incidents a filer kept apart (two nearby villages, a day apart, 8-9 and 9-11 killed)."""
    first = _incident(region, point=(35.50, 36.70), killed=(8, 9))
    second = _incident(region, days=1, point=(35.55, 36.75), killed=(9, 11))
    return first, second


def _pairs(**fields):
    return selector.incidents_possible_duplicate_pairs(incidents=Incident.objects.all(), **fields)


def test_two_reports_kept_apart_are_one_possible_duplicate(pair, region):
    first, second = pair
    # Not duplicates of either: two days later, or another division, or 60 km away, or another toll.
    _incident(region, days=3, point=(35.50, 36.70))
    _incident(Admin1Factory(country="SY", code="08", name="Tall Bisan"), point=(35.50, 36.70))
    _incident(region, point=(36.05, 36.70))
    _incident(region, point=(35.50, 36.70), killed=(30, 40))
    assert _pairs().pairs == [(first.pk, second.pk)]


def test_an_unknown_place_or_toll_does_not_tell_two_incidents_apart(region):
    first = _incident(region, point=(35.50, 36.70), killed=(8, 9))
    second = _incident(region, killed=(None, None))
    assert _pairs().pairs == [(first.pk, second.pk)]


def test_merged_rejected_and_period_totals_are_left_out(pair, region):
    first, second = pair
    _incident(region, killed=(9, 9), review_status=Incident.ReviewStatus.REJECTED)
    _incident(region, killed=(9, 9), aggregate=True)
    assert _pairs().count == 1
    second.review_status = Incident.ReviewStatus.MERGED
    second.merged_into = first
    second.save()
    assert _pairs().count == 0


def test_a_view_over_the_cap_is_not_counted(pair, region, django_assert_num_queries):
    _incident(region, days=30)
    assert _pairs(cap=3).count == 1
    assert _pairs(cap=2).pairs is None
    assert not _pairs(cap=2).counted
    with django_assert_num_queries(0):  # the dashboard's own count spares reading a large view
        assert _pairs(known_count=6000).pairs is None
    # Thousands of incidents on one day in one division: the comparisons are capped too.
    assert _pairs(comparisons_cap=0).pairs is None


def _note(client, query=""):
    response = client.get(f"/dashboard/duplicates.json{query}")
    assert response.status_code == 200
    return response.json()


def test_the_dashboard_page_leaves_the_count_to_its_own_answer(client, pair):
    page = client.get("/?admin1=Dayr+Qalat").content.decode()
    line = page[page.index('id="possible-duplicates"') :]
    line = line[: line.index("</p>")]
    # The page links the list and says where its count comes from; it counts nothing itself.
    assert 'data-url="/dashboard/duplicates.json?admin1=Dayr+Qalat"' in line
    assert 'href="/duplicates/?admin1=Dayr+Qalat"' in line
    assert "possible duplicate in this view" not in page


def test_the_dashboard_counts_them_under_its_filters_and_links_the_list(client, pair, region):
    note = _note(client)
    assert (note["counted"], note["count"]) == (True, 1)
    assert "1 possible duplicate in this view" in note["html"]
    assert 'href="/duplicates/"' in note["html"]
    note = _note(client, "?admin1=Dayr+Qalat")
    assert 'href="/duplicates/?admin1=Dayr+Qalat"' in note["html"]
    note = _note(client, "?date_to=2016-03-04")  # the second is left out: no pair
    assert note["count"] == 0
    assert "No possible duplicates in this view." in note["html"]


def test_the_dashboard_says_when_it_did_not_count(client, pair, monkeypatch):
    monkeypatch.setattr(selector, "DUPLICATE_COUNT_CAP", 1)
    note = _note(client)
    assert (note["counted"], note["count"]) == (False, None)
    assert "not counted at this size" in note["html"]
    assert "possible-duplicates-link" not in note["html"]


def test_a_view_the_counts_put_over_the_cap_is_not_read(client, pair, monkeypatch):
    monkeypatch.setattr(selector, "DUPLICATE_COUNT_CAP", 1)
    with CaptureQueriesContext(connection) as queries:
        assert _note(client, "?country=SY")["counted"] is False
    # The pre-aggregated counts said 2 > 1: the incidents' points were never read.
    assert not [query for query in queries if '"casualties_incident"."lat"' in query["sql"]]
    with CaptureQueriesContext(connection) as queries:
        assert _note(client, "?q=strike")["counted"] is True  # no counts for a text search: the capped read
    assert [query for query in queries if '"casualties_incident"."lat"' in query["sql"]]


def test_the_count_answers_a_bad_filter_with_400(client):
    response = client.get("/dashboard/duplicates.json?date_from=soon")
    assert response.status_code == 400
    assert "date_from" in response.json()["errors"]


def test_the_list_shows_the_pair_and_an_analyst_merges_it_in_one_click(client, analyst, pair):
    first, second = pair
    page = client.get("/duplicates/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/incidents/{first.pk}/"' in html
    assert f'href="/incidents/{second.pk}/"' in html
    assert "1 possible duplicate." in html
    assert "/merge/" not in html  # readers see the pairs; only analysts merge

    client.force_login(analyst)
    html = client.get("/duplicates/").content.decode()
    assert f'action="/incidents/{second.pk}/merge/"' in html
    response = client.post(f"/incidents/{second.pk}/merge/", {"into": first.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.merged_into_id == first.pk
    assert "None found." in client.get("/duplicates/").content.decode()


def test_the_list_answers_a_bad_filter_with_400(client):
    response = client.get("/duplicates/?date_from=soon")
    assert response.status_code == 400
    assert "These filters cannot be used" in response.content.decode()
