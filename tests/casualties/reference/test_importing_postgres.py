"""On PostgreSQL the import is SQL (casualties/reference/copying.py): it must do exactly what the Python path does.

Each test imports one file both ways, the SQL path and the Python path (layouts' readers, as on
SQLite), and compares the reports and every stored column, on rows chosen to sit on the edges
of what the SQL maps itself and what it hands to Python.
"""

import csv
import io

import pytest
from django.db import connection

from casualties.models import ReferenceDataset, ReferenceEvent
from casualties.reference import copying, importing
from casualties.reference.layouts import WrongFileError
from casualties.reference.mapping import Resolver

pytestmark = [
    pytest.mark.django_db(transaction=False),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL import runs on PostgreSQL only"),
]

ACLED_DEFAULTS = {
    "event_id_cnty": "A0", "event_date": "2023-02-16", "year": "2023", "time_precision": "1",
    "disorder_type": "Political violence", "event_type": "Battles", "sub_event_type": "Attack", "actor1": "Group A",
    "iso": "760", "country": "Syria", "admin1": "Idleb", "location": "Kafr Tala", "latitude": "35.9",
    "longitude": "36.6", "geo_precision": "1", "source": "Example Monitor", "notes": "Invented.", "fatalities": "3",
    "timestamp": "1677000000",
}  # fmt: skip
UCDP_DEFAULTS = {
    "id": "0", "year": "2023", "type_of_violence": "3", "where_prec": "1", "where_coordinates": "Kafr Tala village",
    "adm_1": "Idlib governorate", "latitude": "35.9", "longitude": "36.6", "country": "Syria", "date_prec": "1",
    "date_start": "2023-02-16 00:00:00.000", "date_end": "2023-02-16 00:00:00.000", "best": "5", "high": "6",
    "low": "4",
}  # fmt: skip
ACLED_HEADER, UCDP_HEADER = list(ACLED_DEFAULTS), list(UCDP_DEFAULTS)
# Short names for the columns the rows below change.
_ACLED_NAMES = {"date": "event_date", "precision": "time_precision", "sub_event": "sub_event_type",
                "lat": "latitude", "lon": "longitude", "geo": "geo_precision"}  # fmt: skip
_UCDP_NAMES = {"start": "date_start", "end": "date_end", "violence": "type_of_violence", "where": "where_prec",
               "admin1": "adm_1", "lat": "latitude", "lon": "longitude"}  # fmt: skip


def _row(defaults: dict, names: dict, event_id: str, changes: dict) -> list[str]:
    """The default row with its id (the first column) and `changes` (by short or full column name)."""
    row = defaults | {next(iter(defaults)): event_id} | {names.get(k, k): v for k, v in changes.items()}
    return list(row.values())


def _acled(event_id, **changes):
    return _row(ACLED_DEFAULTS, _ACLED_NAMES, event_id, changes)


# Rows on both sides of the line between what SQL maps and what goes to Python, bad rows among them.
ACLED_ROWS = [
    _acled("A1"),
    _acled(" A2 ", precision=" 1", geo="1 ", fatalities=" 3 "),
    _acled("\xa0A3\u2003", admin1="\xa0Idleb "),
    _acled("A4", precision="01", geo="1.0", fatalities="1.5"),
    _acled("A5", date="16 February 2023"),
    _acled("A6", date="16 feb 2023", precision="2"),
    _acled("A7", date="16-Feb-2023", precision="3"),
    _acled("A8", date="2023-02-30"),
    _acled("A9", date="29 February 2024"),
    _acled("A10", date="29 February 2023"),
    _acled("A11", date="2024-02-29T10:00:00"),
    _acled("A12", date="0001-01-05", precision="1"),
    _acled("A13", lat=".5", lon="-0.5"),
    _acled("A14", lat="5.", lon="+36.25"),
    _acled("A15", lat="1e1", lon="36"),
    _acled("A16", lat="", lon=""),
    _acled("A17", lat="", lon="36"),
    _acled("A18", lat="91", lon="36"),
    _acled("A19", lat=" 35.123456789012345678 ", lon="36.1"),
    _acled("A20", fatalities=""),
    _acled("A21", fatalities="007"),
    _acled("A22", fatalities="-1"),
    _acled("A23", fatalities="1_000"),
    _acled("A24", fatalities="many"),
    _acled("A25", sub_event=" ATTACK "),
    _acled("A26", sub_event="Air/drone strike"),
    _acled("A27", sub_event="Attac\u212a"),
    _acled("A28", sub_event="Peaceful protest"),
    _acled("A29", precision="4"),
    _acled("A30", geo="0"),
    _acled("", notes="no id"),
    _acled("A31", notes='A note, with "quotes",\nand a second line.'),
    _acled("A32", date="not a date"),
    _acled("A33", iso="", country="Syria"),
    _acled("A34", iso="", country="Syrian Arab Republic", admin1="Halab governorate"),
    _acled("A35", admin1="Wadi Qamar"),
    _acled("A36", admin1=" Wadi Qamar"),
    _acled("A1", fatalities="9"),
    _acled("A37", date="2023-13-01"),
    _acled("A37", date="2023-03-01"),
    _acled("A38", notes="Ünïcödé, 日本語 and an emoji \U0001f600", location="Ḩimş " + "x" * 250),
]


