"""manage.py import_dataset and reference_import: the mapping, bad rows, wrong files, idempotent re-import."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command

from casualties.models import ReferenceDataset, ReferenceEvent
from casualties.reference.importing import reference_import
from casualties.reference.layouts import WrongFileError

pytestmark = pytest.mark.django_db(transaction=False)


def _events(format: str) -> dict[str, ReferenceEvent]:
    return {event.event_id: event for event in ReferenceEvent.objects.filter(dataset__format=format)}


def test_acled_rows_are_mapped_to_our_vocabulary(reference_gazetteer, reference_file):
    report = reference_import(format="acled", path=reference_file("acled.csv"), version="2023-03")

    assert (report.rows_read, report.created, report.bad_row_count) == (6, 5, 1)
    events = _events("acled")
    strike = events["SYR1001"]
    assert (strike.date_start, strike.date_end, strike.date_precision) == (
        datetime.date(2023, 2, 16),
        datetime.date(2023, 2, 16),
        "day",
    )
    assert (strike.event_type, strike.country, strike.admin1, strike.location_precision) == (
        "air_drone_strike",
        "SY",
        reference_gazetteer["Idlib"],
        "place",
    )
    assert (strike.killed_min, strike.killed_best, strike.killed_max) == (4, 4, 4)
    assert strike.fields["actor1"] == "Air Force of Testland"
    # "Idleb" is the gazetteer's alias of Idlib: a renamed division still matches.
    assert events["SYR1002"].admin1 == reference_gazetteer["Idlib"]
    assert events["SYR1002"].event_type == "shelling_artillery_missile"
    # time_precision 3: the whole month; geo_precision 3: the division.
    clash = events["SYR1003"]
    assert (clash.date_start, clash.date_end, clash.date_precision, clash.location_precision) == (
        datetime.date(2023, 3, 1),
        datetime.date(2023, 3, 31),
        "month",
        "admin1",
    )
    # time_precision 2: three days either side of their date.
    assert (events["SYR1005"].date_start, events["SYR1005"].date_end) == (
        datetime.date(2023, 3, 7),
        datetime.date(2023, 3, 13),
    )
    assert events["SYR1005"].admin1 is None
    assert events["SYR1006"].event_type == "other"
    dataset = ReferenceDataset.objects.get(format="acled")
    assert (dataset.restricted, dataset.version, dataset.event_count) == (True, "2023-03", 5)
    assert dataset.unmatched_admin1 == {"SY|Wadi Qamar": 1}


def test_a_bad_row_is_reported_by_line_and_skipped(reference_gazetteer, reference_file):
    report = reference_import(format="acled", path=reference_file("acled.csv"))

    assert report.bad_rows == [(5, "event_date is not a date: '2023-13-40'")]
    assert "SYR1004" not in _events("acled")


def test_the_older_acled_layout_with_written_dates_is_read(reference_gazetteer, reference_file):
    report = reference_import(format="acled", path=reference_file("acled_old.csv"))

    assert (report.created, report.bad_row_count) == (2, 0)
    events = _events("acled")
    assert events["SYR2001"].date_start == datetime.date(2019, 2, 16)
    assert (events["SYR2001"].event_type, events["SYR2001"].admin1) == (
        "remote_explosive",
        reference_gazetteer["Idlib"],
    )
    assert events["SYR2002"].date_start == datetime.date(2019, 3, 3)


def test_ucdp_rows_take_low_best_high_and_their_division_names(reference_gazetteer, reference_file):
    report = reference_import(format="ucdp", path=reference_file("ucdp.csv"))

    assert (report.created, report.bad_row_count) == (2, 1)
    assert report.bad_rows == [(4, "deaths low 5, best 3, high 4 are not in order")]
    events = _events("ucdp")
    one_sided = events["501"]
    assert (one_sided.killed_min, one_sided.killed_best, one_sided.killed_max) == (4, 5, 6)
    assert (one_sided.event_type, one_sided.admin1, one_sided.location_precision) == (
        "attack",
        reference_gazetteer["Idlib"],
        "place",
    )
    # "Halab governorate": the division word dropped, Halab is Aleppo's alias; where_prec 4 is the division.
    assert (events["502"].admin1, events["502"].location_precision, events["502"].event_type) == (
        reference_gazetteer["Aleppo"],
        "admin1",
        "armed_clash",
    )
    assert ReferenceDataset.objects.get(format="ucdp").restricted is False


def test_reimporting_the_same_file_changes_nothing(reference_gazetteer, reference_file):
    reference_import(format="ucdp", path=reference_file("ucdp.csv"))
    before = list(ReferenceEvent.objects.order_by("event_id").values())

    report = reference_import(format="ucdp", path=reference_file("ucdp.csv"), replace=True)

    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 0, 2, 0)
    assert list(ReferenceEvent.objects.order_by("event_id").values()) == before


def test_a_newer_export_updates_changed_events_and_replace_removes_deleted_ones(reference_gazetteer, reference_file):
    reference_import(format="ucdp", path=reference_file("ucdp.csv"))

    report = reference_import(format="ucdp", path=reference_file("ucdp_update.csv"), replace=True)

    assert (report.created, report.updated, report.unchanged, report.deleted) == (1, 1, 0, 1)
    events = _events("ucdp")
    assert sorted(events) == ["501", "504"]
    assert (events["501"].killed_best, events["501"].killed_max) == (6, 7)
    assert (events["504"].date_start, events["504"].date_end, events["504"].date_precision) == (
        datetime.date(2023, 2, 21),
        datetime.date(2023, 2, 24),
        "span",
    )
    assert ReferenceDataset.objects.get(format="ucdp").event_count == 2


def test_without_replace_an_event_missing_from_the_file_is_kept(reference_gazetteer, reference_file):
    reference_import(format="ucdp", path=reference_file("ucdp.csv"))

    report = reference_import(format="ucdp", path=reference_file("ucdp_update.csv"))

    assert report.deleted == 0
    assert sorted(_events("ucdp")) == ["501", "502", "504"]


def test_an_event_id_twice_in_one_file_keeps_the_first_row(reference_gazetteer, reference_file, tmp_path):
    lines = reference_file("ucdp.csv").read_text().splitlines()
    path = tmp_path / "twice.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[1].replace(",5,6,4", ",9,9,9")]) + "\n")

    report = reference_import(format="ucdp", path=path)

    assert report.bad_rows == [(3, "event id 501 appears earlier in the file")]
    assert _events("ucdp")["501"].killed_best == 5


@pytest.mark.parametrize(
    ("format", "make", "message"),
    [
        ("acled", lambda text: text, "The header is UCDP GED's, not ACLED's: import it with --format ucdp."),
        ("ucdp", lambda text: text.rsplit(",", 20)[0], "The file is truncated: its last row (line 4) stops part-way."),
        ("ucdp", lambda text: text.replace("Kafr Tala", "Kafr T\xe2la").encode("latin-1"), "The file is not UTF-8"),
        ("acled", lambda text: "name,value\nx,1\n", "Not ACLED's layout: the header lacks event_id_cnty"),
        ("ucdp", lambda text: "", "The file is empty."),
    ],
    ids=["other-format", "truncated", "latin-1", "unrelated-csv", "empty"],
)
def test_a_wrong_file_is_refused_and_nothing_is_written(
    reference_gazetteer, reference_file, tmp_path, format, make, message
):
    reference_import(format="acled", path=reference_file("acled_old.csv"))
    reference_import(format="ucdp", path=reference_file("ucdp.csv"))
    before = list(ReferenceEvent.objects.values_list("event_id", "digest"))
    content = make(reference_file("ucdp.csv").read_text())
    path = tmp_path / "wrong.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)

    with pytest.raises(WrongFileError, match=re.escape(message)):
        reference_import(format=format, path=path, replace=True)

    assert list(ReferenceEvent.objects.values_list("event_id", "digest")) == before


def test_the_command_prints_bad_rows_and_unmatched_divisions(reference_gazetteer, reference_file):
    out, err = io.StringIO(), io.StringIO()

    call_command("import_dataset", str(reference_file("acled.csv")), "--format", "acled", stdout=out, stderr=err)

    assert "line 5: event_date is not a date: '2023-13-40' (skipped)" in err.getvalue()
    assert "admin1 not in the gazetteer: SY|Wadi Qamar (1 rows)" in err.getvalue()
    assert "6 rows read, 5 created, 0 updated, 0 unchanged, 0 deleted, 1 bad rows skipped" in out.getvalue()


def test_the_command_refuses_a_wrong_file_with_a_clear_message(reference_gazetteer, reference_file):
    with pytest.raises(CommandError, match=r"The header is ACLED's, not UCDP GED's.*Nothing was imported"):
        call_command("import_dataset", str(reference_file("acled.csv")), "--format", "ucdp")

    assert not ReferenceEvent.objects.exists()


def test_a_file_with_no_good_row_is_refused_rather_than_emptying_the_dataset(
    reference_gazetteer, reference_file, tmp_path
):
    reference_import(format="ucdp", path=reference_file("ucdp.csv"))
    lines = reference_file("ucdp.csv").read_text().splitlines()
    path = tmp_path / "bad.csv"
    path.write_text(lines[0] + "\n" + lines[3] + "\n")

    with pytest.raises(WrongFileError, match=r"No row of the file could be imported \(1 bad rows, the first at line 2"):
        reference_import(format="ucdp", path=path, replace=True)

    assert sorted(_events("ucdp")) == ["501", "502"]


def test_django_deletes_a_datasets_events_and_unlinks_a_deleted_division(reference_gazetteer, reference_file):
    # The two foreign keys have no database constraint (docs/reference-datasets.md): Django's on_delete does it.
    reference_import(format="ucdp", path=reference_file("ucdp.csv"))
    reference_import(format="acled", path=reference_file("acled.csv"))
    in_aleppo = set(ReferenceEvent.objects.filter(admin1=reference_gazetteer["Aleppo"]).values_list("pk", flat=True))
    assert in_aleppo

    reference_gazetteer["Aleppo"].delete()
    ReferenceDataset.objects.get(format="ucdp").delete()

    assert not ReferenceEvent.objects.filter(dataset__format="ucdp").exists()
    assert not ReferenceEvent.objects.exclude(dataset_id__in=ReferenceDataset.objects.values("pk")).exists()
    remaining = ReferenceEvent.objects.filter(pk__in=in_aleppo)
    assert remaining.exists()
    assert set(remaining.values_list("admin1_id", flat=True)) == {None}
