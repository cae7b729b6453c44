"""The dashboard's answers cached under the data version: one query when nothing changed, never stale after a write.

Every write below goes through a different path (ORM create and save, queryset update,
raw SQL, a delete, a rolled-back transaction) to the tables the page reads; each must
show on the next request, because the triggers of casualties.services.data_version
move the version in the writing transaction (on PostgreSQL, as it commits).

These tests commit (transaction=True): inside a test's transaction nothing is cached
(casualties.selectors.data_version), and on PostgreSQL the version moves only at a commit.
"""

import datetime
import json
import threading

import pytest
from django.db import connection, connections, transaction

from casualties.models import Admin1, Claim, DataVersion, Incident
from casualties.selectors.data_version import data_version, params_key
from casualties.services.data_version import WATCHED_TABLES
from reports.models import Article, Source
from tests.factories import Admin1Factory, ClaimFactory, IncidentFactory, PlacedIncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db(transaction=True)

# What an uncached dashboard page costs with the data below, on SQLite and PostgreSQL alike (the cached
# page: one query, the version). 14 until session 9: a toll's division was looked up again for its coverage,
# and the tolls were counted although the page listed them all. 12 in session 9: the possible duplicates are now
# counted by their own answer (/dashboard/duplicates.json, below), which the page fetches once shown, and a toll's
# coverage is one query with the spans crossing its start (casualties.selectors.area_totals), not two.
COLD_PAGE_QUERIES = 10


@pytest.fixture
def data():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib", lat=35.8, lon=36.6)
    placed = PlacedIncidentFactory(
        admin1=idlib, place__admin1=idlib, place__name="Ariha", place__lat=35.81, place__lon=36.61, killed_max=46
    )
    toll = IncidentFactory(
        admin1=idlib,
        aggregate=True,
        killed_min=300,
        killed_max=300,
        date_start=datetime.date(2015, 10, 1),
        date_end=datetime.date(2015, 10, 31),
    )
    claim = ClaimFactory(incident=toll, article__source=SourceFactory(name="Monitor A"))
    return {"idlib": idlib, "placed": placed, "toll": toll, "claim": claim}