def _ucdp(event_id, **changes):
    return _row(UCDP_DEFAULTS, _UCDP_NAMES, event_id, changes)


UCDP_ROWS = [
    _ucdp("1"),
    _ucdp("2", start="2023-02-16", end="2023-02-20", date_prec="3"),
    _ucdp("3", start="2023-02-20", end="2023-02-16"),
    _ucdp("4", low="5", best="3", high="4"),
    _ucdp("5", low="", best="3", high=""),
    _ucdp("6", low="2", best="", high="1"),
    _ucdp("7", violence="4"),
    _ucdp("8", where="7", admin1=""),
    _ucdp("9", admin1="Halab governorate", where="4"),
    _ucdp("10", start="16 February 2023", end="2023-02-17"),
    _ucdp("11", date_prec="6"),
    _ucdp("12", best="1e2", high="200", low="1"),
    _ucdp("1", best="6"),
]


def _write(tmp_path, name, header, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _stored(format):
    return list(
        ReferenceEvent.objects.filter(dataset__format=format)
        .order_by("event_id")
        .values(*[f.attname for f in ReferenceEvent._meta.fields if f.attname not in ("id", "dataset_id")])
    )


def _both_ways(monkeypatch, format, *paths, replace=False):
    """Import `paths` in turn by SQL, then afresh by Python: (reports, stored rows) of each."""
    results = []
    for way in ("sql", "python"):
        ReferenceEvent.objects.filter(dataset__format=format).delete()
        ReferenceDataset.objects.filter(format=format).delete()
        with monkeypatch.context() as patch:
            if way == "python":
                patch.setattr(importing, "_postgres_import", lambda **kwargs: (None, Resolver()))
            else:
                patch.setattr(importing, "_python_import", _python_path_not_expected)
            reports = [importing.reference_import(format=format, path=path, replace=replace) for path in paths]
        results.append((reports, _stored(format)))
    return results


def _python_path_not_expected(**kwargs):
    raise AssertionError("the SQL import handed the whole file to the Python path")


def test_acled_rows_are_mapped_by_sql_exactly_as_by_python(reference_gazetteer, tmp_path, monkeypatch):
    path = _write(tmp_path, "acled.csv", ACLED_HEADER, ACLED_ROWS)

    (sql_reports, sql_rows), (python_reports, python_rows) = _both_ways(monkeypatch, "acled", path)

    assert sql_reports == python_reports
    assert sql_rows == python_rows
    report = sql_reports[0]
    # The edges were reached: bad rows on both sides of SQL's line, a repeated id, an unmatched division.
    assert report.bad_row_count >= 12
    assert (40, "event id A1 appears earlier in the file") in report.bad_rows
    assert report.unmatched_admin1 == {"SY|Wadi Qamar": 2}
    # The row after the note with a line break starts a line further down.
    assert (35, "event_date is not a date: 'not a date'") in report.bad_rows


def test_a_reimport_with_changes_and_deletions_matches_the_python_path(reference_gazetteer, tmp_path, monkeypatch):
    first = _write(tmp_path, "first.csv", ACLED_HEADER, ACLED_ROWS)
    changed = [row[:] for row in ACLED_ROWS[5:]]
    changed[0][ACLED_HEADER.index("fatalities")] = "4"  # one more killed
    changed[1][ACLED_HEADER.index("event_date")] = "2023-13-45"  # a good row turned bad: its event goes with --replace
    second = _write(tmp_path, "second.csv", ACLED_HEADER, changed)

    (sql_reports, sql_rows), (python_reports, python_rows) = _both_ways(
        monkeypatch, "acled", first, second, first, replace=True
    )

    assert sql_reports == python_reports
    assert sql_rows == python_rows
    # A6 one more killed; A1 (fatalities 9), first of its id now that the first five rows are gone.
    assert sql_reports[1].updated == 2
    assert sql_reports[1].deleted >= 5


def test_ucdp_rows_are_mapped_by_sql_exactly_as_by_python(reference_gazetteer, tmp_path, monkeypatch):
    path = _write(tmp_path, "ucdp.csv", UCDP_HEADER, UCDP_ROWS)

    (sql_reports, sql_rows), (python_reports, python_rows) = _both_ways(monkeypatch, "ucdp", path)

    assert sql_reports == python_reports
    assert sql_rows == python_rows
    assert sql_reports[0].bad_row_count >= 5


def _once(rows):
    """The rows whose id (stripped) has not come before: a file the first import maps in one pass."""
    seen = set()
    return [row for row in rows if not (row[0].strip() in seen or seen.add(row[0].strip()))]


@pytest.mark.parametrize(
    ("format", "header", "rows"), [("acled", ACLED_HEADER, ACLED_ROWS), ("ucdp", UCDP_HEADER, UCDP_ROWS)]
)
def test_a_first_import_in_one_pass_matches_the_python_path(
    reference_gazetteer, tmp_path, monkeypatch, format, header, rows
):
    path = _write(tmp_path, f"{format}.csv", header, _once(rows))
    indexes = _indexes()
    one_pass = []
    mapping_sql = copying._mapping_sql
    monkeypatch.setattr(
        copying,
        "_mapping_sql",
        lambda *args, **kwargs: one_pass.append(kwargs.get("cells", False)) or mapping_sql(*args, **kwargs),
    )

    (sql_reports, sql_rows), (python_reports, python_rows) = _both_ways(monkeypatch, format, path, path)

    # The first import inserted the clean rows straight from the raw table; the second found them unchanged.
    assert one_pass[0] is True
    assert sql_reports == python_reports
    assert sql_rows == python_rows
    assert sql_reports[0].bad_row_count >= 5
    assert (sql_reports[1].created, sql_reports[1].unchanged) == (0, sql_reports[0].created)
    assert _indexes() == indexes


def test_a_row_with_the_wrong_number_of_fields_sends_the_file_to_the_python_path(reference_gazetteer, tmp_path):
    rows = [*ACLED_ROWS[:3], ACLED_ROWS[3][:-2], ACLED_ROWS[4]]
    path = _write(tmp_path, "short.csv", ACLED_HEADER, rows)

    report = importing.reference_import(format="acled", path=path)

    assert (5, f"{len(ACLED_HEADER) - 2} fields where the header has {len(ACLED_HEADER)}") in report.bad_rows
    assert report.created == 4


def test_blank_lines_at_the_end_are_not_rows(reference_gazetteer, tmp_path, monkeypatch):
    path = _write(tmp_path, "blank.csv", ACLED_HEADER, ACLED_ROWS[:2])
    path.write_text(path.read_text() + "\n\n")
    monkeypatch.setattr(importing, "_python_import", _python_path_not_expected)

    report = importing.reference_import(format="acled", path=path)

    assert (report.rows_read, report.created, report.bad_row_count) == (2, 2, 0)


def _indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
            [ReferenceEvent._meta.db_table],
        )
        return cursor.fetchall()


