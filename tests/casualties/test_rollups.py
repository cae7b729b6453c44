"""The pre-aggregated counts: kept equal to the incidents by triggers, and read to the same answers.

Two promises, each checked against a fresh computation over the incident table:
- after inserts, edits, bulk updates, merges and deletions (through the ORM,
  the services, raw SQL and the synthetic-data COPY), the count tables equal a
  GROUP BY over the incidents;
- for every filter the counts can answer, the fast selectors return exactly
  what the incident-table selectors return: totals, timelines (every interval
  and grouping), totals by governorate and governorate counts.
"""

import datetime
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from casualties.filters import IncidentFilterSet
from casualties.models import Incident, IncidentDayCount, IncidentMonthCount
from casualties.models.rollups import ROLLUP_MEASURES, CountMeasures
from casualties.selectors.count_query import count_query_from
from casualties.selectors.rollups import (
    incident_rollups_verify,
    rollup_admin1_counts,
    rollup_timeline,
    rollup_totals,
    rollup_totals_by_admin1,
)
from casualties.selectors.stats import (
    ROW_MEASURES,
    admin1_list_with_counts,
    incident_timeline,
    incident_totals,
    incident_totals_by_admin1,
)
from casualties.services.review import incident_correct, incident_merge, incident_reject, incident_verify
from casualties.services.rollups import incident_rollups_rebuild
from casualties.synthetic import incidents_delete_synthetic
from tests.factories import Admin1Factory, IncidentFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def test_the_count_tables_have_a_column_for_every_measure():
    assert tuple(field.name for field in CountMeasures._meta.fields if field.name != "id") == ROLLUP_MEASURES


@pytest.fixture
def gazetteer():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib")
    homs = Admin1Factory(country="SY", code="11", name="Homs")
    anbar = Admin1Factory(country="IQ", code="01", name="Anbar")
    PlaceFactory(geonameid=172994, name="Ariha", admin1=idlib, lat=35.81, lon=36.61, population=30000)
    PlaceFactory(geonameid=173311, name="Al Ghantu", admin1=homs, lat=34.82, lon=36.70, population=9000)
    PlaceFactory(geonameid=99131, name="Fallujah", admin1=anbar, lat=33.35, lon=43.78, population=190000)
    return {"Idlib": idlib, "Homs": homs, "Anbar": anbar}


def _assert_counts_current():
    assert incident_rollups_verify() == []


def test_counts_follow_every_kind_of_write(gazetteer, analyst):
    _assert_counts_current()
    call_command("generate_incidents", count=300, seed=5, verbosity=0)
    _assert_counts_current()
    assert IncidentDayCount.objects.exists()
    assert IncidentMonthCount.objects.exists()

    idlib = gazetteer["Idlib"]
    one = IncidentFactory(country="SY", admin1=idlib, killed_min=3, killed_max=5, date_start=datetime.date(2015, 1, 31))
    two = IncidentFactory(country="SY", admin1=idlib, killed_min=None, killed_max=None)
    _assert_counts_current()

    # A save that moves an incident to another month, division and status.
    one.date_start = one.date_end = datetime.date(2015, 2, 1)
    one.admin1 = gazetteer["Homs"]
    one.killed_max = 9
    one.save()
    _assert_counts_current()

    # The review services, a bulk UPDATE, a merge.
    incident_correct(incident=two, user=analyst, changes={"killed_min": 1, "killed_max": 2}, reason="checked")
    incident_verify(incident=one, user=analyst)
    _assert_counts_current()
    Incident.objects.filter(synthetic=True, event_type="armed_clash").update(
        review_status="verified", injured_min=2, injured_max=7
    )
    _assert_counts_current()
    incident_merge(keep=one, drop=two, user=analyst)
    incident_reject(incident=Incident.objects.filter(synthetic=True).first(), user=analyst, reason="duplicate")
    _assert_counts_current()

    # Deletions: one through the ORM, the synthetic set in one statement, and raw SQL.
    Incident.objects.filter(pk=two.pk).update(review_status="unverified", merged_into=None)
    Incident.objects.filter(pk=two.pk).delete()
    _assert_counts_current()
    incidents_delete_synthetic()
    _assert_counts_current()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM casualties_incident")
    _assert_counts_current()
    assert not IncidentDayCount.objects.exclude(incidents=0).exists()


