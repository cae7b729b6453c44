"""Their row stored compactly (the header's names once, each event's cells as a list), and `fields` rebuilt from it.

`ReferenceEvent.fields` must give back their row as read, {name: cell}, whichever path imported it (SQL on
PostgreSQL, Python on SQLite and for the files PostgreSQL refuses), and migration 0016 must turn the rows stored
as JSON objects into header and cells, and back.
"""

import csv
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from casualties.models import ReferenceDataset, ReferenceEvent, ReferenceHeader
from casualties.reference import importing
from casualties.reference.mapping import Resolver

HEADER = ["event_id_cnty", "event_date", "time_precision", "sub_event_type", "actor1", "iso", "country", "admin1",
          "location", "latitude", "longitude", "geo_precision", "notes", "fatalities", "tags"]  # fmt: skip
# Cells that a naive encoding would break: empty, commas, quotes, a line break, backslashes, braces (an
# array literal's), non-ASCII text, NULL as a word, the digest's own separator (\x1f).
AWKWARD = {
    "A1": {"actor1": "", "notes": 'He said "no", then left, again', "tags": ""},
    "A2": {"actor1": "Ḥay'at Taḥrīr al-Shām (هيئة تحرير الشام)", "notes": "line one\nline two", "tags": "{a,b}"},
    "A3": {"actor1": "NULL", "notes": "back\\slash \\N and \\\\", "tags": "x\x1fy"},
    "A4": {"actor1": "  padded  ", "notes": "😀 émoji, ‘quotes’", "tags": '"'},
}
BASE = {"event_date": "2023-02-16", "time_precision": "1", "sub_event_type": "Attack", "iso": "760",
        "country": "Syria", "admin1": "Idleb", "location": "Kafr Tala", "latitude": "35.9", "longitude": "36.6",
        "geo_precision": "1", "fatalities": "3"}  # fmt: skip


def _rows(header: list[str]) -> list[list[str]]:
    return [
        [{**BASE, **cells, "event_id_cnty": event_id}.get(name, "") for name in header]
        for event_id, cells in AWKWARD.items()
    ]


def _write(tmp_path, header: list[str], rows: list[list[str]]):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path = tmp_path / "acled.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _import(path, way: str, monkeypatch):
    with monkeypatch.context() as patch:
        if way == "python":
            patch.setattr(importing, "_postgres_import", lambda **kwargs: (None, Resolver()))
        return importing.reference_import(format="acled", path=path)


WAYS = ["sql", "python"] if connection.vendor == "postgresql" else ["python"]


@pytest.mark.django_db
@pytest.mark.parametrize("way", WAYS)
def test_fields_give_back_their_row_as_read(reference_gazetteer, tmp_path, monkeypatch, way):
    rows = _rows(HEADER)
    report = _import(_write(tmp_path, HEADER, rows), way, monkeypatch)

    assert (report.created, report.bad_row_count) == (4, 0)
    for row in rows:
        event = ReferenceEvent.objects.get(event_id=row[0])
        assert event.cells == row
        assert event.fields == dict(zip(HEADER, row, strict=True))
    # One header for all four events, its names stored once.
    assert ReferenceHeader.objects.get().names == HEADER


@pytest.mark.django_db
@pytest.mark.parametrize("way", WAYS)
def test_a_name_repeated_in_their_header_keeps_its_last_cell(reference_gazetteer, tmp_path, monkeypatch, way):
    # Extra columns are kept whatever their names: "tags" twice, as a hand-edited export may have it.
    header = [*HEADER, "tags"]
    rows = [[*row, f"second {row[0]}"] for row in _rows(HEADER)]
    _import(_write(tmp_path, header, rows), way, monkeypatch)

    event = ReferenceEvent.objects.get(event_id="A2")
    assert event.cells[-2:] == ["{a,b}", "second A2"]
    assert event.fields["tags"] == "second A2"
    assert len(event.fields) == len(HEADER)
    assert ReferenceHeader.objects.get().names == header


@pytest.mark.django_db
def test_a_reimport_with_another_header_rewrites_only_changed_rows_and_gives_them_the_new_one(
    reference_gazetteer, tmp_path, monkeypatch
):
    rows = _rows(HEADER)
    importing.reference_import(format="acled", path=_write(tmp_path, HEADER, rows))
    # The same export with a column more: each row changes, so each is rewritten with the new header.
    header = [*HEADER, "timestamp"]
    importing.reference_import(format="acled", path=_write(tmp_path, header, [[*row, "1677000000"] for row in rows]))

    event = ReferenceEvent.objects.get(event_id="A3")
    assert event.header.names == header
    assert event.fields == dict(zip(header, [*rows[2], "1677000000"], strict=True))
    assert ReferenceHeader.objects.count() == 2


@pytest.mark.django_db
def test_the_event_endpoint_and_the_admin_show_their_row(reference_gazetteer, tmp_path, analyst_client, admin_client):
    rows = _rows(HEADER)
    importing.reference_import(format="acled", path=_write(tmp_path, HEADER, rows))

    response = analyst_client.get(reverse("v1:reference-event", args=["acled", "A2"]))
    assert response.status_code == 200
    assert response.json()["fields"] == dict(zip(HEADER, rows[1], strict=True))
    event = ReferenceEvent.objects.get(event_id="A2")
    page = admin_client.get(reverse("admin:casualties_referenceevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert "Ḥay&#x27;at Taḥrīr al-Shām" in page.content.decode()


# Migration 0016: JSON objects to header and cells, and back.

BEFORE = ("casualties", "0015_import_reference_keys_unchecked")
AFTER = ("casualties", "0016_s9_import_compact_rows")
STORED = {
    "E1": {"event_id_cnty": "E1", "notes": 'a, "quoted" note', "actor1": "", "tags": "x\x1fy"},
    "E2": {"event_id_cnty": "E2", "notes": "line one\nline two", "actor1": "هيئة تحرير الشام", "tags": "{}"},
    "E3": {"id": "E3", "best": "5", "side_a": "Government of Syria"},  # another layout: another header
    "E4": {},  # an event stored with the default, an empty row
}


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_stored_rows_into_header_and_cells_and_back():
    try:
        old = _migrate(BEFORE)
        dataset = old.get_model("casualties", "ReferenceDataset").objects.create(format="acled")
        old_events = old.get_model("casualties", "ReferenceEvent").objects
        for event_id, fields in STORED.items():
            old_events.create(
                dataset=dataset, event_id=event_id, date_start="2023-02-16", date_end="2023-02-16",
                date_precision="day", event_type="attack", location_precision="place", fields=fields, digest="0" * 32,
            )  # fmt: skip

        _migrate(AFTER)
        # The models of today read the converted rows (0016 is the latest migration of their table).
        events = {event.event_id: event for event in ReferenceEvent.objects.select_related("header")}
        for event_id, fields in STORED.items():
            assert events[event_id].fields == fields
            assert events[event_id].cells == list(events[event_id].fields.values())
        assert events["E1"].header_id == events["E2"].header_id
        assert events["E3"].header_id != events["E1"].header_id
        assert events["E4"].cells == []

        back = _migrate(BEFORE)
        stored = dict(back.get_model("casualties", "ReferenceEvent").objects.values_list("event_id", "fields"))
        assert stored == STORED
    finally:
        _migrate(_latest())
        ReferenceDataset.objects.all().delete()


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes("casualties")[0]