def test_a_first_import_rebuilds_the_indexes_it_dropped_as_they_were(reference_gazetteer, tmp_path):
    before = _indexes()
    path = _write(tmp_path, "acled.csv", ACLED_HEADER, ACLED_ROWS)

    first = importing.reference_import(format="acled", path=path)
    again = importing.reference_import(format="acled", path=path, replace=True)

    assert _indexes() == before
    assert {name for name, _sql in before} >= {"reference_event_unique_id", "reference_admin1_date", "reference_date"}
    assert (again.created, again.unchanged) == (0, first.created)


def test_a_division_gone_during_the_import_is_refused_with_nothing_written(reference_gazetteer, tmp_path, monkeypatch):
    # The resolver read the gazetteer before the division was deleted: its id points nowhere.
    looked_up = Resolver.admin1_id
    monkeypatch.setattr(
        Resolver, "admin1_id", lambda self, **names: looked_up(self, **names) and 10**9 + looked_up(self, **names)
    )
    path = _write(tmp_path, "acled.csv", ACLED_HEADER, ACLED_ROWS)

    for way in ("sql", "python"):
        with monkeypatch.context() as patch:
            if way == "python":
                patch.setattr(importing, "_postgres_import", lambda **kwargs: (None, Resolver()))
            with pytest.raises(WrongFileError, match="deleted during the import"):
                importing.reference_import(format="acled", path=path)

    assert not ReferenceEvent.objects.exists()


@pytest.mark.parametrize(("format", "header", "dates"), [("acled", ACLED_HEADER, 1), ("ucdp", UCDP_HEADER, 2)])
def test_the_mapping_tests_each_text_once_a_row(format, header, dates):
    # The date forms, the coordinates' digits and the counts are tested where the cells are read, once each: the
    # mapping repeated them for the year, the month and the day, and for the check and the value.
    sql = copying._mapping_sql(format, copying._Columns(header), rows="k.same IS NOT TRUE")
    latitude = f"r.c{header.index('latitude')}"

    assert sql.count("LIKE '____-__-__%'") == dates
    assert sql.count(f"translate({latitude}, '0123456789', '')") == 1
    # One cast a coordinate, for the range check and the value alike.
    assert sql.count("::float8") == 2