def test_a_no_op_update_writes_no_count_rows(gazetteer):
    IncidentFactory(country="SY", admin1=gazetteer["Idlib"], killed_max=4, killed_min=4)
    before = list(IncidentMonthCount.objects.values())
    Incident.objects.update(actor="someone else")  # not a counted column
    assert list(IncidentMonthCount.objects.values()) == before


def test_rebuild_repairs_tampered_counts(gazetteer):
    call_command("generate_incidents", count=100, seed=2, verbosity=0)
    IncidentDayCount.objects.update(killed_max=0)  # damage, as a bad restore might
    assert incident_rollups_verify()
    incident_rollups_rebuild()
    _assert_counts_current()


# --- The fast reads return what the slow reads return ---------------------------------------

FIXED_FILTERS = [
    "",
    "country=SY",
    "country=IQ,SY",
    "admin1=Idlib",
    "admin1=Idlib,Anbar",
    "event_type=air_drone_strike,armed_clash",
    "review_status=rejected,merged",
    "review_status=verified",
    "aggregate=false",
    "aggregate=true",
    "aggregate=any",
    "aggregate=any&country=SY",
    "date_from=2015-03-01",
    "date_from=2015-03-17",
    "date_to=2015-06-30",
    "date_to=2015-06-12",
    "date_from=2015-03-01&date_to=2015-03-31",
    "date_from=2015-03-05&date_to=2015-03-20",
    "date_from=2015-01-15&date_to=2016-02-10&admin1=Homs",
    "date_from=2014-12-31&date_to=2015-01-01&country=SY&aggregate=false",
    "date_from=2015-03-05&date_to=2015-03-20&aggregate=any",
]


def _random_filters(count: int) -> list[str]:
    rng = random.Random(11)
    out = []
    for _ in range(count):
        start = datetime.date(2014, 10, 1) + datetime.timedelta(days=rng.randrange(700))
        end = start + datetime.timedelta(days=rng.choice([0, 1, 5, 30, 31, 45, 200]))
        parts = [f"date_from={start}", f"date_to={end}"]
        parts += rng.sample(["country=SY", "admin1=Homs", "event_type=attack,armed_clash", "aggregate=any"], 1)
        out.append("&".join(parts))
    return out


@pytest.fixture
def incidents_with_spans(gazetteer):
    """Synthetic incidents over a compact period, so every filter above selects some, plus spans across months."""
    call_command("generate_incidents", count=400, seed=9, verbosity=0)
    rng = random.Random(4)
    for incident in Incident.objects.all():
        incident.date_start = datetime.date(2014, 11, 1) + datetime.timedelta(days=rng.randrange(600))
        incident.date_end = incident.date_start + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 3, 20, 45]))
        incident.save(update_fields=["date_start", "date_end"])
    IncidentFactory(
        country="SY", admin1=None, date_start=datetime.date(2015, 2, 20), date_end=datetime.date(2015, 3, 9)
    )
    IncidentFactory(country="SY", admin1=gazetteer["Homs"], killed_min=None, killed_max=None)
    _assert_counts_current()


def _filterset(query_string: str) -> IncidentFilterSet:
    filterset = IncidentFilterSet(data=QueryDict(query_string), queryset=Incident.objects.all())
    assert filterset.is_valid(), filterset.errors
    return filterset