def _page(client, query: str = "") -> str:
    response = client.get(f"/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeated_page_costs_one_query_and_is_the_same_page(client, data, django_assert_num_queries):
    with django_assert_num_queries(COLD_PAGE_QUERIES):
        first = _page(client)
    with django_assert_num_queries(1):
        again = _page(client)
    assert again == first
    assert "Monitor A" in first


def test_the_json_endpoints_cost_one_query_when_asked_again(client, data, django_assert_num_queries):
    for path in (
        "/dashboard/timeline.json",
        "/dashboard/admin1.json",
        "/dashboard/map.json?view=36,35,37,36",
        "/dashboard/duplicates.json",
    ):
        first = client.get(path)
        assert first.status_code == 200
        with django_assert_num_queries(1):
            again = client.get(path)
        assert again.status_code == 200
        assert json.loads(again.content) == json.loads(first.content)
        assert again["Content-Type"] == "application/json"


def test_a_new_incident_shows_at_once(client, data):
    assert 'data-total="incidents">1<' in _page(client)
    IncidentFactory(admin1=data["idlib"], killed_min=7, killed_max=7)
    assert 'data-total="incidents">2<' in _page(client)


def test_a_queryset_update_and_a_raw_delete_show_at_once(client, data):
    _page(client)
    Incident.objects.filter(pk=data["placed"].pk).update(killed_min=900, killed_max=999)
    assert 'data-total="killed">999<' in _page(client)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM casualties_incident WHERE id = %s", [data["placed"].pk])
    assert 'data-total="incidents">0<' in _page(client)


def test_a_renamed_source_and_division_show_at_once(client, data):
    _page(client)
    Source.objects.filter(pk=data["claim"].article.source_id).update(name="Monitor B")
    Admin1.objects.filter(pk=data["idlib"].pk).update(display_name="Idleb")
    page = _page(client)
    assert "Monitor B" in page
    assert "Monitor A" not in page
    assert "Idleb" in page


def test_a_map_asked_again_after_a_write_is_drawn_again(client, data):
    path = "/dashboard/map.json?view=36,35,37,36"
    before = json.loads(client.get(path).content)
    PlacedIncidentFactory(
        admin1=data["idlib"], place__admin1=data["idlib"], place__name="Saraqib", place__lat=35.86, place__lon=36.8
    )
    after = json.loads(client.get(path).content)
    assert after != before


def test_a_rolled_back_write_leaves_the_version(data):
    version = data_version()

    def write_then_fail() -> None:
        with transaction.atomic():
            IncidentFactory(admin1=data["idlib"])
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert data_version() == version


def test_a_transaction_moves_the_version_and_inside_it_nothing_is_cached(client, data):
    version = data_version()
    assert 'data-total="incidents">1<' in _page(client)
    with transaction.atomic():
        IncidentFactory(admin1=data["idlib"], killed_min=7, killed_max=7)
        IncidentFactory(admin1=data["idlib"], killed_min=8, killed_max=8)
        # Its own rows, although the version (on PostgreSQL) has not moved yet: the cache is not asked.
        assert 'data-total="incidents">3<' in _page(client)
    after = data_version()
    assert after > version
    if connection.vendor == "postgresql":
        assert after == version + 1  # once for the transaction, not once per write
    assert 'data-total="incidents">3<' in _page(client)


def test_a_rolled_back_savepoint_takes_its_bump_but_not_the_transactions(data):
    version = data_version()
    with transaction.atomic():
        try:
            with transaction.atomic():
                IncidentFactory(admin1=data["idlib"])
                raise RuntimeError("roll back the savepoint")
        except RuntimeError:
            pass
        IncidentFactory(admin1=data["idlib"], killed_min=5, killed_max=5)
    assert data_version() > version


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has one writer at a time")
def test_two_writers_at_once_neither_waits_for_the_other_and_both_move_the_version(data):
    """A writes and holds its transaction open while B writes and commits; then A commits.

    With a bump at each write, B waited on the version row A had locked until A's commit,
    which waited for B: here B's lock_timeout would fail it. At commit time, each moves the
    version once as it commits."""
    version = data_version()
    a_wrote, b_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer(name: str, *, first: bool) -> None:
        try:
            if not first:
                a_wrote.wait()
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '10s'")
                # Rows the count triggers (casualties.services.rollups) keep apart: another division and month.
                day = datetime.date(2015, 1, 10) if first else datetime.date(2016, 6, 10)
                admin1 = data["idlib"] if first else Admin1Factory(country="IQ", code="07", name="Diyala")
                IncidentFactory(admin1=admin1, country=admin1.country, date_start=day, date_end=day, note=name)
                if first:
                    a_wrote.set()
                    b_done.wait()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            errors.append(error)
            a_wrote.set()
        finally:
            if not first:
                b_done.set()
            connections.close_all()

    threads = [threading.Thread(target=writer, args=("A",), kwargs={"first": True})]
    threads.append(threading.Thread(target=writer, args=("B",), kwargs={"first": False}))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Incident.objects.filter(note__in=["A", "B"]).count() == 2
    assert data_version() == version + 2


@pytest.mark.parametrize("table", WATCHED_TABLES)
def test_every_watched_table_moves_the_version(data, table):
    version = data_version()
    with connection.cursor() as cursor:
        # A write that changes nothing still counts: the triggers do not look at what changed.
        cursor.execute(f"UPDATE {table} SET id = id WHERE id = (SELECT MIN(id) FROM {table})")  # noqa: S608
    assert data_version() > version


def test_writes_elsewhere_leave_the_version(data, django_user_model):
    version = data_version()
    django_user_model.objects.create_user(username="reader")
    assert data_version() == version


def test_the_version_row_comes_back_after_it_was_deleted(data):
    DataVersion.objects.all().delete()
    assert data_version() == 0
    Claim.objects.filter(pk=data["claim"].pk).update(evidence="another sentence")
    assert data_version() > 0
    Article.objects.filter(pk=data["claim"].article_id).update(title="Another title")
    assert data_version() > 1


def test_bad_filters_are_answered_afresh_each_time(client, data):
    for _ in range(2):
        response = client.get("/dashboard/map.json?date_from=not-a-date")
        assert response.status_code == 400
        assert "date_from" in json.loads(response.content)["errors"]
    assert client.get("/?date_from=not-a-date").status_code == 400


def test_the_same_parameters_in_another_order_share_a_key_and_values_keep_theirs():
    from django.http import QueryDict

    assert params_key(QueryDict("a=1&b=2")) == params_key(QueryDict("b=2&a=1"))
    assert params_key(QueryDict("admin1=A&admin1=B")) != params_key(QueryDict("admin1=B&admin1=A"))
    assert params_key(QueryDict("q=a%26b%3Dc")) != params_key(QueryDict("q=a&b=c"))