def test_fast_reads_equal_the_incident_table(incidents_with_spans):
    # One data set for every filter (building it is the slow part), each filter named when it fails.
    non_empty = 0
    filters = FIXED_FILTERS + _random_filters(25)
    for query_string in filters:
        filterset = _filterset(query_string)
        query = count_query_from(filterset)
        assert query is not None, query_string
        incidents = filterset.qs
        non_empty += incidents.exists()
        assert rollup_totals(query=query) == incident_totals(incidents=incidents), query_string
        assert rollup_totals_by_admin1(query=query) == incident_totals_by_admin1(incidents=incidents), query_string
        slow_counts = {r["id"]: r["incidents"] for r in admin1_list_with_counts(incidents=incidents) if r["incidents"]}
        assert rollup_admin1_counts(query=query) == slow_counts, query_string
        for interval in ("day", "week", "month"):
            for group_by in (None, "admin1", "country", "event_type"):
                fast = rollup_timeline(query=query, interval=interval, group_by=group_by)
                slow = incident_timeline(incidents=incidents, interval=interval, group_by=group_by)
                assert fast == slow, (query_string, interval, group_by)
    assert non_empty >= len(filters) * 0.8  # the comparisons compared something


@pytest.mark.parametrize(
    "query_string", ["place=172994", "bbox=30,30,40,40", "actor=army", "killed_min=5", "q=strike", "victims=civilians"]
)
def test_filters_the_counts_do_not_hold_go_to_the_incident_table(gazetteer, query_string):
    assert count_query_from(_filterset(query_string)) is None


def test_the_chart_timeline_keeps_the_largest_groups_and_sums_the_rest(incidents_with_spans):
    from casualties.selectors.rollups import OTHER_GROUP, rollup_timeline_top_groups

    for query_string in ("", "date_from=2015-02-11&date_to=2015-11-03", "country=SY"):
        filterset = _filterset(query_string)
        query = count_query_from(filterset)
        full = incident_timeline(incidents=filterset.qs, interval="month", group_by="admin1")
        totals = {row["period"]: row for row in incident_timeline(incidents=filterset.qs, interval="month")}
        by_killed = incident_totals_by_admin1(incidents=filterset.qs)
        largest = max((row for row in by_killed if row["name"]), key=lambda row: (row["killed"], row["name"]))["name"]
        rows = rollup_timeline_top_groups(query=query, interval="month", group_by="admin1", measure="killed", top=1)
        assert {row["group"] for row in rows} <= {largest, OTHER_GROUP}
        assert [r for r in rows if r["group"] == largest] == [r for r in full if r["group"] == largest]
        for period, total in totals.items():
            in_period = [row for row in rows if row["period"] == period]
            for measure in ROW_MEASURES:
                summed = sum(row[measure] or 0 for row in in_period)
                assert summed == (total[measure] or 0), (query_string, period, measure)


def test_the_rollups_command_verifies_and_rebuilds(gazetteer, capsys):
    from django.core.management.base import CommandError

    IncidentFactory(country="SY", admin1=gazetteer["Idlib"], killed_min=2, killed_max=3)
    call_command("rollups", verify=True)
    assert "agree" in capsys.readouterr().out
    IncidentMonthCount.objects.update(killed_max=99)
    with pytest.raises(CommandError, match="disagree"):
        call_command("rollups", verify=True)
    call_command("rollups", rebuild=True)
    call_command("rollups", verify=True)


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_no_count_behind_and_the_timeline_still_answers(client):
    # SQLite's flush deleted the count tables before the incidents, so the delete triggers left
    # negative rows; the next data's stacked timeline then answered 500 (KeyError in the Other group).
    for month in range(1, 10):
        admin1 = Admin1Factory(country="SY", code=f"{month:02}", name=f"Division {month}")
        day = datetime.date(2020, month, 3)
        IncidentFactory(admin1=admin1, country="SY", date_start=day, date_end=day, killed_min=month, killed_max=month)
    call_command("flush", interactive=False, verbosity=0)

    assert not IncidentMonthCount.objects.exists()
    assert not IncidentDayCount.objects.exists()
    for month in range(1, 10):
        admin1 = Admin1Factory(country="SY", code=f"{month:02}", name=f"Division {month}")
        day = datetime.date(2020, month, 3)
        IncidentFactory(admin1=admin1, country="SY", date_start=day, date_end=day, killed_min=month, killed_max=month)
    assert incident_rollups_verify() == []
    response = client.get("/dashboard/timeline.json", {"stack": "admin1", "interval": "month"})
    assert response.status_code == 200
    bars = response.json()["figure"]["data"]
    assert sum(sum(trace["y"]) for trace in bars) == sum(range(1, 10))
